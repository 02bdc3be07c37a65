"""What the metadata providers give, taken into the library: a video's fields filled from a
provider, and a provider's video or artist added.

The rule of ``videos.metadata`` holds: a field a person set ("user") is never overwritten.
A provider fills a field that is empty, or that the site (yt-dlp) or this same provider
filled; another provider's value is kept (IMVDb is asked first, so its curated values win
over MusicBrainz'). Provider ids are merged, never dropped.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction

from videos.metadata import clean_value, empty_value
from videos.metadata_rules import METADATA_FIELDS, PROVIDER_PREFIX, SOURCE_SITE, SOURCE_USER
from videos.models import Artist, Video, is_http_url
from videos.providers.base import VideoDetails
from videos.selectors import artist_find_by_name, video_find_by_name
from videos.services import artist_get_or_create, display_text

YOUTUBE_EXTRACTOR = "youtube"  # yt-dlp's key for YouTube videos (as an index stores them)


def provider_source(name: str) -> str:
    return f"{PROVIDER_PREFIX}{name}"


def _shown(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def video_metadata_from_provider(
    *, video: Video, provider: str, fields: Mapping[str, Any]
) -> dict[str, dict[str, Any]]:
    """Take ``fields`` (a provider's ``VideoDetails.fields``) into ``video`` in memory.

    Returns what changed, ``{field: {"from": old, "to": new}}`` (JSON-ready), empty when
    nothing did; the caller saves ``[*changed, "field_sources"]``.
    """
    mine = provider_source(provider)
    sources = dict(video.field_sources)
    changes: dict[str, dict[str, Any]] = {}
    for name in METADATA_FIELDS:
        if name not in fields or sources.get(name) == SOURCE_USER:
            continue
        old = getattr(video, name)
        if name == "provider_ids":
            new = {**fields[name], **(old or {})}
            new[provider] = fields[name].get(provider, new.get(provider))
            new = {key: value for key, value in new.items() if value}
        else:
            if sources.get(name) not in (None, "", SOURCE_SITE, mine) and old not in (
                None,
                "",
                [],
            ):
                continue  # another provider's value
            new = clean_value(name, fields[name])
        if new in (None, "", [], {}) or new == old:
            continue
        setattr(video, name, new)
        if name != "provider_ids" or not sources.get(name):
            sources[name] = mine
        changes[name] = {"from": _shown(old), "to": _shown(new)}
    video.field_sources = sources
    return changes


def artist_for_provider(*, provider: str, artist_id: str, name: str) -> Artist:
    """The artist a provider calls ``artist_id`` (by that id, else by name), created when
    new, with the id recorded in its ``provider_ids``."""
    artist = Artist.objects.filter(**{f"provider_ids__{provider}": artist_id}).first()
    if artist is None:
        artist = artist_find_by_name(display_text(name)) or artist_get_or_create(name=name)
    if artist.provider_ids.get(provider) != artist_id:
        artist.provider_ids = {**artist.provider_ids, provider: artist_id}
        artist.save(update_fields=["provider_ids", "updated_at"])
    return artist


def artist_details_from_provider(
    *, artist: Artist, provider: str, artist_id: str = "", image_url: str = ""
) -> list[str]:
    """Take a provider's id and picture of ``artist`` into it in memory; return the names of
    the fields that changed (the caller saves them). An id the artist already has at that
    provider is kept (a person may have set it); a picture replaces the one before."""
    changed = []
    if artist_id and not (artist.provider_ids or {}).get(provider):
        artist.provider_ids = {**(artist.provider_ids or {}), provider: artist_id}
        changed.append("provider_ids")
    if image_url and is_http_url(image_url) and image_url != artist.image_url:
        artist.image_url = image_url[:2000]
        changed.append("image_url")
    return changed


def video_for_provider(*, provider: str, video_id: str) -> Video | None:
    return Video.objects.filter(**{f"provider_ids__{provider}": video_id}).first()


@transaction.atomic
def video_add_from_provider(
    *, provider: str, details: VideoDetails, artist: Artist
) -> tuple[Video, bool]:
    """Add the provider's video to ``artist`` with its metadata, or find it already there
    (by the provider's id, its YouTube source, or its artist and title); return
    ``(video, created)``. A video already there gets the provider's id and fills from the
    provider. The new video has the provider's primary source as its link, or none (its
    status, by the rule, then says it needs one).
    """
    primary = details.primary_source
    existing = video_for_provider(provider=provider, video_id=details.id)
    if existing is None and primary is not None:
        existing = (
            Video.objects.filter(extractor=YOUTUBE_EXTRACTOR, source_id=primary.site_id).first()
            or Video.objects.filter(source_url=primary.url).first()
        )
    if existing is None and details.title:
        existing = video_find_by_name(artist=artist.name, title=details.title)
    if existing is not None:
        changes = video_metadata_from_provider(
            video=existing, provider=provider, fields=details.fields
        )
        if changes:
            existing.save(update_fields=[*changes, "field_sources", "updated_at"])
        return existing, False
    title = display_text(details.title)[:500] or f"{provider} video {details.id}"
    video = Video(
        title=title,
        artist=artist,
        source_url=primary.url if primary else "",
        added_without_url=primary is None,
        extractor=YOUTUBE_EXTRACTOR if primary else "",
        source_id=primary.site_id if primary else "",
        field_sources=dict.fromkeys(("title", "artist"), provider_source(provider)),
    )
    for name in METADATA_FIELDS:
        setattr(video, name, empty_value(name))
    video_metadata_from_provider(video=video, provider=provider, fields=details.fields)
    try:
        with transaction.atomic():
            video.save()
    except IntegrityError:  # the same source added meanwhile (an index, another import)
        found = Video.objects.filter(extractor=YOUTUBE_EXTRACTOR, source_id=video.source_id)
        return found.get(), False
    return video, True

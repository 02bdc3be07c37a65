"""Merging two artists that are one (the same band under two spellings): the library's rows.
Moving the files that follow is a job (``jobs.services.artist_merge`` starts it)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from mvidarr import errors
from videos.library.artwork import artist_artwork, artist_artwork_store, artwork_delete
from videos.models import Artist, IgnoredEntry, Source, Video


@dataclass(frozen=True)
class Merged:
    """What moved to the artist kept."""

    videos: int
    sources: int
    ignored: int


def artist_merge_check(*, artist: Artist, into: Artist) -> None:
    """Raise ``errors.Invalid`` (on ``into``) when ``artist`` cannot be merged into ``into``."""
    if artist.pk == into.pk:
        raise errors.Invalid(
            "An artist cannot be merged into itself; choose the other artist.", field="into"
        )


@transaction.atomic
def artist_merge_rows(*, artist: Artist, into: Artist) -> Merged:
    """Move ``artist``'s videos, sources and ignore-list entries to ``into``, give ``into``
    what it lacks of ``artist`` (catalogue ids, picture, quality profile; monitoring when
    either was monitored), and delete ``artist``. ``into`` keeps its name. Returns the counts.
    """
    artist_merge_check(artist=artist, into=into)
    merged = Merged(
        videos=Video.objects.filter(artist=artist).update(artist=into),
        sources=Source.objects.filter(artist=artist).update(artist=into),
        ignored=IgnoredEntry.objects.filter(artist=artist).update(artist=into),
    )
    into.provider_ids = {**(artist.provider_ids or {}), **(into.provider_ids or {})}
    into.image_url = into.image_url or artist.image_url
    if into.quality_profile_id is None:
        into.quality_profile_id = artist.quality_profile_id
    if artist.monitored and not into.monitored:
        into.monitored, into.monitored_since = True, artist.monitored_since
        into.monitor_new = artist.monitor_new
    into.save(
        update_fields=[
            "provider_ids",
            "image_url",
            "quality_profile",
            "monitored",
            "monitored_since",
            "monitor_new",
            "updated_at",
        ]
    )
    picture = artist_artwork(artist)
    if picture is not None:
        if artist_artwork(into) is None:
            artist_artwork_store(into, picture.read_bytes())
        transaction.on_commit(lambda: artwork_delete(picture))
    artist.delete()
    return merged

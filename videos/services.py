"""Changing the library: artists, videos and their files. Imports nothing from ``jobs``."""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from mvidarr import errors
from videos import ytdlp
from videos.library import media_path, video_file_delete, video_file_store
from videos.library.artwork import artwork_delete, video_artwork_path, video_artwork_store
from videos.library.naming import safe_component, without_bidi_controls
from videos.library.streams import FfmpegError, stream_details
from videos.metadata import mark_by_hand, video_metadata_from_site, video_metadata_update
from videos.metadata_rules import SOURCE_SITE, SOURCE_USER
from videos.models import (
    Artist,
    IgnoredEntry,
    QualityProfile,
    Source,
    Video,
    VideoFile,
    is_http_url,
    validate_source_url,
)
from videos.name_keys import name_key
from videos.naming import naming_template
from videos.selectors import artist_find_by_name, ignored_match, video_find_by_name
from videos.ytdlp.info import as_float

logger = logging.getLogger(__name__)


class DuplicateVideo(errors.Conflict):
    """The source (extractor + id) is already in the library as another video."""

    def __init__(self, existing: Video) -> None:
        super().__init__(
            f"This video is already in the library as #{existing.pk} "
            f"({existing.title or existing.source_url})."
        )
        self.existing = existing


class VideoNameTaken(errors.Conflict):
    """A video of this artist with this title is already in the library."""

    def __init__(self, existing: Video) -> None:
        super().__init__(
            f"“{existing.title}” by {existing.artist.name} is already in the library as "
            f"video #{existing.pk}.",
            video=existing.pk,
        )
        self.existing = existing


class InvalidSourceUrl(errors.Invalid, ValueError):
    """A video's source address is not http(s) (``javascript:``, ``data:``, ``file:`` …)."""

    field = "url"

    def __init__(self, url: str) -> None:
        shown = url if len(url) <= 80 else f"{url[:77]}…"
        super().__init__(
            f"{shown!r} is not a web address that starts with http:// or https://, "
            "so it was not added to the library."
        )
        self.url = url


class ArtistNameTaken(errors.Invalid):
    """Another artist has this name, ignoring case and repeated spaces."""

    field = "name"

    def __init__(self, taken: Artist | None = None) -> None:
        if taken is None:  # the unique constraint refused it: added since the check
            super().__init__("An artist with this name is already in the library.")
        else:
            super().__init__(
                f"An artist named “{taken.name}” is already in the library (#{taken.pk}); "
                "choose another name."
            )


def check_source_url(url: str) -> str:
    """``url`` if it is http(s); raises :class:`InvalidSourceUrl` otherwise.

    Every video's source address passes here before it is stored, whoever gives it: the
    API, a page, a playlist or feed import, the ``download`` command.
    """
    try:
        validate_source_url(url)
    except ValidationError:
        raise InvalidSourceUrl(url) from None
    return url


def _http_or_empty(url: str | None) -> str:
    """A thumbnail address from a site: kept when http(s), dropped otherwise."""
    return url[:2000] if url and is_http_url(url[:2000]) else ""


def ytdlp_config() -> ytdlp.YtdlpConfig:
    """The yt-dlp configuration from the environment's settings (the proxy and cookies file,
    which may change while MVidarr runs, are added per job: ``download_settings``)."""
    return ytdlp.YtdlpConfig(
        ffmpeg_path=settings.FFMPEG_PATH or None,
        js_runtime=settings.JS_RUNTIME or None,
        socket_timeout=settings.YTDLP_SOCKET_TIMEOUT,
        retries=settings.YTDLP_RETRIES,
        allowed_private_hosts=tuple(settings.ALLOWED_PRIVATE_HOSTS),
    )


def artist_get_or_create(*, name: str) -> Artist:
    """The artist with this name (case-insensitively), created when new."""
    name = display_text(name)[:255]
    existing = artist_find_by_name(name)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Artist.objects.create(
                name=name,
                sort_name=sort_name_for(name),
                folder_name=safe_component(name, fallback="Unknown Artist"),
            )
    except IntegrityError:  # created by someone else in between
        return Artist.objects.get(name_key=name_key(name))


def display_text(text: str) -> str:
    """A name as stored and shown: whitespace collapsed, no bidirectional controls."""
    return " ".join(without_bidi_controls(text).split())


def sort_name_for(name: str) -> str:
    for article in ("The ", "A ", "An "):
        if name.startswith(article) and len(name) > len(article):
            return f"{name[len(article) :]}, {article.strip()}"
    return name


def _check_artist_name_free(name: str, *, artist_id: int | None = None) -> None:
    taken = artist_find_by_name(name, exclude_id=artist_id)
    if taken is not None:
        raise ArtistNameTaken(taken)


def artist_create(
    *,
    name: str,
    sort_name: str = "",
    monitored: bool = False,
    monitor_new: str = Artist.MonitorNew.ALL,
    quality_profile: QualityProfile | None = None,
    provider_ids: dict | None = None,
) -> Artist:
    """Create an artist (``quality_profile`` None: it follows the default profile;
    ``provider_ids`` validated by the caller); raises
    :class:`ArtistNameTaken` when the name is taken (ignoring case), also when another
    request takes it at the same moment.
    """
    name = display_text(name)
    _check_artist_name_free(name)
    try:
        with transaction.atomic():
            return Artist.objects.create(
                name=name,
                sort_name=without_bidi_controls(sort_name) or sort_name_for(name),
                folder_name=safe_component(name, fallback="Unknown Artist"),
                monitored=monitored,
                monitored_since=timezone.now() if monitored else None,
                monitor_new=monitor_new,
                quality_profile=quality_profile,
                provider_ids=provider_ids or {},
            )
    except IntegrityError:
        raise ArtistNameTaken() from None


# What artist_update saves.
_ARTIST_FIELDS = (
    "name",
    "folder_name",
    "sort_name",
    "monitored",
    "monitored_since",
    "monitor_new",
    "quality_profile",
    "provider_ids",
)


def artist_update(*, artist: Artist, data: dict) -> Artist:
    """Change name, sort name, ``provider_ids`` (validated by the caller) or monitoring
    (``monitored``, ``monitor_new``, ``quality_profile``: a profile or None for the
    default). Files are not moved here: renaming an artist's files is a job
    (``jobs.services.artist_edit`` starts it).

    Raises :class:`ArtistNameTaken` when the new name is another artist's (ignoring case),
    :class:`mvidarr.errors.Invalid` for an unknown ``monitor_new``.
    """
    if "name" in data:
        artist.name = display_text(data["name"])
        _check_artist_name_free(artist.name, artist_id=artist.pk)
        artist.folder_name = safe_component(artist.name, fallback="Unknown Artist")
        if "sort_name" not in data:
            artist.sort_name = sort_name_for(artist.name)
    if "sort_name" in data:
        sort_name = without_bidi_controls(data["sort_name"] or "")
        artist.sort_name = sort_name or sort_name_for(artist.name)
    if "monitored" in data:
        _set_monitored(artist, bool(data["monitored"]))
    if "monitor_new" in data:
        if data["monitor_new"] not in Artist.MonitorNew.values:
            choices = ", ".join(Artist.MonitorNew.values)
            raise errors.Invalid(
                f"Unknown choice {data['monitor_new']!r} for new videos; choose one of {choices}.",
                field="monitor_new",
            )
        artist.monitor_new = data["monitor_new"]
    if "quality_profile" in data:
        artist.quality_profile = data["quality_profile"]
    if "provider_ids" in data:
        artist.provider_ids = data["provider_ids"]  # validated by the caller
    try:
        with transaction.atomic():
            artist.save(update_fields=[*_ARTIST_FIELDS, "updated_at"])
    except IntegrityError:
        raise ArtistNameTaken() from None
    return artist


def _set_monitored(artist: Artist, monitored: bool) -> None:
    """Monitoring starts now when it was off: ``monitor_new="new"`` counts from here."""
    if monitored and not artist.monitored:
        artist.monitored_since = timezone.now()
    elif not monitored:
        artist.monitored_since = None
    artist.monitored = monitored


def artist_delete(*, artist: Artist) -> None:
    """Delete an artist; its videos stay in the library without one."""
    artist.delete()


def video_update(*, video: Video, data: dict) -> Video:
    """Change the title, the artist (by name; empty or null clears it) and the descriptive
    fields (``videos.metadata_rules.METADATA_FIELDS``, validated by the caller); each is
    recorded as set by hand, so no probe changes it again."""
    fields = ["updated_at"]
    if "title" in data:
        video.title = without_bidi_controls(data["title"])
        fields.append("title")
    if "artist" in data:
        name = data["artist"] or ""
        video.artist = artist_get_or_create(name=name) if name.strip() else None
        fields.append("artist")
    by_hand = [name for name in ("title", "artist") if name in data]
    if by_hand:
        mark_by_hand(video, *by_hand)
        fields.append("field_sources")
    fields.extend(video_metadata_update(video=video, data=data))
    video.save(update_fields=list(dict.fromkeys(fields)))
    return video


def video_set_source(*, video: Video, url: str) -> Video:
    """Point the video at another link; what a probe found about the old link goes.

    Title and artist stay (a person may have typed them); the next probe fills the rest.
    Raises :class:`InvalidSourceUrl` for a link that is not http(s).
    """
    video.source_url = check_source_url(url)
    video.extractor = ""
    video.source_id = ""
    video.save(update_fields=["source_url", "extractor", "source_id", "updated_at"])
    return video


def video_create(*, url: str, title: str = "", artist: Artist | None = None) -> Video:
    """Add a video; raises :class:`InvalidSourceUrl` unless ``url`` is http(s)."""
    given = [name for name, value in (("title", title), ("artist", artist)) if value]
    return Video.objects.create(
        source_url=check_source_url(url),
        title=without_bidi_controls(title),
        artist=artist,
        field_sources=dict.fromkeys(given, SOURCE_USER),
    )


def video_create_by_name(*, artist_name: str, title: str) -> Video:
    """Add a video known only by artist and title: no source yet (its status follows, by
    the rule, as ``needs_source``). Raises :class:`VideoNameTaken` when the artist already
    has a video of this title (ignoring case); :class:`mvidarr.errors.Invalid` for a blank
    artist or title.
    """
    artist_name, title = display_text(artist_name), display_text(title)
    if not artist_name:
        raise errors.Invalid("Give the artist of the video.", field="artist")
    if not title:
        raise errors.Invalid("Give the title of the video.", field="title")
    existing = video_find_by_name(artist=artist_name, title=title)
    if existing is not None:
        raise VideoNameTaken(existing)
    return Video.objects.create(
        source_url="",
        added_without_url=True,
        title=title[:500],
        artist=artist_get_or_create(name=artist_name),
        field_sources=dict.fromkeys(("title", "artist"), SOURCE_USER),
    )


def video_set_found_source(
    *, video: Video, url: str, resolved: bool, duration: float | None = None, note: str = ""
) -> Video:
    """Give a video without a source the one found for it: by the resolver (``resolved``)
    or chosen by a person. A ``duration`` the finder gave fills an unknown length.
    Raises :class:`InvalidSourceUrl` for a link that is not http(s)."""
    video.source_url = check_source_url(url)
    video.source_resolved = resolved
    video.extractor = ""
    video.source_id = ""
    video.source_note = note
    if video.duration is None and duration:
        video.duration = duration
    video.save(
        update_fields=[
            "source_url",
            "source_resolved",
            "extractor",
            "source_id",
            "source_note",
            "duration",
            "updated_at",
        ]
    )
    return video


def video_store_candidates(*, video: Video, candidates: list[dict], note: str) -> Video:
    """Keep a search's candidates (best first) and what came of it, so that they are shown
    without searching again."""
    video.source_candidates = candidates
    video.source_note = note
    video.save(update_fields=["source_candidates", "source_note", "updated_at"])
    return video


def video_drop_dead_source(*, video: Video, note: str) -> Video:
    """The video's source is gone (404, removed): it is remembered as dead (never taken
    again, and no longer among the candidates) and the video, added without a URL, is left
    without a source."""
    if not video.added_without_url:
        raise errors.StateError("Only a video added by artist and title can lose its source.")
    dead = video.source_url
    video.dead_source_urls = [*video.dead_source_urls, dead]
    video.source_candidates = [c for c in video.source_candidates if c.get("url") != dead]
    video.source_url = ""
    video.source_resolved = False
    video.extractor = ""
    video.source_id = ""
    video.source_note = note
    video.save(
        update_fields=[
            "dead_source_urls",
            "source_candidates",
            "source_url",
            "source_resolved",
            "extractor",
            "source_id",
            "source_note",
            "updated_at",
        ]
    )
    return video


def video_apply_probe(*, video: Video, result: ytdlp.ProbeResult) -> Video:
    """Fill what the video lacks from a probe; what a person typed is kept.

    Raises :class:`DuplicateVideo` when the probed source is already another video.
    """
    existing = (
        Video.objects.filter(extractor=result.extractor, source_id=result.source_id)
        .exclude(pk=video.pk)
        .first()
    )
    if existing is not None and result.source_id:
        raise DuplicateVideo(existing)
    filled = []
    if not video.title:
        video.title = without_bidi_controls(result.title or "")[:500]
        filled.append("title")
    if video.artist_id is None and result.artist:
        video.artist = artist_get_or_create(name=result.artist)
        filled.append("artist")
    video.field_sources = {**video.field_sources, **dict.fromkeys(filled, SOURCE_SITE)}
    described = video_metadata_from_site(video=video, fields=result.fields)
    video.extractor = result.extractor[:64]
    video.source_id = result.source_id[:255]
    video.duration = result.duration
    video.thumbnail_url = _http_or_empty(result.thumbnail_url)
    video.upload_date = result.upload_date
    video.metadata = {**video.metadata, "probe": result.raw, "heights": result.heights}
    # Only what a probe owns: a download finishing meanwhile keeps its status and file.
    video.save(
        update_fields=[
            "title",
            "artist",
            "extractor",
            "source_id",
            "duration",
            "thumbnail_url",
            "upload_date",
            "metadata",
            "updated_at",
            *described,
            "field_sources",
        ]
    )
    return video


def video_import_entry(*, entry: ytdlp.PlaylistEntry | ytdlp.ProbeResult) -> tuple[Video, bool]:
    """Add one playlist or feed entry; return ``(video, created)``, skipping duplicates.

    Raises :class:`InvalidSourceUrl` for an entry whose address is not http(s): a feed
    is written by whoever publishes it.
    """
    check_source_url(entry.url)
    duplicate = None
    if entry.source_id and entry.extractor:
        duplicate = Video.objects.filter(
            extractor=entry.extractor, source_id=entry.source_id
        ).first()
    if duplicate is None:
        duplicate = Video.objects.filter(source_url=entry.url).first()
    if duplicate is not None:
        return duplicate, False
    fields = {
        "source_url": entry.url,
        "title": without_bidi_controls(entry.title or "")[:500],
        "extractor": entry.extractor[:64],
        "source_id": entry.source_id[:255],
        "duration": entry.duration,
    }
    if isinstance(entry, ytdlp.ProbeResult):
        fields.update(
            thumbnail_url=_http_or_empty(entry.thumbnail_url),
            upload_date=entry.upload_date,
            artist=artist_get_or_create(name=entry.artist) if entry.artist else None,
        )
    try:
        with transaction.atomic():
            return Video.objects.create(**fields), True
    except IntegrityError:  # the same entry added by a concurrent import
        return Video.objects.get(extractor=entry.extractor, source_id=entry.source_id), False


def videos_create_indexed(
    *, entries: list[ytdlp.PlaylistEntry], source: Source
) -> tuple[list[Video], int]:
    """Add a source's new entries as ``wanted`` videos of the source's artist, in one INSERT;
    return ``(videos added, entries another index added meanwhile)``.

    The caller has checked that none is in the library yet and that every URL is http(s);
    when another index adds one of them at the same moment (two sources sharing videos),
    the unique source constraint refuses it and the others are added one by one: one video,
    never two.
    """
    rows = [
        Video(
            source_url=entry.url,
            title=without_bidi_controls(entry.title or "")[:500],
            extractor=entry.extractor[:64],
            source_id=entry.source_id[:255],
            duration=entry.duration,
            upload_date=entry.published,
            artist_id=source.artist_id,
            indexed_from=source,
        )
        for entry in entries
    ]
    try:
        with transaction.atomic():
            return Video.objects.bulk_create(rows), 0
    except IntegrityError:
        pass
    added = []
    for row in rows:
        row.pk = None
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            continue
        added.append(row)
    return added, len(rows) - len(added)


def video_store_download(*, video: Video, result: ytdlp.DownloadResult) -> VideoFile:
    """Store a finished download as the video's file (``videos.library`` moves it in, with
    the sidecars of a previous file, where the naming templates in force name it); returns
    the file record. The video's status follows
    when its download finishes (``jobs.transitions.video``).

    The library never holds a partial file; a forced re-download replaces the old file only
    now that the new one is complete.
    """
    info = result.info or {}
    with transaction.atomic():
        # The row first: if it cannot be written, no file has moved yet.
        if not video.title and info.get("title"):
            video.title = without_bidi_controls(str(info["title"]))[:500]
            video.save(update_fields=["title", "updated_at"])
        stored = video_file_store(video=video, result=result, template=naming_template())
        if video.duration is None:
            _fill_duration(video, stored, site_said=info.get("duration"))
        return stored


def _fill_duration(video: Video, stored: VideoFile, *, site_said: object) -> None:
    """An unknown length from the site's word or else the stored file's header (a plain
    file or a page's og:video says none): the library's duration sort, badge and the .nfo
    read it. The file's streams are read once: the post-store steps ask the same."""
    duration = as_float(site_said)
    if not duration and (path := media_path(stored)) is not None:
        try:
            duration = stream_details(path).duration
        except FfmpegError:
            duration = None
    if duration:
        video.duration = duration
        video.save(update_fields=["duration", "updated_at"])


def video_delete(*, video: Video, delete_file: bool) -> None:
    """Delete a video; with ``delete_file``, its media file and sidecars too. Its artwork
    (MVidarr's own copy) goes once the deletion is committed."""
    with transaction.atomic():
        video_file = video.current_file
        if delete_file and video_file is not None:
            video_file_delete(video_file=video_file)
        transaction.on_commit(partial(artwork_delete, video_artwork_path(video)))
        video.delete()


def video_artwork_refresh(*, video: Video) -> str:
    """Store the video's artwork after its details changed (its thumbnail address may have):
    the site's picture, else a frame of its file when it has one. Returns a sentence when the
    site's picture was not used, else "". Fetches: call it from a job, never a request."""
    video_file = video.current_file
    media = media_path(video_file) if video_file is not None else None
    return video_artwork_store(video, media=media).note


def video_ignore(*, video: Video, user, reason: str = "") -> IgnoredEntry:
    """Put ``video`` on the ignore list; return its entry (the same one when it is already
    there, or the entry by its source or URL that a deleted copy of it left).

    The entry is keyed by extractor + source id when both are known, else by URL. The
    video's status follows from the entry (``jobs.transitions.video``): the caller, a
    ``jobs`` service, refuses while it downloads and refreshes the status.
    """
    with transaction.atomic():
        existing = IgnoredEntry.objects.filter(video_id=video.pk).first()
        if existing is not None:
            return existing
        match = ignored_match(
            extractor=video.extractor, source_id=video.source_id, url=video.source_url
        )
        if match is not None:
            if match.video_id is None:
                match.video = video
                match.save(update_fields=["video"])
            return match
        keyed = bool(video.extractor and video.source_id)
        try:
            with transaction.atomic():
                return IgnoredEntry.objects.create(
                    extractor=video.extractor if keyed else "",
                    source_id=video.source_id if keyed else "",
                    url=video.source_url,
                    title=video.title,
                    artist_id=video.artist_id,
                    video=video,
                    reason=reason[:255],
                    user=user,
                )
        except IntegrityError:  # ignored by someone else at the same moment
            return IgnoredEntry.objects.filter(video_id=video.pk).first() or ignored_match(
                extractor=video.extractor, source_id=video.source_id, url=video.source_url
            )


def url_ignore(*, url: str, user, reason: str = "") -> IgnoredEntry:
    """Put a URL that is not in the library on the ignore list; return its entry (the
    existing one when the URL is ignored already). Raises :class:`InvalidSourceUrl` for a
    link that is not http(s)."""
    check_source_url(url)
    existing = ignored_match(extractor="", source_id="", url=url)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return IgnoredEntry.objects.create(url=url, reason=reason[:255], user=user)
    except IntegrityError:
        return ignored_match(extractor="", source_id="", url=url)


def ignore_remove(*, entry: IgnoredEntry) -> Video | None:
    """Take ``entry`` off the ignore list; return the video it kept, if any (whose status
    the caller, a ``jobs`` service, brings back by the rule)."""
    video = entry.video
    entry.delete()
    return video

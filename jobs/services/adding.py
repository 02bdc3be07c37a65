"""Adding many videos in one step (the add page): one address a line, each added (and its
probe started) with the same artist, and downloaded at once when asked; an address whose shape
says it is a playlist, channel or feed is not added but offered to import or to follow as a
source. Nothing here waits on yt-dlp: an address that turns out to be a playlist is told by
its probe (``options["playlist"]``), and the page offers the same choice then.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from jobs import live
from jobs.models import Job
from jobs.services.errors import JobPermissionError
from jobs.services.shared import check_quality
from jobs.services.sources import source_index_submit
from jobs.services.submit import download_submit, probe_submit
from jobs.services.videos import video_add_and_probe, video_remove, video_url_change_allowed
from mvidarr import errors
from videos.models import MAX_URL_LENGTH, Source, Video, validate_source_url
from videos.selectors import video_find_by_url, video_has_file
from videos.services import artist_get_or_create
from videos.sources import source_create
from videos.url_shapes import LABELS, collection_kind

MAX_LINES = 100

ADDED = "added"
EXISTS = "exists"
REFUSED = "refused"
COLLECTION = "collection"


@dataclass
class AddedLine:
    """What became of one line: ``outcome`` is ``ADDED``, ``EXISTS``, ``REFUSED`` or
    ``COLLECTION``; ``message`` says it in a sentence."""

    url: str
    outcome: str
    message: str
    video: Video | None = None
    probe: Job | None = None
    download: Job | None = None
    collection: str = ""  # url_shapes' kind, for a COLLECTION


def url_refusal(url: str) -> str:
    """Why ``url`` cannot be added as a video's source, in one sentence; "" when it can."""
    if len(url) > MAX_URL_LENGTH:
        return f"This address is longer than {MAX_URL_LENGTH:,} characters."
    for check in (validate_source_url, URLValidator()):
        try:
            check(url)
        except ValidationError as error:
            return error.messages[0]
    return ""


@transaction.atomic
def videos_add_many(
    *,
    urls: list[str],
    user,
    artist_name: str = "",
    quality: str | None = None,
    download: bool = False,
) -> list[AddedLine]:
    """Add each of ``urls`` as :func:`video_add_and_probe` does, with ``artist_name`` (none:
    each one's is found by its probe), and with ``download`` queue each new video's download
    in ``quality`` (None: its artist's profile, else the default). Returns one
    :class:`AddedLine` per URL, in order; a refusal of one line never stops the others.

    Raises ``errors.Invalid`` for no URL, more than :data:`MAX_LINES` or an unknown quality,
    and Redis' ConnectionError (nothing added) when Redis is down.
    """
    if not urls:
        raise errors.Invalid("Paste at least one address, one a line.", field="urls")
    if len(urls) > MAX_LINES:
        raise errors.Invalid(
            f"Paste at most {MAX_LINES} addresses at a time (there are {len(urls)}); "
            "add the rest in a second step.",
            field="urls",
        )
    check_quality(quality)
    live.require_redis()
    return [
        _add_line(url, user=user, artist_name=artist_name, quality=quality, download=download)
        for url in urls
    ]


def _add_line(url: str, *, user, artist_name: str, quality: str | None, download: bool):
    refusal = url_refusal(url)
    if refusal:
        return AddedLine(url=url, outcome=REFUSED, message=refusal)
    kind = collection_kind(url)
    if kind is not None:
        return AddedLine(
            url=url,
            outcome=COLLECTION,
            collection=kind,
            message=f"This is {LABELS[kind]}: import all of its videos, or follow it as a source.",
        )
    existing = video_find_by_url(url)
    if existing is not None:
        return AddedLine(url=url, outcome=EXISTS, video=existing, message="Already in the library.")
    try:
        with transaction.atomic():
            video, probe = video_add_and_probe(url=url, user=user, artist_name=artist_name)
    except errors.ServiceError as exc:
        return AddedLine(url=url, outcome=REFUSED, message=exc.message)
    line = AddedLine(
        url=url,
        outcome=ADDED,
        video=video,
        probe=probe,
        message="Added; its title and details are being looked up.",
    )
    if download:
        try:
            with transaction.atomic():
                line.download, _created = download_submit(video=video, user=user, quality=quality)
        except errors.ServiceError as exc:
            line.message = f"Added, but not downloaded: {exc.message}"
        else:
            line.message = "Added and queued for download."
    return line


@transaction.atomic
def collection_import(*, url: str, user, replaces: Video | None = None) -> Job:
    """Import every entry of the playlist, channel or feed at ``url`` (a probe job, as the
    import form does); ``replaces`` is the video added for that address before its probe
    found a playlist, removed first (see :func:`_placeholder_remove`)."""
    _placeholder_remove(replaces, url=url, user=user)
    return probe_submit(user=user, url=url)


@transaction.atomic
def collection_follow(
    *, url: str, user, artist_name: str = "", replaces: Video | None = None
) -> tuple[Source, Job]:
    """Follow ``url`` as a monitored source (staff) of ``artist_name`` (none: each video's
    artist comes from its metadata) and index it now; returns the source and its index job.
    ``replaces``: as for :func:`collection_import`. Refusals as ``videos.sources`` says
    (another source with this address is a conflict)."""
    if not user.is_staff:
        raise JobPermissionError("Only staff can follow a playlist, channel or feed as a source.")
    _placeholder_remove(replaces, url=url, user=user)
    name = artist_name.strip()
    artist = artist_get_or_create(name=name) if name else None
    source = source_create(data={"url": url, "artist": artist})
    return source, source_index_submit(source=source, user=user)


def _placeholder_remove(video: Video | None, *, url: str, user) -> None:
    """Remove the video added for ``url`` before its probe found a playlist: it is no video.
    Only that video (same address, no file), by staff or whoever added it."""
    if video is None:
        return
    if video.source_url != url or video_has_file(video):
        raise errors.Invalid(
            "That video is not the one added for this address; import it from the add page.",
            field="replaces",
        )
    if not video_url_change_allowed(user=user, video=video):
        raise JobPermissionError("Only staff, or whoever added this video, can replace it.")
    video_remove(video=video, delete_file=False, user=user)

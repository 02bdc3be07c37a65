"""Artwork kept by MVidarr itself: one JPEG per video (and per artist) under the var folder.

The pages show these copies and never link to a site's picture (no hot-linking: a page
tells no site who looks at it, and shows the picture once the site has dropped it). A
video's artwork is the site's thumbnail (``Video.thumbnail_url``), fetched through the
private-address guard at most ``MAX_IMAGE_BYTES``, checked to be a picture and stored as a
JPEG; when that fails, a frame grabbed from the video's file. The ``-thumb.jpg`` and
``folder.jpg`` sidecars are copies of these (:mod:`videos.library.steps`).

Where: ``<ARTWORK_ROOT>/videos/<video id>-<created>.jpg`` and ``…/artists/<artist id>-…`` — a
path derived from the row, so no column says where it is. Next to each picture a small JSON
record says where it came from (the site's address, or a frame), so a rewrite does not
fetch the same picture again. Fetching happens in jobs only, never in a web request.
"""

from __future__ import annotations

import http.client
import json
import logging
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from mvidarr.units import format_bytes
from videos import netguard
from videos.download_settings import proxy_now
from videos.library.ffmpeg import FfmpegError
from videos.library.files import write_atomically
from videos.library.images import image_kind, to_jpeg, video_frame
from videos.library.streams import StreamDetails
from videos.models import Artist, Video, is_http_url
from videos.webfetch import guarded_opener
from videos.ytdlp import PermanentError

logger = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 10_000_000
READ_CHUNK = 64 * 1024
ACCEPT = "image/jpeg, image/png, image/webp, image/*;q=0.8"
# Types a server may send a picture as: a picture's own, or none that says otherwise.
_NEUTRAL_TYPES = ("", "application/octet-stream", "binary/octet-stream")


class ArtworkUnavailable(Exception):
    """The site's picture could not be used; ``str()`` says why, as a sentence's middle."""


@dataclass(frozen=True)
class ArtworkOutcome:
    """What storing a video's artwork did: ``source`` "site", "frame", "kept" or "" (no
    artwork), and a sentence for the job when the site's picture was not used."""

    source: str
    note: str = ""


def video_artwork_path(video: Video) -> Path:
    return Path(settings.ARTWORK_ROOT) / "videos" / _file_name(video)


def artist_artwork_path(artist: Artist) -> Path:
    return Path(settings.ARTWORK_ROOT) / "artists" / _file_name(artist)


def _file_name(row: Video | Artist) -> str:
    """``<id>-<when the row was made>.jpg``: a database made again (its ids given again)
    never shows the pictures of the rows it lost."""
    return f"{int(row.pk)}-{int(row.created_at.timestamp())}.jpg"


def video_artwork(video: Video) -> Path | None:
    """The video's stored artwork, or None."""
    path = video_artwork_path(video)
    return path if path.is_file() else None


def artist_artwork(artist: Artist) -> Path | None:
    """The artist's stored artwork, or None (an artist's picture comes from a provider)."""
    path = artist_artwork_path(artist)
    return path if path.is_file() else None


def artwork_delete(path: Path) -> None:
    """Remove a video's stored artwork at ``path`` (:func:`video_artwork_path`) and its
    record (when the video is deleted)."""
    for file in (path, _record_path(path)):
        file.unlink(missing_ok=True)


def artist_artwork_store(artist: Artist, data: bytes) -> Path:
    """Store ``data`` (any picture :func:`~videos.library.images.to_jpeg` reads) as the
    artist's artwork; return its path."""
    path = artist_artwork_path(artist)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, to_jpeg(data))
    return path


def artist_artwork_fetch(artist: Artist, *, refresh: bool = False) -> ArtworkOutcome:
    """Make sure the artist has MVidarr's copy of its provider's picture
    (``Artist.image_url``), fetched through the private-address guard; return what was done.

    Kept as it is when it came from that same address, unless ``refresh``. Never raises for a
    picture that cannot be had: the outcome's note says why (a copy already there stays).
    """
    path = artist_artwork_path(artist)
    url = artist.image_url if is_http_url(artist.image_url) else ""
    if not url:
        return ArtworkOutcome("")
    if not refresh and path.is_file() and _read_record(path).get("url", "") == url:
        return ArtworkOutcome("kept")
    try:
        _store(path, to_jpeg(fetch_image(url)), {"from": "provider", "url": url})
    except ArtworkUnavailable as exc:
        reason = str(exc)
    except FfmpegError as exc:
        reason = f"what the site sent could not be read as a picture ({exc})"
    else:
        return ArtworkOutcome("provider")
    logger.info("artist %s: the picture at %s was not used: %s", artist.pk, url, reason)
    return ArtworkOutcome("", f"The artist's picture was not used ({reason}).")


def video_artwork_import(video: Video, picture: Path) -> Path:
    """Make the picture file ``picture`` (one that came with an imported file) the video's
    artwork; return its path. Kept by :func:`video_artwork_store` as long as the video's
    thumbnail address stays what it is now. Raises :class:`ArtworkUnavailable` for a file
    over ``MAX_IMAGE_BYTES`` or that is no picture, :class:`FfmpegError` when ffmpeg cannot
    decode it."""
    with picture.open("rb") as handle:
        data = handle.read(MAX_IMAGE_BYTES + 1)
    if len(data) > MAX_IMAGE_BYTES:
        raise ArtworkUnavailable(
            f"{picture.name} is larger than {format_bytes(MAX_IMAGE_BYTES)}, "
            "the most MVidarr stores"
        )
    if not image_kind(data):
        raise ArtworkUnavailable(f"{picture.name} is not a JPEG, PNG, WebP or GIF picture")
    url = video.thumbnail_url if is_http_url(video.thumbnail_url) else ""
    path = video_artwork_path(video)
    _store(path, to_jpeg(data), {"from": "import", "url": url, "file": picture.name})
    return path


def video_artwork_store(
    video: Video,
    *,
    media: Path | None = None,
    streams: StreamDetails | None = None,
    refresh: bool = False,
) -> ArtworkOutcome:
    """Make sure the video has its artwork; return what was done.

    Kept as it is when it came from the video's current thumbnail address (or from a frame
    after that address failed) unless ``refresh``. Otherwise the site's thumbnail is
    fetched; when that fails, or there is none, a frame of ``media`` (the video's file, whose
    ``streams`` say how long it is) is used, and the outcome's note says why. Never raises
    for a picture that cannot be had: a download never fails for its artwork.
    """
    path = video_artwork_path(video)
    url = video.thumbnail_url if is_http_url(video.thumbnail_url) else ""
    record = _read_record(path)
    if not refresh and path.is_file() and record.get("url", "") == url:
        return ArtworkOutcome("kept")
    reason = ""
    if url:
        try:
            _store(path, to_jpeg(fetch_image(url)), {"from": "site", "url": url})
            return ArtworkOutcome("site")
        except ArtworkUnavailable as exc:
            reason = str(exc)
        except FfmpegError as exc:
            reason = f"what the site sent could not be read as a picture ({exc})"
        logger.info("video %s: the thumbnail at %s was not used: %s", video.pk, url, reason)
    if media is not None and (streams is None or streams.has_video):
        duration = (streams.duration if streams else None) or video.duration or 0.0
        try:
            frame = video_frame(media, at=_frame_time(duration))
        except FfmpegError as exc:
            logger.warning("video %s: no frame for its artwork: %s", video.pk, exc)
        else:
            _store(path, frame, {"from": "frame", "url": url})
            note = (
                f"The site's thumbnail was not used ({reason}); a frame of the video is its "
                "artwork instead."
                if reason
                else ""
            )
            return ArtworkOutcome("frame", note)
    if reason:
        return ArtworkOutcome("", f"The site's thumbnail was not used ({reason}).")
    return ArtworkOutcome("")


def fetch_image(url: str) -> bytes:
    """The picture at ``url``, fetched through the private-address guard (settings'
    ``ALLOWED_PRIVATE_HOSTS``, ``YTDLP_SOCKET_TIMEOUT``; the proxy setting).

    Raises :class:`ArtworkUnavailable` for an error answer, a refused address, a body over
    ``MAX_IMAGE_BYTES``, or anything that is not a JPEG, PNG, WebP or GIF.
    """
    policy = netguard.policy_for(tuple(settings.ALLOWED_PRIVATE_HOSTS))
    opener = guarded_opener(policy, proxy_now())
    request = urllib.request.Request(url, headers={"User-Agent": "MVidarr", "Accept": ACCEPT})
    try:
        with opener.open(request, timeout=settings.YTDLP_SOCKET_TIMEOUT) as response:
            content_type = response.headers.get_content_type() if response.headers else ""
            if response.headers.get("Content-Type") is None:
                content_type = ""
            data = _read_capped(response)
    except urllib.error.HTTPError as error:
        raise ArtworkUnavailable(f"the site answered HTTP {error.code}") from None
    except PermanentError as refused:  # a redirect to an address that is not http(s)
        raise ArtworkUnavailable(str(refused).rstrip(".")) from None
    except urllib.error.URLError as error:
        raise ArtworkUnavailable(_connection_reason(error.reason, url)) from None
    except (OSError, http.client.HTTPException) as error:
        raise ArtworkUnavailable(_connection_reason(error, url)) from None
    kind = image_kind(data)
    if not (content_type.startswith("image/") or content_type in _NEUTRAL_TYPES) or not kind:
        shown = content_type or "no type"
        raise ArtworkUnavailable(f"what the site sent is not a picture ({shown})")
    return data


def _read_capped(response) -> bytes:
    chunks, size = [], 0
    while chunk := response.read(READ_CHUNK):
        size += len(chunk)
        if size > MAX_IMAGE_BYTES:
            raise ArtworkUnavailable(
                f"the picture is larger than {format_bytes(MAX_IMAGE_BYTES)}, "
                "the most MVidarr stores"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _connection_reason(reason: object, url: str) -> str:
    if isinstance(reason, netguard.AddressRefused):
        return reason.message.rstrip(".")
    if isinstance(reason, TimeoutError | socket.timeout):
        return "the site did not send it in time"
    host = urllib.parse.urlsplit(url).hostname or url
    return f"the connection to {host} failed: {reason or type(reason).__name__}"


def _frame_time(duration: float) -> float:
    """A tenth of the way in (past a fade from black), at most a minute in."""
    return min(duration / 10, 60.0) if duration > 0 else 0.0


def _store(path: Path, data: bytes, record: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, data)
    write_atomically(_record_path(path), json.dumps(record).encode())


def _record_path(path: Path) -> Path:
    return path.with_suffix(".json")


def _read_record(path: Path) -> dict:
    try:
        record = json.loads(_record_path(path).read_text())
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}

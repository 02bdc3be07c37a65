"""The post-store steps that write a video's artwork, sidecars and tags.

Listed in order in :data:`videos.library.poststore.POST_STORE_STEPS`; each reads its switch
(``sidecars.thumb``, ``sidecars.nfo``, ``sidecars.artist``, ``sidecars.tags``) when it runs,
so a changed setting counts from the next download or rewrite without a restart. The same
steps rewrite the sidecars when the metadata changes (the ``sidecars_write`` job), and
:func:`tags_write` is the explicit "write tags" action's.

- artwork: always (the pages show it): :func:`videos.library.artwork.video_artwork_store`.
- thumb: ``<base>-thumb.jpg``, a copy of the artwork.
- nfo: ``<base>.nfo`` (``<musicvideo>``) with the file's stream details.
- artist: ``artist.nfo`` and ``folder.jpg`` (when the artist has artwork) in the artist's
  folder.
- tags: title, artist, album, date, genre, comment and cover inside MP4/M4A/MKV files.

A switched-off thumb or NFO sidecar is deleted at the next run, so what the library holds
is what the settings say. A file that cannot be written is a :class:`StepFailed` sentence on
the job; the media file is never touched by a failed step.
"""

from __future__ import annotations

import logging
from pathlib import Path

from preferences.selectors import setting_get
from videos.library.artwork import artist_artwork, video_artwork, video_artwork_store
from videos.library.bundle import (
    artist_folder,
    library_root,
    video_file_remove_sidecar,
    video_file_write_sidecar,
)
from videos.library.ffmpeg import FfmpegError
from videos.library.files import write_atomically
from videos.library.naming import resolve_inside
from videos.library.nfo import artist_nfo, video_nfo
from videos.library.sidecars import ARTIST_NFO, ARTIST_PICTURE, NFO, THUMB, sidecar_path
from videos.library.streams import StreamDetails, stream_details
from videos.library.tags import Tags, TagsError, can_tag, write_tags
from videos.models import Video, VideoFile

logger = logging.getLogger(__name__)


class StepFailed(Exception):
    """A step's failure told as a sentence a person can act on (``str()``)."""


def media_path(video_file: VideoFile) -> Path | None:
    """The media file inside the library, or None when it is not there."""
    try:
        path = resolve_inside(library_root(), video_file.path)
    except ValueError:
        return None
    return path if path.is_file() else None


def _streams(media: Path) -> StreamDetails | None:
    try:
        return stream_details(media)
    except FfmpegError as exc:
        logger.warning("no stream details for %s: %s", media, exc)
        return None


# --- the steps ----------------------------------------------------------------------------
def artwork_step(*, video: Video, video_file: VideoFile) -> str | None:
    media = media_path(video_file)
    outcome = video_artwork_store(video, media=media, streams=_streams(media) if media else None)
    return outcome.note or None


def thumb_step(*, video: Video, video_file: VideoFile) -> str | None:
    if not setting_get("sidecars.thumb"):
        _remove_sidecar(video_file, THUMB)
        return None
    picture = video_artwork(video)
    if picture is None or media_path(video_file) is None:
        return None
    _write_sidecar(video_file, THUMB, picture.read_bytes())
    return None


def nfo_step(*, video: Video, video_file: VideoFile) -> str | None:
    if not setting_get("sidecars.nfo"):
        _remove_sidecar(video_file, NFO)
        return None
    media = media_path(video_file)
    if media is None:
        return None
    thumb = sidecar_path(media, THUMB.suffix)
    data = video_nfo(
        video,
        streams=_streams(media),
        thumb=thumb.name if THUMB.suffix in video_file.sidecars and thumb.is_file() else "",
    )
    _write_sidecar(video_file, NFO, data)
    return None


def artist_step(*, video: Video, video_file: VideoFile) -> str | None:
    if not setting_get("sidecars.artist") or video.artist is None:
        return None
    folder = artist_folder(video_file.path)
    if folder is None or media_path(video_file) is None:
        return None
    files = [(folder / ARTIST_NFO, artist_nfo(video.artist))]
    picture = artist_artwork(video.artist)
    if picture is not None:
        files.append((folder / ARTIST_PICTURE, picture.read_bytes()))
    for path, data in files:
        try:
            write_atomically(path, data)
        except OSError as exc:
            raise StepFailed(_unwritable(f"The artist's {path.name}", path.parent, exc)) from exc
    return None


def tags_step(*, video: Video, video_file: VideoFile) -> str | None:
    if not setting_get("sidecars.tags"):
        return None
    media = media_path(video_file)
    if media is None or not can_tag(media):
        return None  # WebM and others: the NFO is theirs
    tags_write(video=video, video_file=video_file)
    return None


def tags_write(*, video: Video, video_file: VideoFile, cover: bool = True) -> None:
    """Write the video's tags (and its artwork as the cover, unless ``cover`` is False) into
    its file now, whatever the setting says.

    Raises :class:`StepFailed` when there is no file, the container takes no tags, or the
    remux fails (the file is then as it was).
    """
    media = media_path(video_file)
    if media is None:
        raise StepFailed(
            "The video's file is not in the library, so no tags were written; download it again."
        )
    try:
        write_tags(media, video_tags(video), cover=video_artwork(video) if cover else None)
    except TagsError as exc:
        raise StepFailed(str(exc)) from exc
    size = media.stat().st_size
    if size != video_file.size:
        VideoFile.objects.filter(pk=video_file.pk).update(size=size)
        video_file.size = size


def video_tags(video: Video) -> Tags:
    """What goes inside the file: the main artist (Plex matches on it), the date as precise
    as it is known, genres joined with "; ", the source address as the comment."""
    return Tags(
        title=video.title,
        artist=video.artist.name if video.artist is not None else "",
        album=video.album,
        date=video.premiered.isoformat() if video.premiered else str(video.year or ""),
        genre="; ".join(video.genres or ()),
        comment=video.source_url,
        description=video.plot,
    )


def _write_sidecar(video_file: VideoFile, kind, data: bytes) -> None:
    try:
        video_file_write_sidecar(video_file=video_file, kind=kind, data=data)
    except OSError as exc:
        folder = (library_root() / video_file.path).parent
        raise StepFailed(_unwritable(f"The {kind.label}", folder, exc)) from exc


def _remove_sidecar(video_file: VideoFile, kind) -> None:
    try:
        video_file_remove_sidecar(video_file=video_file, kind=kind)
    except OSError as exc:
        folder = (library_root() / video_file.path).parent
        raise StepFailed(
            _unwritable(f"The {kind.label} (switched off)", folder, exc, done="removed")
        ) from exc


def _unwritable(what: str, folder: Path, exc: OSError, *, done: str = "written") -> str:
    try:
        shown = folder.relative_to(library_root()).as_posix()
    except ValueError:
        shown = str(folder)
    reason = exc.strerror or str(exc)
    return (
        f"{what} could not be {done} in the folder “{shown}” ({reason}); check that MVidarr "
        "may write there."
    )

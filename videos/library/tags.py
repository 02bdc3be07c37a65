"""Tags inside the media file, for Plex and players that read no NFO: title, artist, album,
date, genre, comment (the source address), description and the cover picture.

Written by remuxing with ffmpeg (``-c copy``: no stream is re-encoded) into a hidden file in
the same folder; the media file is replaced (``os.replace``, atomic on one filesystem) only
once that copy is whole — ffmpeg finished, and the copy holds the same streams for as long
— and only if the media file did not change meanwhile. On any failure the original is left
as it was and the copy removed. MP4, M4A and MKV only (WebM has no room for a cover).
"""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass, fields
from pathlib import Path

from videos.library.ffmpeg import FfmpegError, run_ffmpeg
from videos.library.streams import stream_details

# Extension → the muxer that writes it.
MUXERS = {"mp4": "mp4", "m4v": "mp4", "m4a": "ipod", "mkv": "matroska"}
# How far the tagged copy's duration may drift from the original's (container rounding).
DURATION_TOLERANCE_SECONDS = 1.0


class TagsError(Exception):
    """The tags could not be written; ``str()`` is a sentence (the file is unchanged)."""


@dataclass(frozen=True)
class Tags:
    title: str = ""
    artist: str = ""
    album: str = ""
    date: str = ""
    genre: str = ""
    comment: str = ""
    description: str = ""


def can_tag(media: Path) -> bool:
    """Whether tags are written into files like ``media`` (by its extension)."""
    return Path(media).suffix.lower().lstrip(".") in MUXERS


def write_tags(
    media: Path, tags: Tags, *, cover: Path | None = None, ffmpeg: str | None = None
) -> None:
    """Write ``tags`` (and ``cover``, a JPEG, as the attached picture) into ``media``.

    Every tag is set, an empty one removed, so writing twice gives the same file. Raises
    :class:`TagsError` (with the media file untouched) when the container is not MP4, M4A or
    MKV, ffmpeg fails, the copy is not whole, or the file changed while it was tagged.
    """
    media = Path(media)
    ext = media.suffix.lower().lstrip(".")
    if ext not in MUXERS:
        raise TagsError(
            f"{media.name} is {ext.upper() or 'without an extension'}: tags are written in "
            "MP4, M4A and MKV files only."
        )
    before = media.stat()
    try:
        original = stream_details(media, ffmpeg=ffmpeg)
    except FfmpegError as exc:
        raise TagsError(f"{media.name} could not be read ({exc}).") from None
    copy = media.with_name(f".{uuid.uuid4().hex}.tagging.{ext}")
    try:
        run_ffmpeg(_arguments(media, copy, ext, tags, cover, original.has_video), ffmpeg=ffmpeg)
        _check_whole(copy, original)
        _check_unchanged(media, before)
        shutil.copymode(media, copy)
        with copy.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(copy, media)
    except (FfmpegError, OSError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise TagsError(
            f"The tags could not be written into {media.name} ({reason}); the file was left "
            "as it was."
        ) from None
    finally:
        copy.unlink(missing_ok=True)


def _arguments(
    media: Path, copy: Path, ext: str, tags: Tags, cover: Path | None, has_video: bool
) -> list[str | Path]:
    args: list[str | Path] = ["-loglevel", "error", "-y", "-i", media.resolve()]
    cover = cover if cover is not None and cover.is_file() else None
    if cover is not None and ext != "mkv":
        args += ["-i", cover.resolve()]
    # The file's own streams, without a cover picture it had (the new one replaces it).
    args += ["-map", "0:V?", "-map", "0:a?"]
    if ext != "m4a":
        args += ["-map", "0:s?"]
    if ext == "mkv":
        args += ["-map", "0:t?"]  # fonts for subtitles; a cover is a picture stream, not these
    args += ["-c", "copy"]
    if cover is not None:
        if ext == "mkv":
            args += ["-attach", cover.resolve(), "-metadata:s:t:0", "mimetype=image/jpeg"]
            args += ["-metadata:s:t:0", "filename=cover.jpg"]
        else:
            # The cover is the last picture stream: after the video's, if it has one.
            args += ["-map", "1:0", f"-disposition:v:{1 if has_video else 0}", "attached_pic"]
    for field in fields(Tags):
        args += ["-metadata", f"{field.name}={getattr(tags, field.name)}"]
    if ext != "mkv":
        args += ["-movflags", "+faststart"]
    return [*args, "-f", MUXERS[ext], copy]


def _check_whole(copy: Path, original) -> None:
    if not copy.is_file() or copy.stat().st_size == 0:
        raise FfmpegError("it wrote no file")
    try:
        tagged = stream_details(copy)
    except FfmpegError:
        raise FfmpegError("the tagged copy could not be read back") from None
    same = (tagged.video_codec, tagged.audio_codec) == (original.video_codec, original.audio_codec)
    if not same:
        raise FfmpegError("the tagged copy does not hold the same streams")
    if (
        original.duration
        and tagged.duration is not None
        and abs(tagged.duration - original.duration) > DURATION_TOLERANCE_SECONDS
    ):
        raise FfmpegError("the tagged copy is not as long as the file")


def _check_unchanged(media: Path, before: os.stat_result) -> None:
    now = media.stat()
    if (now.st_ino, now.st_size, now.st_mtime_ns) != (
        before.st_ino,
        before.st_size,
        before.st_mtime_ns,
    ):
        raise FfmpegError("the file changed while it was tagged (a new download?)")

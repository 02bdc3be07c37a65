"""Download: one video into a folder, checked by ffmpeg to be audio or video."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yt_dlp.utils import YoutubeDLError

from videos import quality as q
from videos.ytdlp.config import YtdlpConfig, ffmpeg_path
from videos.ytdlp.errors import (
    Cancelled,
    PermanentError,
    PlaylistRefused,
    check_url,
    classify,
    format_unavailable,
)
from videos.ytdlp.formats import (
    FormatPlan,
    nothing_allowed,
    offered_qualities,
    plan_for_quality,
    yt_dlp_options,
)
from videos.ytdlp.info import artist_and_title, as_float, as_int, extractor_name, source_id_for
from videos.ytdlp.progress import Progress, ProgressTracker
from videos.ytdlp.results import DownloadResult
from videos.ytdlp.session import base_options, youtube_dl


def download(
    url: str,
    dest_dir: Path,
    quality: str | FormatPlan,
    *,
    config: YtdlpConfig,
    on_progress: Callable[[Progress], None],
    should_cancel: Callable[[], bool],
) -> DownloadResult:
    """Download one video into ``dest_dir`` as ``media.<ext>`` and describe what was obtained.

    ``quality`` is a per-job quality (``best``, a height cap, ``audio``) or the plan of a
    profile; when nothing the plan allows is offered, PermanentError names both.

    Calls ``on_progress`` on every yt-dlp progress event (throttling is the caller's job) and
    ``should_cancel`` as often; raises ``Cancelled`` when it returns True, leaving only partial
    files in ``dest_dir`` for the caller to delete. Raises TransientError or PermanentError.
    """
    check_url(url)
    dest_dir = Path(dest_dir).resolve()
    plan = quality if isinstance(quality, FormatPlan) else plan_for_quality(quality)
    tracker = ProgressTracker(on_progress, should_cancel)
    offered: list[str] = []

    def match_filter(info: dict[str, Any], *, incomplete: bool = False) -> None:
        # Asked before the format is chosen, with every format: what the video offers.
        if incomplete and info.get("formats"):
            offered[:] = offered_qualities(info["formats"])
        return tracker.match_filter(info, incomplete=incomplete)

    options = {
        **base_options(config),
        **yt_dlp_options(plan),
        "paths": {"home": str(dest_dir), "temp": str(dest_dir)},
        "outtmpl": {"default": "media.%(ext)s"},
        # No merge_output_format unless the plan wants a container: yt-dlp then picks mp4 when
        # the streams fit in it, else webm or mkv. "mp4/mkv" would pick mkv whenever a codec
        # is unknown (HLS audio renditions).
        "continuedl": False,
        "overwrites": True,
        "updatetime": False,
        "skip_unavailable_fragments": False,  # a missing fragment fails instead of a gap
        "match_filter": match_filter,
        "progress_hooks": [tracker.on_download],
        "postprocessor_hooks": [tracker.on_postprocess],
    }
    try:
        with youtube_dl(options, config) as ydl:
            info = ydl.extract_info(url, download=True)
    except Cancelled:
        raise
    except PlaylistRefused as error:
        raise PermanentError(
            f"{url} is a playlist or feed, not a single video; add its videos one by one."
        ) from error
    except YoutubeDLError as error:
        if plan.allowed and format_unavailable(error):
            raise PermanentError(nothing_allowed(plan, offered)) from error
        raise classify(error, url) from error
    path = _final_path(info, dest_dir, url)
    tracker.finish()
    streams = media_streams(ffmpeg_path(config), path)
    if not streams.video and not streams.audio:
        raise PermanentError(
            f"What {url} sent is not audio or video (ffmpeg could not read it as either), so "
            "it was not added to the library; check the link."
        )
    height, width = info.get("height"), info.get("width")
    if not streams.video:
        height = width = None  # the audio kept from a video: no picture, no size
    elif not height and streams.size:
        width, height = streams.size
        # The site did not say the height, so the selector let it through: check it now.
        got = q.quality_of(height=height)
        if plan.allowed and got not in plan.allowed:
            seen = sorted({*offered, got} - {None}, key=q.rank, reverse=True)
            raise PermanentError(nothing_allowed(plan, seen))
    ext = path.suffix.lstrip(".")
    extractor = str(info.get("extractor") or "generic").lower()
    artist, title = artist_and_title(info)
    return DownloadResult(
        path=path,
        size=path.stat().st_size,
        height=as_int(height),
        width=as_int(width),
        format=f"{info.get('format_id') or '?'} ({ext})",
        ext=ext,
        video_codec=streams.video_codec,
        audio_codec=streams.audio_codec,
        info={
            "id": info.get("id"),
            "source_id": source_id_for(extractor, info.get("id"), url),
            "extractor": extractor_name(extractor),
            "title": title if info.get("title") else None,
            "uploader": info.get("uploader"),
            "artist": artist,
            "duration": as_float(info.get("duration")),
            "thumbnail": info.get("thumbnail"),
            "upload_date": info.get("upload_date"),
            "webpage_url": info.get("webpage_url") or url,
            "format_id": info.get("format_id"),
        },
    )


def _final_path(info: dict[str, Any] | None, dest_dir: Path, url: str) -> Path:
    downloads = (info or {}).get("requested_downloads") or []
    path = Path(downloads[0]["filepath"]).resolve() if downloads else None
    if path is None or not path.is_file() or path.parent != dest_dir:
        raise PermanentError(f"yt-dlp finished {url} without leaving a file; check the link.")
    return path


# --- the media-stream check -------------------------------------------------------------------
@dataclass(frozen=True)
class MediaStreams:
    video: bool
    audio: bool
    size: tuple[int, int] | None  # (width, height) of the first video stream
    video_codec: str = ""  # of the first video stream
    audio_codec: str = ""  # of the first audio stream


_STREAM = re.compile(r"^\s*Stream #\S+.*?: (Video|Audio): (.*)$", re.MULTILINE)
_SIZE = re.compile(r", (\d{2,5})x(\d{2,5})[\s,\[]")


def media_streams(ffmpeg: str, path: Path) -> MediaStreams:
    """What ``ffmpeg -i`` finds in a file: video and audio streams, and the video's size.

    (imageio-ffmpeg ships no ffprobe.) A file ffmpeg cannot read has neither stream. Raises
    PermanentError when ffmpeg cannot be run.
    """
    try:
        run = subprocess.run(
            [ffmpeg, "-hide_banner", "-i", str(path)], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise PermanentError(
            f"ffmpeg could not be run to check the downloaded file ({error}); point "
            "FFMPEG_PATH at a working ffmpeg."
        ) from error
    streams = _STREAM.findall(run.stderr)
    sizes = [m for kind, rest in streams if kind == "Video" and (m := _SIZE.search(rest))]
    codecs = {kind: rest.split()[0].strip(",")[:64] for kind, rest in reversed(streams) if rest}
    return MediaStreams(
        video=any(kind == "Video" for kind, _ in streams),
        audio=any(kind == "Audio" for kind, _ in streams),
        size=(int(sizes[0][1]), int(sizes[0][2])) if sizes else None,
        video_codec=codecs.get("Video", ""),
        audio_codec=codecs.get("Audio", ""),
    )

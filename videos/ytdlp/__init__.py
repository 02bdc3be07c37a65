"""The one door to yt-dlp: probe a URL, download one video, map failures to two kinds.

Nothing else in MVidarr imports ``yt_dlp``, and this module imports nothing from Django: the
caller passes a ``YtdlpConfig``. Failures come out as ``TransientError`` (worth retrying later)
or ``PermanentError`` (retrying will not help), each with a sentence a person can act on;
a cancelled download comes out as ``Cancelled``.
"""

from __future__ import annotations

import datetime
import functools
import http.cookiejar
import logging
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import imageio_ffmpeg
import yt_dlp
from yt_dlp.extractor import gen_extractor_classes
from yt_dlp.globals import supported_js_runtimes
from yt_dlp.utils import (
    YoutubeDLError,
    unsmuggle_url,
)

from videos import netguard
from videos.ytdlp.errors import (
    Cancelled,
    PermanentError,
    TransientError,
    YtdlpError,
    _check_url,
    _classify,
    _PlaylistRefused,
)
from videos.ytdlp.info import (
    _GENERIC_EXTRACTORS,
    _artist,
    _date,
    _extractor_name,
    _float,
    _int,
    _sanitise,
    _source_id,
)
from videos.ytdlp.network import FFMPEG_INPUT_ARGS, GuardedYoutubeDL
from videos.ytdlp.progress import Progress, _ProgressTracker

logger = logging.getLogger(__name__)

__all__ = [
    "QUALITIES",
    "Cancelled",
    "DownloadResult",
    "PermanentError",
    "PlaylistEntry",
    "PlaylistResult",
    "ProbeResult",
    "Progress",
    "TransientError",
    "YtdlpConfig",
    "YtdlpError",
    "download",
    "ffmpeg_path",
    "format_selector",
    "js_runtime_status",
    "probe",
]

QUALITIES = ("best", "2160p", "1440p", "1080p", "720p", "480p", "360p", "audio")

_JS_RUNTIME_NAMES = ("deno", "node", "bun")  # auto-detection order


# --- configuration ----------------------------------------------------------------------------
@dataclass(frozen=True)
class YtdlpConfig:
    ffmpeg_path: str | None = None  # None: the binary imageio-ffmpeg ships
    js_runtime: str | None = None  # None: auto (deno, node, bun); "none"; "node"; "node:/path"
    cookies_file: str | None = None
    proxy: str | None = None
    socket_timeout: float = 20.0
    retries: int = 2  # yt-dlp's own retries, fragment_retries and extractor_retries
    # Private addresses yt-dlp may connect to anyway: "host[:port]" or CIDR (netguard).
    allowed_private_hosts: tuple[str, ...] = ()


def ffmpeg_path(config: YtdlpConfig) -> str:
    """The ffmpeg binary to use: the configured one, else the one imageio-ffmpeg ships."""
    return config.ffmpeg_path or imageio_ffmpeg.get_ffmpeg_exe()


def _js_runtimes_option(config: YtdlpConfig) -> dict[str, dict[str, str]]:
    """yt-dlp's ``js_runtimes`` option: {name: {"path": …}}; empty disables JavaScript."""
    value = (config.js_runtime or "").strip()
    if not value:
        return {name: {} for name in _JS_RUNTIME_NAMES}
    if value.lower() == "none":
        return {}
    name, _, path = value.partition(":")
    name = name.strip().lower()
    if name not in supported_js_runtimes.value:
        known = ", ".join(sorted(supported_js_runtimes.value))
        raise ValueError(f"Unknown JavaScript runtime {name!r}: use one of {known}, or none.")
    return {name: {"path": path} if path else {}}


def js_runtime_status(config: YtdlpConfig) -> tuple[str | None, str]:
    """(the runtime yt-dlp will use, or None; a sentence for a start-up check).

    Runs ``<runtime> --version`` for each candidate, so call it at start-up, not per download.
    The minimum versions are yt-dlp's own (Deno 2.3, Node 22 in yt-dlp 2026.10).
    """
    try:
        wanted = _js_runtimes_option(config)
    except ValueError as error:
        return None, f"{error} YouTube formats will be missing until JS_RUNTIME is fixed."
    if not wanted:
        return (
            None,
            "JavaScript runtime disabled (JS_RUNTIME=none): YouTube formats will be missing.",
        )
    too_old = []
    for name, options in wanted.items():
        runtime = supported_js_runtimes.value[name](path=options.get("path"))
        info = runtime.info
        if info is None:
            continue
        if info.supported:
            return name, f"JavaScript runtime: {info.name} {info.version} ({info.path})."
        minimum = ".".join(map(str, getattr(runtime, "MIN_SUPPORTED_VERSION", ())))
        too_old.append(f"{info.name} {info.version} (yt-dlp needs {minimum} or newer)")
    if too_old:
        return None, (
            f"JavaScript runtime too old: {', '.join(too_old)}. YouTube formats will be missing; "
            "upgrade it, install Deno, or set JS_RUNTIME."
        )
    return None, (
        "No JavaScript runtime found (Deno >= 2.3 or Node >= 22): YouTube formats will be "
        "missing; install one or set JS_RUNTIME."
    )


# --- results ----------------------------------------------------------------------------------
@dataclass
class ProbeResult:
    url: str
    extractor: str
    source_id: str
    title: str
    artist: str | None
    duration: float | None
    thumbnail_url: str | None
    upload_date: datetime.date | None
    heights: list[int]  # available video heights, ascending; empty when the source gives none
    webpage_url: str
    raw: dict[str, Any] = field(repr=False)  # sanitised info dict, JSON-serialisable


@dataclass
class PlaylistEntry:
    url: str
    title: str | None
    extractor: str
    source_id: str
    duration: float | None = None


@dataclass
class PlaylistResult:
    url: str
    title: str | None
    entries: list[PlaylistEntry]


@dataclass
class DownloadResult:
    path: Path  # the final file, inside dest_dir
    size: int
    height: int | None
    width: int | None
    format: str  # format_id and container, e.g. "1200+aud-English (mp4)"
    ext: str
    info: dict[str, Any]  # title, id, source_id, extractor, uploader, artist, duration, …


# --- the YoutubeDL options --------------------------------------------------------------------
class _LogAdapter:
    """yt-dlp's logger interface, into Python logging (yt-dlp's errors become our exceptions)."""

    def debug(self, message: str) -> None:
        logger.debug("%s", message)

    def info(self, message: str) -> None:
        logger.debug("%s", message)

    def warning(self, message: str) -> None:
        # imageio-ffmpeg ships no ffprobe; yt-dlp then remuxes HLS without asking, which is fine.
        level = logging.INFO if "ffprobe not found" in message else logging.WARNING
        logger.log(level, "%s", message)

    def error(self, message: str) -> None:
        logger.info("%s", message)


def _base_options(config: YtdlpConfig) -> dict[str, Any]:
    options: dict[str, Any] = {
        "logger": _LogAdapter(),
        "quiet": True,
        "noprogress": True,
        "color": "never",
        "cachedir": False,
        "noplaylist": True,
        "socket_timeout": config.socket_timeout,
        "retries": config.retries,
        "fragment_retries": config.retries,
        "extractor_retries": config.retries,
        "file_access_retries": 1,
        "ffmpeg_location": ffmpeg_path(config),
        "js_runtimes": _js_runtimes_option(config),
        # HLS is fetched natively, through the address guard; ffmpeg may not open the network.
        "external_downloader": {"m3u8": "native"},
        "external_downloader_args": {"ffmpeg_i": FFMPEG_INPUT_ARGS},
    }
    if config.proxy:
        options["proxy"] = config.proxy
    return options


@functools.cache
def _default_extractors() -> tuple[type, ...]:
    """yt-dlp's default extractor classes, in its order (what ``YoutubeDL()`` would load).

    yt-dlp works this list out again for every ``YoutubeDL`` (34 ms of CPU each, measured
    by the benchmark); the classes never change while the process runs.
    """
    by_name = {ie.IE_NAME.lower(): ie for ie in gen_extractor_classes()}
    return tuple(ie for ie in by_name.values() if ie._ENABLED)


def _youtube_dl(options: dict[str, Any], config: YtdlpConfig) -> yt_dlp.YoutubeDL:
    policy = netguard.policy_for(config.allowed_private_hosts)
    ydl = GuardedYoutubeDL(options, policy=policy, auto_init=False)
    for extractor in _default_extractors():
        ydl.add_info_extractor(extractor)  # a class: each YoutubeDL makes its own instance
    if config.cookies_file:
        # Loaded into the jar, not passed as ``cookiefile``: yt-dlp writes that file back on
        # close, and several downloads share it.
        try:
            ydl.cookiejar.load(config.cookies_file)
        except (OSError, http.cookiejar.LoadError) as error:
            ydl.close()
            raise PermanentError(
                f"The cookies file {config.cookies_file} could not be read ({error}); "
                "export it again in Netscape format or unset it."
            ) from error
    return ydl


def format_selector(quality: str) -> str:
    """The yt-dlp format string for a quality in QUALITIES.

    A height cap takes the best at or under it (separate video and audio merged, else a single
    file), and falls back to the smallest there is when nothing is that small.
    """
    if quality == "best":
        return "bv*+ba/b"
    if quality == "audio":
        return "ba/b"
    if quality not in QUALITIES:
        raise ValueError(f"Unknown quality {quality!r}: use one of {', '.join(QUALITIES)}.")
    height = int(quality.removesuffix("p"))
    return f"bv*[height<={height}]+ba/b[height<={height}]/wv*+ba/w"


# --- probe ------------------------------------------------------------------------------------
def probe(url: str, *, config: YtdlpConfig) -> ProbeResult | PlaylistResult:
    """What ``url`` holds: one video, or a playlist whose entries are listed but not resolved."""
    _check_url(url)
    options = {**_base_options(config), "extract_flat": "in_playlist"}
    try:
        with _youtube_dl(options, config) as ydl:
            info = ydl.extract_info(url, download=False)
    except YoutubeDLError as error:
        raise _classify(error, url) from error
    if info is None:
        raise PermanentError(f"yt-dlp found nothing to download at {url}; check the link.")
    if info.get("_type") in ("playlist", "multi_video"):
        return PlaylistResult(
            url=url,
            title=info.get("title"),
            entries=[entry for raw in info.get("entries") or [] if (entry := _entry(raw))],
        )
    return _probe_result(url, info)


def _probe_result(url: str, info: dict[str, Any]) -> ProbeResult:
    heights = sorted(
        {
            int(f["height"])
            for f in info.get("formats") or [info]
            if f.get("height") and f.get("vcodec") != "none"
        }
    )
    extractor = str(info.get("extractor") or "generic").lower()
    return ProbeResult(
        url=url,
        extractor=_extractor_name(extractor),
        source_id=_source_id(extractor, info.get("id"), url),
        title=str(info.get("title") or info.get("id") or url),
        artist=_artist(info),
        duration=_float(info.get("duration")),
        thumbnail_url=info.get("thumbnail"),
        upload_date=_date(info.get("upload_date") or info.get("release_date")),
        heights=heights,
        webpage_url=info.get("webpage_url") or url,
        raw=_sanitise(info),
    )


def _entry(raw: dict[str, Any] | None) -> PlaylistEntry | None:
    if not raw or not raw.get("url"):
        return None
    entry_url, smuggled = unsmuggle_url(raw["url"], {})
    extractor = str(raw.get("ie_key") or raw.get("extractor") or "generic").lower()
    if extractor in _GENERIC_EXTRACTORS:
        source_id = _source_id(extractor, None, entry_url)
    else:
        source_id = _source_id(extractor, raw.get("id") or smuggled.get("force_videoid"), entry_url)
    return PlaylistEntry(
        url=entry_url,
        title=raw.get("title"),
        extractor=_extractor_name(extractor),
        source_id=source_id,
        duration=_float(raw.get("duration")),
    )


# --- download ---------------------------------------------------------------------------------
def download(
    url: str,
    dest_dir: Path,
    quality: str,
    *,
    config: YtdlpConfig,
    on_progress: Callable[[Progress], None],
    should_cancel: Callable[[], bool],
) -> DownloadResult:
    """Download one video into ``dest_dir`` as ``media.<ext>`` and describe what was obtained.

    Calls ``on_progress`` on every yt-dlp progress event (throttling is the caller's job) and
    ``should_cancel`` as often; raises ``Cancelled`` when it returns True, leaving only partial
    files in ``dest_dir`` for the caller to delete. Raises TransientError or PermanentError.
    """
    _check_url(url)
    dest_dir = Path(dest_dir).resolve()
    tracker = _ProgressTracker(on_progress, should_cancel)
    options = {
        **_base_options(config),
        "format": format_selector(quality),
        "paths": {"home": str(dest_dir), "temp": str(dest_dir)},
        "outtmpl": {"default": "media.%(ext)s"},
        # No merge_output_format: yt-dlp then picks mp4 when the streams fit in it, else webm or
        # mkv. "mp4/mkv" would pick mkv whenever a codec is unknown (HLS audio renditions).
        "continuedl": False,
        "overwrites": True,
        "updatetime": False,
        "skip_unavailable_fragments": False,  # a missing fragment fails instead of a gap
        "match_filter": tracker.match_filter,
        "progress_hooks": [tracker.on_download],
        "postprocessor_hooks": [tracker.on_postprocess],
    }
    try:
        with _youtube_dl(options, config) as ydl:
            info = ydl.extract_info(url, download=True)
    except Cancelled:
        raise
    except _PlaylistRefused as error:
        raise PermanentError(
            f"{url} is a playlist or feed, not a single video; add its videos one by one."
        ) from error
    except YoutubeDLError as error:
        raise _classify(error, url) from error
    path = _final_path(info, dest_dir, url)
    tracker.finish()
    streams = _media_streams(ffmpeg_path(config), path)
    if not streams.video and not streams.audio:
        raise PermanentError(
            f"What {url} sent is not audio or video (ffmpeg could not read it as either), so "
            "it was not added to the library; check the link."
        )
    height, width = info.get("height"), info.get("width")
    if not height and streams.size:
        width, height = streams.size
    ext = path.suffix.lstrip(".")
    extractor = str(info.get("extractor") or "generic").lower()
    return DownloadResult(
        path=path,
        size=path.stat().st_size,
        height=_int(height),
        width=_int(width),
        format=f"{info.get('format_id') or '?'} ({ext})",
        ext=ext,
        info={
            "id": info.get("id"),
            "source_id": _source_id(extractor, info.get("id"), url),
            "extractor": _extractor_name(extractor),
            "title": info.get("title"),
            "uploader": info.get("uploader"),
            "artist": _artist(info),
            "duration": _float(info.get("duration")),
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


@dataclass(frozen=True)
class _Streams:
    video: bool
    audio: bool
    size: tuple[int, int] | None  # (width, height) of the first video stream


def _media_streams(ffmpeg: str, path: Path) -> _Streams:
    """What ``ffmpeg -i`` finds in a file: video and audio streams, and the video's size.

    (imageio-ffmpeg ships no ffprobe.) A file ffmpeg cannot read has neither stream.
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
    streams = re.findall(r"^\s*Stream #\S+.*?: (Video|Audio): (.*)$", run.stderr, re.MULTILINE)
    sizes = [m for kind, rest in streams if kind == "Video" and (m := _SIZE.search(rest))]
    return _Streams(
        video=any(kind == "Video" for kind, _ in streams),
        audio=any(kind == "Audio" for kind, _ in streams),
        size=(int(sizes[0][1]), int(sizes[0][2])) if sizes else None,
    )


_SIZE = re.compile(r", (\d{2,5})x(\d{2,5})[\s,\[]")

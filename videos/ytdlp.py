"""The one door to yt-dlp: probe a URL, download one video, map failures to two kinds.

Nothing else in MVidarr imports ``yt_dlp``, and this module imports nothing from Django: the
caller passes a ``YtdlpConfig``. Failures come out as ``TransientError`` (worth retrying later)
or ``PermanentError`` (retrying will not help), each with a sentence a person can act on;
a cancelled download comes out as ``Cancelled``.
"""

from __future__ import annotations

import dataclasses
import datetime
import errno
import hashlib
import http.cookiejar
import logging
import re
import subprocess
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import imageio_ffmpeg
import yt_dlp
from yt_dlp.globals import supported_js_runtimes
from yt_dlp.networking.exceptions import HTTPError, TransportError
from yt_dlp.utils import (
    ContentTooShortError,
    DownloadCancelled,
    PostProcessingError,
    UnsupportedError,
    YoutubeDLError,
    unsmuggle_url,
)

logger = logging.getLogger(__name__)

QUALITIES = ("best", "2160p", "1440p", "1080p", "720p", "480p", "360p", "audio")

# Extractors whose ids are only a file name ("master", "video"): their source id is made from
# the URL instead, so two sites never share one.
_GENERIC_EXTRACTORS = frozenset({"generic", "html5"})
_JS_RUNTIME_NAMES = ("deno", "node", "bun")  # auto-detection order
_RAW_DROP_KEYS = frozenset(
    {"formats", "thumbnails", "requested_formats", "requested_downloads", "http_headers",
     "cookies", "subtitles", "automatic_captions", "heatmap", "fragments", "entries"}
)  # fmt: skip


# --- errors -----------------------------------------------------------------------------------
class YtdlpError(Exception):
    """A failure explained in one sentence (``message``, also ``str(error)``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TransientError(YtdlpError):
    """Worth retrying later: timeouts, dropped connections, HTTP 5xx, HTTP 429 (rate limited).

    ``host`` is the host of the requested URL; ``retry_after`` the server's Retry-After in
    seconds when it sent one.
    """

    def __init__(
        self,
        message: str,
        *,
        host: str | None = None,
        rate_limited: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.host = host
        self.rate_limited = rate_limited
        self.retry_after = retry_after


class PermanentError(YtdlpError):
    """Retrying will not help: bad or unsupported URL, 4xx, private or removed video, no formats,
    a playlist where one video was expected, no disk space."""


class Cancelled(DownloadCancelled):
    """Raised from the progress hook when ``should_cancel()`` says so; yt-dlp lets it through."""

    msg = "The download was cancelled."


class _PlaylistRefused(DownloadCancelled):
    # Raised by the match filter before any entry of a playlist is resolved or downloaded.
    msg = "A playlist was given where a single video was expected."


# --- configuration ----------------------------------------------------------------------------
@dataclass(frozen=True)
class YtdlpConfig:
    ffmpeg_path: str | None = None  # None: the binary imageio-ffmpeg ships
    js_runtime: str | None = None  # None: auto (deno, node, bun); "none"; "node"; "node:/path"
    cookies_file: str | None = None
    proxy: str | None = None
    socket_timeout: float = 20.0
    retries: int = 2  # yt-dlp's own retries, fragment_retries and extractor_retries


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
class Progress:
    percent: float  # 0-100, never decreasing over the whole download (see _ProgressTracker)
    downloaded_bytes: int
    total_bytes: int | None
    speed: float | None  # bytes per second
    eta: float | None  # seconds
    phase: str  # "downloading" | "merging"


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
    }
    if config.proxy:
        options["proxy"] = config.proxy
    return options


def _youtube_dl(options: dict[str, Any], config: YtdlpConfig) -> yt_dlp.YoutubeDL:
    ydl = yt_dlp.YoutubeDL(options)
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
    height, width = info.get("height"), info.get("width")
    if not height and info.get("vcodec") != "none":
        width, height = _video_size(ffmpeg_path(config), path) or (None, None)
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


class _ProgressTracker:
    """Turns yt-dlp's per-stream progress into one figure for the whole download.

    A merged download runs one pass per stream (video, then audio). Each pass gets a share of
    0-100 in proportion to its size when yt-dlp knows every size up front, else an equal share.
    Inside a pass the fraction is bytes over total (or estimate), or fragments done over
    fragments for HLS when no total is known. The figure never goes down; after the last
    pass it is 100, and post-processing (merging, remuxing) reports phase "merging" at 100.
    ``downloaded_bytes`` counts every pass; ``total_bytes`` is the finished passes plus the
    current pass's total, or None while the current pass does not know its total.
    """

    def __init__(
        self, on_progress: Callable[[Progress], None], should_cancel: Callable[[], bool]
    ) -> None:
        self._on_progress = on_progress
        self._should_cancel = should_cancel
        self._weights: dict[str, float] = {}  # format_id -> share, in download order
        self._finished_bytes: dict[str, int] = {}
        self._last = Progress(0.0, 0, None, None, None, "downloading")

    def _check_cancel(self) -> None:
        if self._should_cancel():
            raise Cancelled()

    def match_filter(self, info: dict[str, Any], *, incomplete: bool = False) -> None:
        """yt-dlp's match_filter: refuses playlists, learns the streams about to be downloaded.

        yt-dlp asks it about a playlist as a whole before resolving any entry, and about the
        final video (with ``requested_formats`` when streams will be merged) just before the
        download; the progress hook itself never sees the list of streams.
        """
        if info.get("playlist_id") is not None or info.get("playlist_index") is not None:
            raise _PlaylistRefused()
        if not incomplete:
            formats = info.get("requested_formats") or [info]
            sizes = [f.get("filesize") or f.get("filesize_approx") for f in formats]
            self._weights = {
                str(f.get("format_id")): float(size) if all(sizes) else 1.0
                for f, size in zip(formats, sizes, strict=True)
            }

    def on_download(self, status: dict[str, Any]) -> None:
        self._check_cancel()
        key = str((status.get("info_dict") or {}).get("format_id"))
        if key not in self._weights:  # an unplanned stream: give it an average share
            shares = self._weights.values()
            self._weights[key] = sum(shares) / len(shares) if shares else 1.0
        downloaded = int(status.get("downloaded_bytes") or 0)
        total = status.get("total_bytes") or status.get("total_bytes_estimate")
        if status.get("status") == "finished":
            fraction = 1.0
            self._finished_bytes[key] = downloaded or int(total or 0)
        elif status.get("total_bytes"):
            fraction = downloaded / status["total_bytes"]
        elif status.get("fragment_count"):  # fragment_index is the one in flight, from 1
            fraction = ((status.get("fragment_index") or 1) - 1) / status["fragment_count"]
        elif total:
            fraction = downloaded / total
        else:
            fraction = 0.0
        keys = list(self._weights)
        done = sum(self._weights[k] for k in keys[: keys.index(key)])
        percent = 100.0 * (done + self._weights[key] * min(fraction, 1.0))
        percent /= sum(self._weights.values())
        other_bytes = sum(b for k, b in self._finished_bytes.items() if k != key)
        if status.get("status") == "finished":
            current, current_total = self._finished_bytes[key], self._finished_bytes[key]
        else:
            current, current_total = downloaded, status.get("total_bytes")
        self._emit(
            Progress(
                percent=min(max(percent, self._last.percent), 100.0),
                downloaded_bytes=max(other_bytes + current, self._last.downloaded_bytes),
                total_bytes=(other_bytes + int(current_total)) if current_total else None,
                speed=_float(status.get("speed")),
                eta=_float(status.get("eta")),
                phase="downloading",
            )
        )

    def on_postprocess(self, status: dict[str, Any]) -> None:
        self._check_cancel()
        # MoveFiles runs after every download; only ffmpeg work (merge, fixups) is "merging".
        if status.get("status") == "started" and status.get("postprocessor") != "MoveFiles":
            self._emit(dataclasses.replace(self._last, percent=100.0, phase="merging", eta=None))

    def finish(self) -> None:
        if self._last.percent < 100.0:
            self._emit(dataclasses.replace(self._last, percent=100.0, eta=0.0))

    def _emit(self, progress: Progress) -> None:
        self._last = progress
        self._on_progress(progress)


def _video_size(ffmpeg: str, path: Path) -> tuple[int, int] | None:
    """(width, height) of the first video stream, read from ``ffmpeg -i`` (no ffprobe here)."""
    try:
        run = subprocess.run(
            [ffmpeg, "-hide_banner", "-i", str(path)], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r"Stream #.*?Video: .*?, (\d{2,5})x(\d{2,5})[\s,\[]", run.stderr)
    return (int(match[1]), int(match[2])) if match else None


# --- error mapping ----------------------------------------------------------------------------
def _check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url.strip()) if isinstance(url, str) else None
    if not parts or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise PermanentError(
            f"{url!r} is not a web address; paste a link that starts with http:// or https://."
        )


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error and everything behind it: exc_info, cause, __cause__, __context__."""
    seen: set[int] = set()
    stack = [error]
    while stack:
        current = stack.pop(0)
        if current is None or id(current) in seen or not isinstance(current, BaseException):
            continue
        seen.add(id(current))
        yield current
        exc_info = getattr(current, "exc_info", None)
        if isinstance(exc_info, tuple) and len(exc_info) > 1:
            stack.append(exc_info[1])
        stack += [getattr(current, "cause", None), current.__cause__, current.__context__]


_TRANSIENT_TEXT = re.compile(
    r"connection (?:reset|refused|aborted)|remote end closed|incomplete ?read"
    r"|bytes read|did not get any data blocks|content too short|giving up after"
    r"|temporary failure|name or service not known|network is unreachable|broken pipe"
    r"|unable to download video data",
    re.IGNORECASE,
)


def _classify(error: BaseException, url: str) -> YtdlpError:
    """Map anything yt-dlp raised to TransientError or PermanentError."""
    chain = list(_chain(error))
    # Without URLs, so a link that says "rate-limit" or "removed" does not decide the verdict.
    text = re.sub(r"https?://\S+", "<url>", " | ".join(str(e) for e in chain))
    host = urllib.parse.urlsplit(url).hostname
    for exc in chain:
        if isinstance(exc, PermanentError | TransientError):
            return exc
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
            return _disk_full()
        if isinstance(exc, HTTPError):
            response = exc.response
            retry_after = response.headers.get("Retry-After") if response is not None else None
            return _http_error(exc.status, url, host, _float(retry_after))
        if isinstance(exc, UnsupportedError):
            return _unsupported(url)
    if re.search(r"no space left on device|file too large|disk quota exceeded", text, re.I):
        return _disk_full()
    if re.search(r"ffmpeg is not installed|ffmpeg not found", text, re.I) or any(
        isinstance(e, PostProcessingError) for e in chain
    ):
        return PermanentError(
            f"ffmpeg is missing or failed while finishing {url} ({_short(error)}); point "
            "FFMPEG_PATH at a working ffmpeg."
        )
    if match := re.search(r"HTTP Error (\d{3})", text):
        return _http_error(int(match[1]), url, host, None)
    if re.search(r"unsupported url", text, re.I):
        return _unsupported(url)
    if re.search(r"is not a valid URL", text, re.I):
        return PermanentError(f"{url!r} is not a valid link; check it and paste it again.")
    if re.search(r"requested format is not available|no video formats found", text, re.I):
        return PermanentError(
            f"No downloadable format was found for {url}; try another quality, or the video "
            "may need a JavaScript runtime or cookies."
        )
    if re.search(r"not a bot|too many requests|rate.?limit", text, re.I):
        return TransientError(
            f"{host or url} is limiting our requests; wait a while before retrying, or set a "
            "cookies file.",
            host=host,
            rate_limited=True,
        )
    if re.search(
        r"private video|video unavailable|has been removed|is not available|sign in|"
        r"members.only|account .*terminated|copyright|age.restricted|geo.?restrict",
        text,
        re.I,
    ):
        return PermanentError(
            f"The video at {url} is private, removed or restricted: {_short(error)}. "
            "Check the link, or set a cookies file if it needs an account."
        )
    if any(isinstance(e, TimeoutError) for e in chain) or re.search(r"timed? ?out", text, re.I):
        return TransientError(
            f"{host or url} did not answer in time; the download will be retried later.",
            host=host,
        )
    if any(isinstance(e, TransportError | ContentTooShortError) for e in chain):
        return _network(url, host, error)
    if _TRANSIENT_TEXT.search(text):
        return _network(url, host, error)
    return PermanentError(
        f"yt-dlp could not download {url}: {_short(error)}. Check the link; if the site changed, "
        "a newer yt-dlp may be needed."
    )


def _http_error(status: int, url: str, host: str | None, retry_after: float | None) -> YtdlpError:
    if status == 429:
        return TransientError(
            f"{host or url} answered HTTP 429 (too many requests); the download will be retried "
            "later.",
            host=host,
            rate_limited=True,
            retry_after=retry_after,
        )
    if status >= 500:
        return TransientError(
            f"{host or url} answered HTTP {status} (a server error); the download will be "
            "retried later.",
            host=host,
            retry_after=retry_after,
        )
    if status in (404, 410):
        return PermanentError(
            f"The video was not found at {url} (HTTP {status}). Check the link; the video may "
            "have been removed."
        )
    if status in (401, 403):
        return PermanentError(
            f"Access to {url} was denied (HTTP {status}); the video may be private or "
            "region-locked. Set a cookies file or proxy if you should have access."
        )
    return PermanentError(f"{url} answered HTTP {status}; check the link.")


def _unsupported(url: str) -> PermanentError:
    return PermanentError(
        f"No video was found at {url}: yt-dlp does not support this site or page. Use the link "
        "of the video's own page."
    )


def _disk_full() -> PermanentError:
    return PermanentError(
        "Not enough disk space to finish the download; free some space in the library and retry."
    )


def _network(url: str, host: str | None, error: BaseException) -> TransientError:
    return TransientError(
        f"The connection to {host or url} failed ({_short(error)}); the download will be "
        "retried later.",
        host=host,
    )


def _short(error: BaseException) -> str:
    """yt-dlp's message without "ERROR:", the [extractor] tag and the traceback hints."""
    text = str(error).replace("\r", "").strip() or type(error).__name__
    text = text.splitlines()[0]
    text = re.sub(r"^ERROR:\s*", "", text)
    text = re.sub(r"^\[[^\]]+\]\s*(?:[^\s:]+:\s)?", "", text)
    text = re.sub(r"^Got error:\s*", "", text)
    text = re.sub(r"\s*\(caused by .*\)$", "", text)
    return text.rstrip(". ")


# --- small converters -------------------------------------------------------------------------
def _extractor_name(extractor: str) -> str:
    return "generic" if extractor in _GENERIC_EXTRACTORS else extractor


def _source_id(extractor: str, video_id: Any, url: str) -> str:
    """The site's id, or for the generic extractor ``url-<hash>`` of the URL (stable, unique)."""
    if extractor in _GENERIC_EXTRACTORS or not video_id:
        clean = urllib.parse.urldefrag(url.strip())[0]
        return "url-" + hashlib.sha256(clean.encode()).hexdigest()[:16]
    return str(video_id)


def _artist(info: dict[str, Any]) -> str | None:
    for key in ("artist", "artists", "creator", "creators", "uploader", "channel"):
        value = info.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if value:
            return str(value)
    return None


def _date(value: Any) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(str(value), "%Y%m%d").date() if value else None
    except ValueError:
        return None


def _float(value: Any) -> float | None:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _int(value: Any) -> int | None:
    number = _float(value)
    return int(number) if number else None


def _sanitise(info: dict[str, Any]) -> dict[str, Any]:
    clean = yt_dlp.YoutubeDL.sanitize_info(info, remove_private_keys=True)
    return {key: value for key, value in clean.items() if key not in _RAW_DROP_KEYS}

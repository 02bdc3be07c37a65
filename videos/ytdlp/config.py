"""What the caller decides about yt-dlp: the ``YtdlpConfig``, the qualities and their formats."""

from __future__ import annotations

from dataclasses import dataclass

import imageio_ffmpeg
from yt_dlp.globals import supported_js_runtimes

QUALITIES = ("best", "2160p", "1440p", "1080p", "720p", "480p", "360p", "audio")

JS_RUNTIME_NAMES = ("deno", "node", "bun")  # auto-detection order


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


def js_runtimes_option(config: YtdlpConfig) -> dict[str, dict[str, str]]:
    """yt-dlp's ``js_runtimes`` option: {name: {"path": …}}; empty disables JavaScript.

    Raises ValueError (with a sentence) for a runtime yt-dlp does not know.
    """
    value = (config.js_runtime or "").strip()
    if not value:
        return {name: {} for name in JS_RUNTIME_NAMES}
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
        wanted = js_runtimes_option(config)
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

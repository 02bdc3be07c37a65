"""One ``YoutubeDL`` per probe or download, built from a ``YtdlpConfig``.

Its connections go through the private-address guard (``network``), its log lines into Python
logging, and its extractor list is worked out once per process.
"""

from __future__ import annotations

import functools
import http.cookiejar
import logging
from typing import Any

import yt_dlp
from yt_dlp.extractor import gen_extractor_classes

from videos import netguard
from videos.ytdlp.config import YtdlpConfig, ffmpeg_path, js_runtimes_option
from videos.ytdlp.errors import PermanentError
from videos.ytdlp.network import FFMPEG_INPUT_ARGS, GuardedYoutubeDL

logger = logging.getLogger(__name__)


class LogAdapter:
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


def base_options(config: YtdlpConfig) -> dict[str, Any]:
    """The YoutubeDL options probe and download share; each adds its own on top."""
    options: dict[str, Any] = {
        "logger": LogAdapter(),
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
        "js_runtimes": js_runtimes_option(config),
        # HLS is fetched natively, through the address guard; ffmpeg may not open the network.
        "external_downloader": {"m3u8": "native"},
        "external_downloader_args": {"ffmpeg_i": FFMPEG_INPUT_ARGS},
    }
    if config.proxy:
        options["proxy"] = config.proxy
    return options


@functools.cache
def default_extractors() -> tuple[type, ...]:
    """yt-dlp's default extractor classes, in its order (what ``YoutubeDL()`` would load).

    yt-dlp works this list out again for every ``YoutubeDL`` (34 ms of CPU each, measured
    by the benchmark); the classes never change while the process runs.
    """
    by_name = {ie.IE_NAME.lower(): ie for ie in gen_extractor_classes()}
    return tuple(ie for ie in by_name.values() if ie._ENABLED)


def youtube_dl(options: dict[str, Any], config: YtdlpConfig) -> yt_dlp.YoutubeDL:
    """A guarded YoutubeDL with ``options`` and the config's cookies; use it in a ``with``.

    Raises PermanentError when the cookies file cannot be read.
    """
    policy = netguard.policy_for(config.allowed_private_hosts)
    ydl = GuardedYoutubeDL(options, policy=policy, auto_init=False)
    for extractor in default_extractors():
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

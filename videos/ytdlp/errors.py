"""yt-dlp's failures mapped to the two kinds MVidarr acts on, each with a sentence."""

from __future__ import annotations

import errno
import logging
import re
import urllib.parse
from collections.abc import Iterator

from yt_dlp.networking.exceptions import HTTPError, TransportError
from yt_dlp.utils import (
    ContentTooShortError,
    DownloadCancelled,
    PostProcessingError,
    UnsupportedError,
)

from videos.netguard import AddressRefused
from videos.ytdlp.info import as_float

logger = logging.getLogger(__name__)


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
    a playlist where one video was expected, no disk space.

    ``gone`` says the video itself is no longer there (HTTP 404 or 410, "removed",
    "unavailable"): another source of it is needed, not another try.
    """

    def __init__(self, message: str, *, gone: bool = False) -> None:
        super().__init__(message)
        self.gone = gone


class Cancelled(DownloadCancelled):
    """Raised from the progress hook when ``should_cancel()`` says so; yt-dlp lets it through."""

    msg = "The download was cancelled."


class PlaylistRefused(DownloadCancelled):
    """Raised by the match filter before any entry of a playlist is resolved or downloaded."""

    msg = "A playlist was given where a single video was expected."


# --- error mapping ----------------------------------------------------------------------------
def check_url(url: str) -> None:
    """Raise PermanentError unless ``url`` is an http(s) address with a host."""
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


def format_unavailable(error: BaseException) -> bool:
    """Whether yt-dlp refused because no format matched the selector (the video has some)."""
    text = " | ".join(str(e) for e in _chain(error))
    return bool(re.search(r"requested format is not available", text, re.I))


def classify(error: BaseException, url: str, *, listing: bool = False) -> YtdlpError:
    """Map anything yt-dlp raised while fetching ``url`` to TransientError or PermanentError.

    ``listing``: ``url`` is a channel, playlist or feed being listed, not a video; the
    sentences say so.
    """
    chain = list(_chain(error))
    # Without URLs, so a link that says "rate-limit" or "removed" does not decide the verdict.
    text = re.sub(r"https?://\S+", "<url>", " | ".join(str(e) for e in chain))
    host = urllib.parse.urlsplit(url).hostname
    for exc in chain:
        if isinstance(exc, PermanentError | TransientError):
            return exc
        if isinstance(exc, AddressRefused):
            return PermanentError(exc.message)
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
            return _disk_full()
        if isinstance(exc, HTTPError):
            response = exc.response
            retry_after = response.headers.get("Retry-After") if response is not None else None
            return _http_error(exc.status, url, host, as_float(retry_after), listing=listing)
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
        return _http_error(int(match[1]), url, host, None, listing=listing)
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
        gone = re.search(
            r"video unavailable|has been removed|no longer available|account .*terminated|"
            r"copyright",
            text,
            re.I,
        )
        return PermanentError(
            f"The video at {url} is private, removed or restricted: {_short(error)}. "
            "Check the link, or set a cookies file if it needs an account.",
            gone=bool(gone),
        )
    if any(isinstance(e, TimeoutError) for e in chain) or re.search(r"timed? ?out", text, re.I):
        return TransientError(
            f"{host or url} did not answer in time; the {_job(listing)} will be retried later.",
            host=host,
        )
    if any(isinstance(e, TransportError | ContentTooShortError) for e in chain):
        return _network(url, host, error, listing=listing)
    if _TRANSIENT_TEXT.search(text):
        return _network(url, host, error, listing=listing)
    return PermanentError(
        f"yt-dlp could not download {url}: {_short(error)}. Check the link; if the site changed, "
        "a newer yt-dlp may be needed."
    )


def _job(listing: bool) -> str:
    return "index" if listing else "download"


def _http_error(
    status: int, url: str, host: str | None, retry_after: float | None, *, listing: bool = False
) -> YtdlpError:
    if status == 429:
        return TransientError(
            f"{host or url} answered HTTP 429 (too many requests); the {_job(listing)} will be "
            "retried later.",
            host=host,
            rate_limited=True,
            retry_after=retry_after,
        )
    if status >= 500:
        return TransientError(
            f"{host or url} answered HTTP {status} (a server error); the {_job(listing)} will "
            "be retried later.",
            host=host,
            retry_after=retry_after,
        )
    if status in (404, 410) and listing:
        return PermanentError(
            f"Nothing was found at {url} (HTTP {status}): the channel, playlist or feed may "
            "have been removed. Check the link, or delete the source."
        )
    if status in (404, 410):
        return PermanentError(
            f"The video was not found at {url} (HTTP {status}). Check the link; the video may "
            "have been removed.",
            gone=True,
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


def _network(
    url: str, host: str | None, error: BaseException, *, listing: bool = False
) -> TransientError:
    return TransientError(
        f"The connection to {host or url} failed ({_short(error)}); the {_job(listing)} will "
        "be retried later.",
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

"""Listing: one page of a channel's, playlist's or feed's entries, flat (no entry is probed).

An index pages through a source with :func:`list_page` so that a listing of thousands of
entries is never held in memory at once: yt-dlp is asked for entries ``start + 1`` to
``start + count + 1`` (one more than the page, to learn whether another page follows).
"""

from __future__ import annotations

from yt_dlp.utils import YoutubeDLError

from videos.ytdlp.config import YtdlpConfig
from videos.ytdlp.errors import PermanentError, check_url, classify
from videos.ytdlp.info import as_int
from videos.ytdlp.probing import playlist_entry
from videos.ytdlp.results import ListingPage
from videos.ytdlp.session import base_options, youtube_dl


def list_page(url: str, *, start: int, count: int, config: YtdlpConfig) -> ListingPage:
    """The entries ``start`` (from 0) to ``start + count`` of the listing at ``url``.

    Raises PermanentError when ``url`` is one video rather than a listing, or cannot be
    listed (unsupported, 404, not a feed); TransientError for a fault worth retrying (429,
    5xx, timeouts), with ``rate_limited`` set for a 429.
    """
    check_url(url)
    if start < 0 or count < 1:
        raise ValueError("start must be 0 or more and count 1 or more")
    options = {
        **base_options(config),
        "extract_flat": "in_playlist",
        "noplaylist": False,
        "playliststart": start + 1,
        "playlistend": start + count + 1,
    }
    try:
        with youtube_dl(options, config) as ydl:
            info = ydl.extract_info(url, download=False)
    except YoutubeDLError as error:
        raise classify(error, url, listing=True) from error
    if info is None:
        raise PermanentError(f"yt-dlp found nothing to list at {url}; check the link.")
    if info.get("_type") not in ("playlist", "multi_video"):
        if _is_a_video(info):
            raise PermanentError(
                f"{url} is one video, not a channel, playlist or feed; add it as a video instead."
            )
        raise PermanentError(
            f"{url} is not a channel, playlist or feed that yt-dlp can list, nor a video: "
            "check the link."
        )
    raw = list(info.get("entries") or [])
    return ListingPage(
        title=info.get("title") or None,
        channel_id=info.get("channel_id") or None,
        entries=[entry for item in raw[:count] if (entry := playlist_entry(item))],
        exhausted=len(raw) <= count,
        total=as_int(info.get("playlist_count")),
    )


def _is_a_video(info: dict) -> bool:
    """Whether yt-dlp found one video at the URL, rather than falling back on calling any
    file that is not a web page "a direct link" (a JSON document, say): it then knows no
    media type, and names the extension ``unknown_video``."""
    if info.get("ext") == "unknown_video":
        return False
    return bool(info.get("formats") or info.get("url"))

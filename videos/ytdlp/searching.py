"""Search: a site's search results for a query, flat (no result is probed).

yt-dlp's search prefixes (``ytsearch10:…``) list a search's results as a playlist;
:func:`search` lists them flat, so ten results cost one request, not ten probes.
"""

from __future__ import annotations

from typing import Any

from yt_dlp.utils import YoutubeDLError

from videos.ytdlp.config import YtdlpConfig
from videos.ytdlp.errors import PermanentError, TransientError, classify
from videos.ytdlp.info import as_float
from videos.ytdlp.results import SearchHit
from videos.ytdlp.session import base_options, youtube_dl

SEARCH_PREFIXES = ("ytsearch",)


def search(
    query: str, *, count: int, config: YtdlpConfig, prefix: str = "ytsearch"
) -> list[SearchHit]:
    """Up to ``count`` results of the site's search for ``query`` (YouTube's by default).

    Raises TransientError or PermanentError as a probe does.
    """
    if prefix not in SEARCH_PREFIXES:
        raise ValueError(f"{prefix!r} is not a search prefix MVidarr uses")
    if not query.strip() or count < 1:
        raise PermanentError("There is nothing to search for; give an artist and a title.")
    target = f"{prefix}{count}:{' '.join(query.split())}"
    options = {**base_options(config), "extract_flat": "in_playlist", "noplaylist": False}
    try:
        with youtube_dl(options, config) as ydl:
            info = ydl.extract_info(target, download=False)
    except YoutubeDLError as error:
        raise _as_search_error(classify(error, "YouTube's search", listing=True)) from error
    return search_hits(info)


def _as_search_error(error: PermanentError | TransientError) -> PermanentError | TransientError:
    """The listing's sentence, about a search."""
    error.message = error.message.replace(
        "the index will be retried", "the search will be tried again"
    )
    error.args = (error.message,)
    return error


def search_hits(info: dict[str, Any] | None) -> list[SearchHit]:
    """A flat search playlist's entries as SearchHits; entries without an http(s) URL or a
    title are left out."""
    hits = []
    for raw in (info or {}).get("entries") or []:
        if not raw:
            continue
        url = str(raw.get("url") or raw.get("webpage_url") or "")
        title = str(raw.get("title") or "")
        if not url.startswith(("http://", "https://")) or not title:
            continue
        channel = str(raw.get("channel") or raw.get("uploader") or "")
        hits.append(
            SearchHit(url=url, title=title, channel=channel, duration=as_float(raw.get("duration")))
        )
    return hits

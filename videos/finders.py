"""Source finders: where the candidates for a video known only by artist and title come from.

A finder is one object with a ``name`` and ``find(wanted, config=…)`` returning
:class:`videos.scoring.Candidate` s; the resolver (``jobs.worker.resolve``) asks every active
finder and scores what they found together. Two are built in:

- ``youtube``: yt-dlp's YouTube search (``ytsearch10:artist title``), listed flat: one
  request, no result probed;
- ``search_url``: a search service that answers JSON, at ``MVIDARR_SEARCH_URL`` (a
  self-hosted search, or the tests' local media server, since yt-dlp's search cannot be
  pointed anywhere but YouTube). When that setting is given it is asked instead of YouTube.

- ``imvdb``: for a video whose IMVDb id is known, the sources IMVDb lists for it, the
  primary first; asked before the others when an IMVDb key is set, and its candidates are
  scored as vouched for (:mod:`videos.scoring`), so IMVDb's primary source comes first.
Every URL a finder fetches goes through the private-address guard, and every candidate's
URL must be http(s). Failures are ``videos.ytdlp``'s ``TransientError`` and
``PermanentError``, so the resolver retries a finder as a download is retried.
"""

from __future__ import annotations

import http.client
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Protocol

from mvidarr.units import format_bytes
from preferences.selectors import setting_get
from videos import netguard, ytdlp
from videos.models import is_http_url
from videos.providers import settings as provider_keys
from videos.providers.registry import provider_get
from videos.scoring import Candidate, Wanted
from videos.webfetch import guarded_opener

# How many results a search asks for.
SEARCH_RESULTS = 10
MAX_SEARCH_BYTES = 2_000_000


class Finder(Protocol):
    """Finds candidate sources of a wanted video."""

    name: str

    def find(self, wanted: Wanted, *, config: ytdlp.YtdlpConfig) -> list[Candidate]:
        """The candidates found, in the finder's own order (its best guess first)."""
        ...


def search_terms(wanted: Wanted) -> str:
    """What is searched for: the artist and the title, as a person would type them."""
    return " ".join(f"{wanted.artist} {wanted.title}".split())


@dataclass(frozen=True)
class YoutubeSearchFinder:
    """yt-dlp's YouTube search, flat: ``ytsearch10:<artist> <title>``."""

    name: str = "youtube"
    count: int = SEARCH_RESULTS

    def find(self, wanted: Wanted, *, config: ytdlp.YtdlpConfig) -> list[Candidate]:
        hits = ytdlp.search(search_terms(wanted), count=self.count, config=config)
        return [
            Candidate(url=hit.url, title=hit.title, channel=hit.channel, duration=hit.duration)
            for hit in hits
            if is_http_url(hit.url)
        ]


@dataclass(frozen=True)
class SearchUrlFinder:
    """A JSON search service: ``GET <url>?q=<artist title>&artist=…&title=…`` answering
    ``[{"url", "title", "channel"?, "duration"?}, …]`` (or ``{"results": [...]}``)."""

    url: str
    name: str = "search_url"

    def find(self, wanted: Wanted, *, config: ytdlp.YtdlpConfig) -> list[Candidate]:
        query = {"q": search_terms(wanted), "artist": wanted.artist, "title": wanted.title}
        address = _with_query(self.url, query)
        return candidates_from_json(_fetch_json(address, config), url=self.url)


def candidates_from_json(document: Any, *, url: str) -> list[Candidate]:
    """A search service's answer as candidates; results without an http(s) URL or a title
    are left out. Raises PermanentError for an answer that is not a list of results."""
    results = document.get("results") if isinstance(document, dict) else document
    if not isinstance(results, list):
        raise ytdlp.PermanentError(
            f"The search at {url} did not answer with a list of results; check MVIDARR_SEARCH_URL."
        )
    candidates = []
    for item in results:
        if not isinstance(item, dict):
            continue
        link, title = str(item.get("url") or ""), str(item.get("title") or "")
        if not is_http_url(link) or not title.strip():
            continue
        candidates.append(
            Candidate(
                url=link,
                title=title[:500],
                channel=str(item.get("channel") or item.get("uploader") or "")[:255],
                duration=_seconds(item.get("duration")),
            )
        )
    return candidates


def _seconds(value: Any) -> float | None:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return seconds if 0 < seconds < 10**7 else None


def _with_query(base: str, values: dict[str, str]) -> str:
    parts = urllib.parse.urlsplit(base)
    query = urllib.parse.urlencode([*urllib.parse.parse_qsl(parts.query), *values.items()])
    return urllib.parse.urlunsplit(parts._replace(query=query))


def _fetch_json(url: str, config: ytdlp.YtdlpConfig) -> Any:
    host = urllib.parse.urlsplit(url).hostname or url
    opener = guarded_opener(netguard.policy_for(tuple(config.allowed_private_hosts)), config.proxy)
    request = urllib.request.Request(
        url, headers={"User-Agent": "MVidarr", "Accept": "application/json"}
    )
    try:
        with opener.open(request, timeout=config.socket_timeout) as response:
            data = response.read(MAX_SEARCH_BYTES + 1)
    except (ytdlp.PermanentError, ytdlp.TransientError):
        raise
    except urllib.error.HTTPError as error:
        if error.code == 429 or error.code >= 500:
            raise ytdlp.TransientError(
                f"The search at {host} answered HTTP {error.code}; it will be tried again later.",
                host=host,
                rate_limited=error.code == 429,
            ) from None
        raise ytdlp.PermanentError(
            f"The search at {host} answered HTTP {error.code}; check MVIDARR_SEARCH_URL."
        ) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, netguard.AddressRefused):
            raise ytdlp.PermanentError(reason.message) from None
        what = "did not answer in time" if isinstance(reason, socket.timeout) else "failed"
        raise ytdlp.TransientError(
            f"The connection to the search at {host} {what} ({reason}); it will be tried "
            "again later.",
            host=host,
        ) from None
    if len(data) > MAX_SEARCH_BYTES:
        raise ytdlp.PermanentError(
            f"The search at {host} answered with more than {format_bytes(MAX_SEARCH_BYTES)}."
        )
    try:
        return json.loads(data)
    except ValueError:
        raise ytdlp.PermanentError(
            f"The search at {host} did not answer JSON; check MVIDARR_SEARCH_URL."
        ) from None


@dataclass(frozen=True)
class ImvdbFinder:
    """The sources IMVDb lists for the video (by its IMVDb id), the primary first."""

    name: str = "imvdb"

    def find(self, wanted: Wanted, *, config: ytdlp.YtdlpConfig) -> list[Candidate]:
        if not wanted.imvdb_id:
            return []
        details = provider_get("imvdb").video(wanted.imvdb_id)
        title = details.title or wanted.title
        artist = details.artist or wanted.artist
        return [
            Candidate(url=source.url, title=f"{artist} - {title}", vouched_by="IMVDb")
            for source in details.sources
            if is_http_url(source.url)
        ]


def active_finders(*, search_url: str = "") -> list[Finder]:
    """The finders the resolver asks: IMVDb first when a key is set, then the search
    service at ``search_url`` when one is set, else YouTube's search."""
    first: list[Finder] = [ImvdbFinder()] if setting_get(provider_keys.IMVDB_KEY) else []
    if search_url:
        return [*first, SearchUrlFinder(url=search_url)]
    return [*first, YoutubeSearchFinder()]

"""A local HTTP server for media tests: serves a directory, misbehaves when the URL asks it to.

One ``MediaServer`` serves every test at once, so each misbehaviour is chosen by a URL path
prefix, and prefixes compose left to right (``/fail/1/t1/slow/50000/clips/360p.mp4``). Relative
URLs inside an HLS playlist keep the prefix, so ``/slow/…/hls/master.m3u8`` slows every segment.

==================================  ===========================================================
``/<path>``                         the file under ``root`` (Range, HEAD, Content-Length,
                                    content types for .m3u8 .ts .m4s .mp4 .m4a
                                    .html .xml .jpg .png .webp)
``/404/<anything>``                 404 Not Found
``/status/<code>/<anything>``       that status (403, 410, 503…) with a short body
``/fail/<n>/<token>/<path>``        the first n requests for ``token`` get 500, later ones go on
``/ratelimit/<n>/<token>/<path>``   the same with 429 and ``Retry-After: 1``
``/drop/<path>``                    full Content-Length, about half of the body, then the
                                    connection closes (a server that drops mid-stream)
``/slow/<bytes_per_s>/<path>``      the body at about that rate (a per-connection rate cap)
``/hold/<k>/<group>/<path>``        each response waits until k requests of ``group`` are open
                                    at once; then the group is released for good. After
                                    ``hold_timeout`` seconds a waiting request gets 503.
``/redirect?to=<url>``              302 to that URL
``/json/<anything>``                a small JSON document (application/json), not media
``/page/<slug>[?src=<path>]``       HTML page whose <title> and og:title come from
                                    ``EVIL_TITLES[slug]`` or ``PAGE_TITLES[slug]``, with
                                    og:video → ``src``
                                    (default ``/clips/360p.mp4``)
``/musicvideo/<slug>``              HTML page describing ``MUSIC_VIDEOS[slug]`` in JSON-LD (a
                                    schema.org VideoObject: name, byArtist, uploadDate,
                                    contentUrl → ``/clips/360p.mp4``), as music sites do
``/embed/<path>[?thumb=<path>]``    HTML page with og:video → ``/<path>`` (the page is fetched
                                    at extraction, the media at download: yt-dlp retries only
                                    the second), and og:image → ``thumb`` when given
``/feed/<n>.xml[?src=<path>]``      RSS feed with n items; item i has title ``Entry i``, guid
                                    ``entry-i`` and an enclosure ``src?entry=i``
``/feed/<n>.html[?src=<path>]``     HTML page with n <video> tags (a multi-video page)
``/feed/hostile.xml``               RSS feed whose first item links to a clip and the others to
                                    ``HOSTILE_LINKS`` (``javascript:``, ``data:``, ``file:``)
``/ytfeed?channel_id=<id>``         a YouTube-style Atom feed (yt:videoId, yt:channelId,
``/ytfeed?playlist_id=<id>``        media:group) of the entries ``set_youtube_feed(id, …)``
                                    gave; 404 for an id never given (as YouTube answers)
``/search?q=<terms>``               a JSON search service (``MVIDARR_SEARCH_URL``): the list of
                                    candidates ``set_search(terms, [...])`` recorded for those
                                    terms (case and spaces folded), ``[]`` for any other
``/channel/<name>.xml``             RSS feed of the channel a test fills between two indexes
                                    (``media_server.channel(name).add(title=…, src=…,
                                    published=…)``), newest entry first; 404 once the test
                                    called ``.delete()`` (or before its first use)
``/upgradable/<name>/master.m3u8``  an HLS master whose variants (360p, 720p: the ``hls``
                                    clip's) a test chooses between two checks:
                                    ``media_server.upgradable(name).offer(360)``, later
                                    ``.offer(360, 720)``; ``broken=(720,)`` lists a variant
                                    whose playlist then answers 404 (an upgrade that fails)
==================================  ===========================================================

A channel's entry ``i`` (from 1, in the order added) encloses ``src?channel=<name>&entry=i``
unless ``add`` is given the exact ``link`` (the same link twice lists one video twice), has
the guid ``<name>-<i>``, and a ``pubDate`` and ``itunes:duration`` when given; yt-dlp's
generic extractor lists it flat.

Counters for assertions: ``request_log`` ((path, status) per response), ``cookie_log``
((path, Cookie header) per request), ``max_concurrent(group)``
and ``open_now(group)`` for ``/hold`` groups, ``max_concurrent_host(host)`` for requests in
flight per Host header (every response closes its connection, so that is connections too).
"""

from __future__ import annotations

import datetime
import html
import json
import re
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

EVIL_TITLES = {
    "traversal": "../../../etc/passwd",
    "separators": 'a/b\\c:d*?"<>|',
    "long": "x" * 300,
    "long-multibyte": "é" * 200,
    "emoji": "🎵🎬 emoji",
    "nul": "NUL\x00byte",
    "con": "CON",
    "dots": "..",
}

# Ordinary titles of /page/<slug>: a page that names no artist, as many sites do.
PAGE_TITLES = {
    "artist-title": "Daft Punk - Around the World (Official Video)",
}

# What /musicvideo/<slug> says of a video (the fields yt-dlp reads from JSON-LD).
MUSIC_VIDEOS = {
    "army-of-me": {
        "name": "Army of Me (Official Music Video)",
        "byArtist": "Björk",
        "uploadDate": "1995-04-10",
    },
    "plain": {"name": "A Song", "byArtist": "Someone"},
}

HOSTILE_LINKS = (
    "javascript:alert(document.cookie)",
    "JavaScript:fetch('/api/jobs/')",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
)

CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".ts": "video/mp2t",
    ".m4s": "video/iso.segment",
    ".mp4": "video/mp4",
    ".m4a": "audio/mp4",
    ".html": "text/html; charset=utf-8",
    ".xml": "application/rss+xml; charset=utf-8",
    ".json": "application/json",
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}
_DEFAULT_SRC = "/clips/360p.mp4"


@dataclass(frozen=True)
class YoutubeFeedEntry:
    """One entry of a ``/ytfeed`` feed; ``url`` defaults to the YouTube watch URL."""

    video_id: str
    title: str
    published: str = "2026-01-01T00:00:00+00:00"
    url: str = ""


@dataclass
class _Response:
    """How the body goes out, after the prefixes had their say."""

    drop: bool = False
    bytes_per_second: float | None = None


@dataclass
class ChannelEntry:
    title: str
    link: str  # absolute, or a path on this server
    guid: str
    published: datetime.datetime | None = None
    duration: float | None = None


@dataclass
class Channel:
    """A feed whose entries a test adds between two indexes (``/channel/<name>.xml``)."""

    server: MediaServer
    name: str
    entries: list[ChannelEntry] = field(default_factory=list)
    gone: bool = False

    @property
    def url(self) -> str:
        return self.server.url(f"channel/{self.name}.xml")

    def add(
        self,
        *,
        title: str,
        src: str = _DEFAULT_SRC,
        published: datetime.date | datetime.datetime | None = None,
        duration: float | None = None,
        link: str | None = None,
    ) -> str:
        """Add an entry (the newest); return its link as the feed gives it, absolute."""
        with self.server._lock:
            number = len(self.entries) + 1
            if link is None:
                sep = "&" if "?" in src else "?"
                link = f"{src}{sep}channel={self.name}&entry={number}"
            if isinstance(published, datetime.date) and not isinstance(
                published, datetime.datetime
            ):
                published = datetime.datetime.combine(published, datetime.time(12), datetime.UTC)
            self.entries.append(
                ChannelEntry(title, link, f"{self.name}-{number}", published, duration)
            )
        return link if "://" in link else self.server.url(link)

    def delete(self) -> None:
        """From now on the channel answers 404 (a source that disappeared)."""
        self.gone = True

    def rss(self, absolute) -> str:
        with self.server._lock:
            entries = list(reversed(self.entries))
        items = []
        for entry in entries:
            extra = ""
            if entry.published is not None:
                extra += f"<pubDate>{format_datetime(entry.published, usegmt=True)}</pubDate>"
            if entry.duration is not None:
                extra += f"<itunes:duration>{int(entry.duration)}</itunes:duration>"
            items.append(
                f"<item><title>{_attr(entry.title)}</title><guid>{_attr(entry.guid)}</guid>"
                f'<enclosure url="{_attr(absolute(entry.link))}" type="video/mp4" length="0"/>'
                f"{extra}</item>\n"
            )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>\n'
            f"<title>Channel {_attr(self.name)}</title><link>http://example.invalid/</link>"
            f"<description>a test channel</description>\n{''.join(items)}</channel></rss>\n"
        )


# The variants of the ``hls`` clip (tests.media.clips): height → (width, bandwidth).
_HLS_VARIANTS = {360: (640, 400_000), 720: (1280, 1_200_000)}


@dataclass
class Upgradable:
    """A video whose best height a test raises between two checks (an HLS master)."""

    server: MediaServer
    name: str
    heights: tuple[int, ...] = (360,)
    broken: tuple[int, ...] = ()

    @property
    def url(self) -> str:
        return self.server.url(f"upgradable/{self.name}/master.m3u8")

    def offer(self, *heights: int, broken: tuple[int, ...] = ()) -> Upgradable:
        """From now on the master lists these variants; those in ``broken`` answer 404."""
        unknown = set(heights) - set(_HLS_VARIANTS)
        if unknown or not heights:
            raise ValueError(f"offer some of {sorted(_HLS_VARIANTS)}, not {sorted(unknown)}")
        with self.server._lock:
            self.heights, self.broken = tuple(heights), tuple(broken)
        return self

    def master(self) -> str:
        with self.server._lock:
            heights, broken = self.heights, self.broken
        lines = ["#EXTM3U", "#EXT-X-VERSION:7"]
        for height in heights:
            width, bandwidth = _HLS_VARIANTS[height]
            prefix = "/404" if height in broken else ""
            lines += [
                f"#EXT-X-STREAM-INF:BANDWIDTH={bandwidth},RESOLUTION={width}x{height},"
                'CODECS="avc1.42c01e,mp4a.40.2"',
                f"{prefix}/hls/{height}p/index.m3u8",
            ]
        return "\n".join(lines) + "\n"


class MediaServer:
    """Serve ``root`` on 127.0.0.1 (an ephemeral port) while used as a context manager."""

    def __init__(self, root: Path, *, hold_timeout: float = 30.0) -> None:
        self.root = Path(root).resolve()
        self.hold_timeout = hold_timeout
        self.request_log: list[tuple[str, int]] = []
        # (path, Cookie header or "") of every request: a cookies file reached yt-dlp.
        self.cookie_log: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._hold = threading.Condition(self._lock)
        self._token_hits: Counter[str] = Counter()
        self._open: Counter[str] = Counter()
        self._max_open: Counter[str] = Counter()
        self._released: set[str] = set()
        self._open_host: Counter[str] = Counter()
        self._max_open_host: Counter[str] = Counter()
        self._youtube_feeds: dict[str, tuple[YoutubeFeedEntry, ...]] = {}
        self._searches: dict[str, list[dict]] = {}
        self._stopping = False
        self._channels: dict[str, Channel] = {}
        self._upgradables: dict[str, Upgradable] = {}
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> MediaServer:
        self._stopping = False
        handler = type("Handler", (_Handler,), {"media": self})
        httpd = _Server(("127.0.0.1", 0), handler)
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, name="media-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            with self._hold:
                self._stopping = True  # let held requests go (with 503) instead of waiting
                self._hold.notify_all()
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> MediaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- helpers for tests -------------------------------------------------------------------
    @property
    def port(self) -> int:
        assert self._httpd is not None, "the server is not running"
        return self._httpd.server_address[1]

    def url(self, path: str = "", *, host: str = "127.0.0.1") -> str:
        """The absolute URL of ``path`` (with or without a leading slash).

        ``host`` lets a test address the same server under another name ("localhost") to tell
        hosts apart in ``max_concurrent_host``; the server listens on 127.0.0.1 only.
        """
        return f"http://{host}:{self.port}/{path.lstrip('/')}"

    def channel(self, name: str) -> Channel:
        """The channel called ``name`` (made empty on first use; keep names unique per test)."""
        with self._lock:
            return self._channels.setdefault(name, Channel(self, name))

    def upgradable(self, name: str) -> Upgradable:
        """The upgradable video called ``name`` (360p only at first; keep names unique)."""
        with self._lock:
            return self._upgradables.setdefault(name, Upgradable(self, name))

    def max_concurrent(self, group: str) -> int:
        """The most requests of a ``/hold`` group that were open at the same time."""
        with self._lock:
            return self._max_open[group]

    def open_now(self, group: str) -> int:
        """How many requests of a ``/hold`` group are open right now."""
        with self._lock:
            return self._open[group]

    def max_concurrent_host(self, host: str) -> int:
        """The most requests in flight at once for a Host header value ("127.0.0.1:PORT")."""
        with self._lock:
            return self._max_open_host[host]

    def requests_for(self, fragment: str) -> list[tuple[str, int]]:
        """The logged (path, status) pairs whose path contains ``fragment``."""
        with self._lock:
            return [entry for entry in self.request_log if fragment in entry[0]]

    def set_youtube_feed(self, feed_id: str, entries: list[YoutubeFeedEntry]) -> str:
        """Serve ``entries`` (newest first, as YouTube lists them) at ``/ytfeed`` for the
        channel or playlist ``feed_id``; returns the feed's base URL (without the query)."""
        with self._lock:
            self._youtube_feeds[feed_id] = tuple(entries)
        return self.url("ytfeed")

    def set_search(self, terms: str, results: list[dict]) -> str:
        """Answer ``results`` (``{"url", "title", "channel", "duration"}`` each; a ``url``
        without a scheme is a path on this server) to a search for ``terms``; returns the
        search's URL (for ``MVIDARR_SEARCH_URL``)."""
        absolute = [
            {
                **result,
                "url": result["url"] if urlsplit(result["url"]).scheme else self.url(result["url"]),
            }
            for result in results
        ]
        with self._lock:
            self._searches[_search_key(terms)] = absolute
        return self.url("search")

    def searches_for(self, terms: str) -> int:
        """How many times ``terms`` were searched for."""
        with self._lock:
            return sum(
                1
                for path, _status in self.request_log
                if path.startswith("/search?")
                and _search_key(parse_qs(urlsplit(path).query).get("q", [""])[0])
                == _search_key(terms)
            )

    # -- used by the handler -----------------------------------------------------------------
    def _search(self, terms: str) -> list[dict]:
        with self._lock:
            return list(self._searches.get(_search_key(terms), []))

    def _youtube_feed(self, feed_id: str) -> tuple[YoutubeFeedEntry, ...] | None:
        with self._lock:
            return self._youtube_feeds.get(feed_id)

    def _log(self, path: str, status: int) -> None:
        with self._lock:
            self.request_log.append((path, status))

    def _hit(self, token: str) -> int:
        """Count a request for ``token``; returns how many came before it."""
        with self._lock:
            seen = self._token_hits[token]
            self._token_hits[token] += 1
            return seen

    def _host_enter(self, host: str) -> None:
        with self._lock:
            self._open_host[host] += 1
            self._max_open_host[host] = max(self._max_open_host[host], self._open_host[host])

    def _host_leave(self, host: str) -> None:
        with self._lock:
            self._open_host[host] -= 1

    def _hold_enter(self, group: str, k: int) -> bool:
        """Register an open request of ``group``; wait for k of them. False on timeout."""
        deadline = time.monotonic() + self.hold_timeout
        with self._hold:
            self._open[group] += 1
            self._max_open[group] = max(self._max_open[group], self._open[group])
            if self._open[group] >= k:
                self._released.add(group)
                self._hold.notify_all()
            while group not in self._released:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._stopping:
                    return False
                self._hold.wait(remaining)
            return True

    def _hold_leave(self, group: str) -> None:
        with self._hold:
            self._open[group] -= 1


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # a benchmark opens many connections at once


class _Handler(BaseHTTPRequestHandler):
    media: MediaServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass  # the request_log is the record; stderr noise would drown test output

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    # -- dispatch ------------------------------------------------------------------------------
    def _serve(self, *, head: bool) -> None:
        self.close_connection = True
        host = self.headers.get("Host", "")
        self.media.cookie_log.append((self.path, self.headers.get("Cookie", "")))
        self.media._host_enter(host)
        held: list[str] = []
        try:
            split = urlsplit(self.path)
            self._route(unquote(split.path), parse_qs(split.query), _Response(), head, held)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away (a cancelled download); nothing to answer
        finally:
            for group in held:
                self.media._hold_leave(group)
            self.media._host_leave(host)

    def _route(
        self, path: str, query: dict[str, list[str]], response: _Response, head: bool, held: list
    ) -> None:
        parts = path.lstrip("/").split("/")
        head_part, rest = parts[0], parts[1:]
        if head_part == "404":
            return self._status(404)
        if head_part == "status" and rest and rest[0].isdigit():
            return self._status(int(rest[0]))
        if head_part in ("fail", "ratelimit") and len(rest) >= 3 and rest[0].isdigit():
            failures, token = int(rest[0]), f"{head_part}/{rest[1]}"
            if self.media._hit(token) < failures:
                if head_part == "fail":
                    return self._status(500)
                return self._status(429, headers={"Retry-After": "1"})
            return self._route("/" + "/".join(rest[2:]), query, response, head, held)
        if head_part == "drop" and rest:
            response.drop = True
            return self._route("/" + "/".join(rest), query, response, head, held)
        if head_part == "slow" and len(rest) >= 2 and _is_number(rest[0]):
            response.bytes_per_second = float(rest[0])
            return self._route("/" + "/".join(rest[1:]), query, response, head, held)
        if head_part == "hold" and len(rest) >= 3 and rest[0].isdigit():
            group = rest[1]
            held.append(group)
            if not self.media._hold_enter(group, int(rest[0])):
                return self._status(503)
            return self._route("/" + "/".join(rest[2:]), query, response, head, held)
        if head_part == "redirect" and "to" in query:
            return self._status(302, headers={"Location": query["to"][0]})
        if head_part == "json":
            body = b'{"secret": "an internal service\'s answer"}'
            return self._body(body, ".json", response, head)
        page_title = (EVIL_TITLES | PAGE_TITLES).get(rest[0]) if len(rest) == 1 else None
        if head_part == "page" and page_title is not None:
            src = query.get("src", [_DEFAULT_SRC])[0]
            return self._body(_page(page_title, src).encode(), ".html", response, head)
        if head_part == "musicvideo" and len(rest) == 1 and rest[0] in MUSIC_VIDEOS:
            page = _music_video_page(MUSIC_VIDEOS[rest[0]], self._absolute(_DEFAULT_SRC))
            return self._body(page.encode(), ".html", response, head)
        if head_part == "embed" and rest:
            src = "/" + "/".join(rest)
            thumb = query.get("thumb", [""])[0]
            page = _page(f"Embedded {src}", src, self._absolute(thumb) if thumb else "")
            return self._body(page.encode(), ".html", response, head)
        if head_part == "feed" and rest == ["hostile.xml"]:
            links = [self._absolute(_DEFAULT_SRC), *HOSTILE_LINKS]
            return self._body(_rss_of(links).encode(), ".xml", response, head)
        if head_part == "channel" and len(rest) == 1 and rest[0].endswith(".xml"):
            with self.media._lock:
                channel = self.media._channels.get(rest[0].removesuffix(".xml"))
            if channel is None or channel.gone:
                return self._status(404)
            return self._body(channel.rss(self._absolute).encode(), ".xml", response, head)
        if head_part == "upgradable" and len(rest) == 2 and rest[1] == "master.m3u8":
            with self.media._lock:
                upgradable = self.media._upgradables.get(rest[0])
            if upgradable is None:
                return self._status(404)
            return self._body(upgradable.master().encode(), ".m3u8", response, head)
        if head_part == "feed" and len(rest) == 1:
            match = re.fullmatch(r"(\d+)\.(xml|html)", rest[0])
            if match:
                count, kind = int(match[1]), match[2]
                src = self._absolute(query.get("src", [_DEFAULT_SRC])[0])
                body = (_rss if kind == "xml" else _video_tags)(count, src)
                return self._body(body.encode(), f".{kind}", response, head)
        if head_part == "search" and not rest:
            results = self.media._search(query.get("q", [""])[0])
            return self._body(json.dumps(results).encode(), ".json", response, head)
        if head_part == "ytfeed" and not rest:
            channel = query.get("channel_id", [""])[0]
            feed_id = channel or query.get("playlist_id", [""])[0]
            entries = self.media._youtube_feed(feed_id)
            if entries is None:
                return self._status(404)
            body = _youtube_atom(feed_id, channel, entries).encode()
            return self._body(body, ".xml", response, head)
        return self._file(path, response, head)

    def _absolute(self, src: str) -> str:
        """``src`` as an absolute URL on this server (feeds need absolute links)."""
        if "://" in src:
            return src
        return f"http://{self.headers.get('Host', '127.0.0.1')}/{src.lstrip('/')}"

    # -- responses -----------------------------------------------------------------------------
    def _status(self, code: int, *, headers: dict[str, str] | None = None) -> None:
        body = f"{code} from the test media server\n".encode()
        # Logged before the client can see the answer, so the log is in the order clients saw.
        self.media._log(self.path, code)
        self.send_response(code)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def _file(self, path: str, response: _Response, head: bool) -> None:
        target = (self.media.root / path.lstrip("/")).resolve()
        if not target.is_relative_to(self.media.root) or not target.is_file():
            return self._status(404)
        return self._body(target.read_bytes(), target.suffix, response, head)

    def _body(self, data: bytes, suffix: str, response: _Response, head: bool) -> None:
        start, end, status = 0, len(data) - 1, 200
        range_header = self.headers.get("Range")
        if range_header:
            match = re.fullmatch(r"bytes=(\d*)-(\d*)", range_header.strip())
            if not match or not (match[1] or match[2]):
                return self._status(416)
            if match[1]:
                start = int(match[1])
                end = min(int(match[2]), len(data) - 1) if match[2] else len(data) - 1
            else:  # a suffix range: the last N bytes
                start = max(0, len(data) - int(match[2]))
            if start >= len(data) or start > end:
                return self._status(416, headers={"Content-Range": f"bytes */{len(data)}"})
            status = 206
        body = data[start : end + 1]
        self.media._log(self.path, status)
        self.send_response(status)
        self.send_header("Content-Type", CONTENT_TYPES.get(suffix, "application/octet-stream"))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Accept-Ranges", "bytes")
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
        self.send_header("Connection", "close")
        self.end_headers()
        if head:
            return
        if response.drop:
            body = body[: len(body) // 2]
        self._write(body, response.bytes_per_second)
        if response.drop:
            self.wfile.flush()
            self.connection.shutdown(
                socket.SHUT_RDWR
            )  # a hard stop, whatever the Content-Length promised

    def _write(self, body: bytes, bytes_per_second: float | None) -> None:
        if not bytes_per_second:
            self.wfile.write(body)
            return
        tick = 0.05
        chunk = max(1, int(bytes_per_second * tick))
        for offset in range(0, len(body), chunk):
            self.wfile.write(body[offset : offset + chunk])
            self.wfile.flush()
            time.sleep(tick)


def _search_key(terms: str) -> str:
    return " ".join(terms.casefold().split())


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _attr(text: str) -> str:
    """Escape for an HTML attribute; NUL too, which html.escape leaves alone."""
    return html.escape(text, quote=True).replace("\x00", "&#0;")


def _page(title: str, src: str, thumb: str = "") -> str:
    # og:video only, no <video> tag: yt-dlp's html5 embed would add " (1)" to the title.
    image = f'<meta property="og:image" content="{_attr(thumb)}">\n' if thumb else ""
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">\n'
        f"<title>{_attr(title)}</title>\n"
        f'<meta property="og:title" content="{_attr(title)}">\n'
        '<meta property="og:video:type" content="video/mp4">\n'
        f'<meta property="og:video" content="{_attr(src)}">\n'
        f"{image}"
        "</head><body><p>A test page.</p></body></html>\n"
    )


def _music_video_page(video: dict[str, str], src: str) -> str:
    described = {
        "@context": "https://schema.org",
        "@type": "VideoObject",
        "name": video["name"],
        "byArtist": {"@type": "MusicGroup", "name": video["byArtist"]},
        "contentUrl": src,
        "encodingFormat": "video/mp4",
        **({"uploadDate": video["uploadDate"]} if "uploadDate" in video else {}),
    }
    script = json.dumps(described).replace("</", "<\\/")
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">\n'
        f"<title>{_attr(video['name'])}</title>\n"
        f'<script type="application/ld+json">{script}</script>\n'
        "</head><body><p>A music video.</p></body></html>\n"
    )


def _entry_src(src: str, index: int) -> str:
    return f"{src}{'&' if '?' in src else '?'}entry={index}"


def _rss(count: int, src: str) -> str:
    items = "".join(
        f"<item><title>Entry {i}</title><guid>entry-{i}</guid>"
        f'<enclosure url="{_attr(_entry_src(src, i))}" type="video/mp4" length="0"/></item>\n'
        for i in range(1, count + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n'
        f"<title>Feed of {count}</title><link>http://example.invalid/</link>"
        f"<description>{count} test clips</description>\n{items}</channel></rss>\n"
    )


def _rss_of(links: list[str]) -> str:
    """An RSS feed whose item i (from 1) is titled ``Entry i`` and encloses ``links[i - 1]``."""
    items = "".join(
        f"<item><title>Entry {i}</title><guid>entry-{i}</guid>"
        f'<enclosure url="{_attr(link)}" type="video/mp4" length="0"/></item>\n'
        for i, link in enumerate(links, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n'
        f"<title>Hostile feed</title><link>http://example.invalid/</link>"
        f"<description>links of every scheme</description>\n{items}</channel></rss>\n"
    )


def _video_tags(count: int, src: str) -> str:
    videos = "".join(
        f'<video controls src="{_attr(_entry_src(src, i))}"></video>\n' for i in range(1, count + 1)
    )
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>Page of {count}</title></head><body>\n{videos}</body></html>\n"
    )


def _youtube_atom(feed_id: str, channel_id: str, entries: tuple[YoutubeFeedEntry, ...]) -> str:
    """An Atom feed shaped like YouTube's /feeds/videos.xml."""
    channel = channel_id or "UCplaylistowner0000000000"
    items = "".join(
        "<entry>"
        f"<id>yt:video:{_attr(e.video_id)}</id>"
        f"<yt:videoId>{_attr(e.video_id)}</yt:videoId>"
        f"<yt:channelId>{_attr(channel)}</yt:channelId>"
        f"<title>{_attr(e.title)}</title>"
        f'<link rel="alternate" href="{_attr(e.url or _watch(e.video_id))}"/>'
        f"<author><name>Test channel</name></author>"
        f"<published>{e.published}</published><updated>{e.published}</updated>"
        "<media:group>"
        f"<media:title>{_attr(e.title)}</media:title>"
        f'<media:content url="https://www.youtube.com/v/{_attr(e.video_id)}" '
        'type="application/x-shockwave-flash" width="640" height="390"/>'
        "</media:group>"
        "</entry>\n"
        for e in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" '
        'xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">\n'
        f'<link rel="self" href="http://www.youtube.com/feeds/videos.xml?id={_attr(feed_id)}"/>'
        f"<id>yt:channel:{_attr(feed_id)}</id><yt:channelId>{_attr(channel)}</yt:channelId>"
        f"<title>Test channel {_attr(feed_id)}</title>\n{items}</feed>\n"
    )


def _watch(video_id: str) -> str:
    return f"https://www.youtube.com/watch?v={video_id}"

"""The fast index: a YouTube channel's or playlist's RSS feed, and any RSS or Atom feed's entries.

Between two full indexes (yt-dlp listing every entry) a YouTube channel or playlist is checked
through its feed, which lists its newest entries in one small request (Pinchflat's "fast
index"). :func:`feed_url_for` maps a source's URL to that feed; :func:`feed_entries` fetches a
feed through the private-address guard and reads its entries. Failures are
``videos.ytdlp``'s ``PermanentError`` and ``TransientError``, so a job retries a feed as it
retries yt-dlp. Nothing here imports Django or ``jobs``.
"""

from __future__ import annotations

import datetime
import email.utils
import http.client
import re
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from typing import Any

from mvidarr.units import format_bytes
from videos import netguard
from videos.webfetch import guarded_opener
from videos.ytdlp import PermanentError, TransientError, YtdlpConfig

__all__ = ["FeedEntry", "feed_entries", "feed_url_for"]

YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com"}
CHANNEL_ID = re.compile(r"UC[0-9A-Za-z_-]{22}")
PLAYLIST_ID = re.compile(r"[0-9A-Za-z_-]{2,64}")
# Lists YouTube makes up per person or per video have no feed: mixes ("RD…"), watch later,
# liked videos.
FEEDLESS_PLAYLISTS = re.compile(r"RD.*|WL|LL|LM")

# A YouTube feed is about 30 kB; a podcast's RSS of every episode a few MB.
MAX_FEED_BYTES = 10_000_000
READ_CHUNK = 64 * 1024

ATOM = "{http://www.w3.org/2005/Atom}"
YT = "{http://www.youtube.com/xml/schemas/2015}"
MEDIA = "{http://search.yahoo.com/mrss/}"
ACCEPT = (
    "application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
)


@dataclass(frozen=True)
class FeedEntry:
    url: str
    video_id: str  # YouTube's video id; "" for a feed that is not YouTube's
    title: str
    published: datetime.datetime | None  # aware
    channel_id: str  # YouTube's channel id; "" when the feed does not say


# --- the mapping --------------------------------------------------------------------------------
def feed_url_for(source_url: str, *, channel_id: str = "", base: str) -> str | None:
    """The RSS feed of a YouTube channel or playlist URL, at ``base``; None without one.

    A channel URL (``/channel/UC…``, with or without ``/videos`` …) and a playlist URL
    (``/playlist?list=…``, or a watch URL with ``list=``) carry their id. A handle, user or
    custom URL (``/@name``, ``/user/x``, ``/c/x``) does not: its feed needs ``channel_id``
    (learnt by a full index). Anything not on YouTube has no feed here (it may be a feed
    itself: the full index reads it).
    """
    try:
        parts = urllib.parse.urlsplit(source_url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https"):
        return None
    query = urllib.parse.parse_qs(parts.query)
    playlist = (query.get("list") or [""])[0]
    segments = [segment for segment in parts.path.split("/") if segment]
    if host == "youtu.be":
        return _playlist_feed(playlist, base)
    if host not in YOUTUBE_HOSTS:
        return None
    first = segments[0] if segments else ""
    if first in ("playlist", "watch"):
        return _playlist_feed(playlist, base)
    if first == "channel" and len(segments) > 1:
        return (
            _with_query(base, "channel_id", segments[1])
            if CHANNEL_ID.fullmatch(segments[1])
            else None
        )
    if first.startswith("@") or first in ("user", "c"):
        return (
            _with_query(base, "channel_id", channel_id)
            if CHANNEL_ID.fullmatch(channel_id)
            else None
        )
    return None


def _playlist_feed(playlist: str, base: str) -> str | None:
    if not PLAYLIST_ID.fullmatch(playlist) or FEEDLESS_PLAYLISTS.fullmatch(playlist):
        return None
    return _with_query(base, "playlist_id", playlist)


def _with_query(base: str, name: str, value: str) -> str:
    parts = urllib.parse.urlsplit(base)
    query = urllib.parse.urlencode([*urllib.parse.parse_qsl(parts.query), (name, value)])
    return urllib.parse.urlunsplit(parts._replace(query=query))


# --- fetching ---------------------------------------------------------------------------------
def feed_entries(url: str, *, config: YtdlpConfig) -> list[FeedEntry]:
    """The entries of the RSS or Atom feed at ``url``, in the feed's order.

    Fetched through the private-address guard (every address connected to, redirects
    included, with ``config.allowed_private_hosts``), at most ``MAX_FEED_BYTES``, within
    ``config.socket_timeout`` per read. Raises ``PermanentError`` (gone, not XML, not a
    feed, refused address) or ``TransientError`` (429, 5xx, timeouts, refused connections).
    Entries without an http(s) link are left out.
    """
    return parse_feed(_fetch(url, config), url=url)


def _fetch(url: str, config: YtdlpConfig) -> bytes:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise PermanentError(f"{url!r} is not a feed address; it must start with http(s)://.")
    host = parts.hostname
    opener = guarded_opener(netguard.policy_for(tuple(config.allowed_private_hosts)), config.proxy)
    request = urllib.request.Request(url, headers={"User-Agent": "MVidarr", "Accept": ACCEPT})
    # The socket timeout bounds each read; the deadline bounds a feed that trickles in.
    deadline = time.monotonic() + 4 * config.socket_timeout
    try:
        with opener.open(request, timeout=config.socket_timeout) as response:
            chunks: list[bytes] = []
            size = 0
            while chunk := response.read(READ_CHUNK):
                size += len(chunk)
                if size > MAX_FEED_BYTES:
                    raise PermanentError(
                        f"The feed at {url} is larger than {format_bytes(MAX_FEED_BYTES)}; "
                        "MVidarr reads feeds up to that size."
                    )
                if time.monotonic() > deadline:
                    raise _too_slow(url, host)
                chunks.append(chunk)
            return b"".join(chunks)
    except (PermanentError, TransientError):
        raise
    except urllib.error.HTTPError as error:
        raise _http_error(error.code, url, host, error.headers.get("Retry-After")) from None
    except urllib.error.URLError as error:
        raise _connection_error(error.reason, url, host) from None
    except (OSError, http.client.HTTPException) as error:
        raise _connection_error(error, url, host) from None


def _http_error(status: int, url: str, host: str, retry_after: str | None) -> Exception:
    if status in (404, 410):
        return PermanentError(
            f"The feed is gone ({status}): {url}. The channel or playlist may have been "
            "removed or made private; check the source's link."
        )
    if status == 429:
        return TransientError(
            f"{host} answered HTTP 429 (too many requests) to the feed; it will be read again "
            "later.",
            host=host,
            rate_limited=True,
            retry_after=_seconds(retry_after),
        )
    if status >= 500:
        return TransientError(
            f"{host} answered HTTP {status} (a server error) to the feed at {url}; it will be "
            "read again later.",
            host=host,
            retry_after=_seconds(retry_after),
        )
    return PermanentError(f"The feed at {url} answered HTTP {status}; check the source's link.")


def _connection_error(reason: Any, url: str, host: str) -> Exception:
    if isinstance(reason, netguard.AddressRefused):
        return PermanentError(reason.message)
    if isinstance(reason, TimeoutError | socket.timeout):
        return _too_slow(url, host)
    if isinstance(reason, ssl.SSLCertVerificationError):
        return PermanentError(f"The certificate of {host} is not valid ({reason.verify_message}).")
    shown = str(reason) or type(reason).__name__
    return TransientError(
        f"The connection to {host} failed while reading the feed at {url} ({shown}); it will "
        "be read again later.",
        host=host,
    )


def _too_slow(url: str, host: str) -> TransientError:
    return TransientError(
        f"{host} did not send the feed at {url} in time; it will be read again later.", host=host
    )


def _seconds(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


# --- parsing ----------------------------------------------------------------------------------
def parse_feed(data: bytes, *, url: str) -> list[FeedEntry]:
    """The entries of an RSS 2.0 or Atom document (YouTube's feeds are Atom).

    xml.etree does not fetch external entities or DTDs, and the expat it runs on (2.4 and
    later) stops entity expansion attacks ("billion laughs"); the fetch caps the size.
    """
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise PermanentError(f"The feed at {url} is not XML: {error}.") from None
    if root.tag == f"{ATOM}feed":
        feed_channel = _text(root, f"{YT}channelId")
        return [e for node in root.iter(f"{ATOM}entry") if (e := _atom_entry(node, feed_channel))]
    if root.tag == "rss" or root.tag.endswith("RDF"):
        return [entry for node in root.iter("item") if (entry := _rss_entry(node))]
    raise PermanentError(
        f"The document at {url} is XML but not an RSS or Atom feed (it starts with "
        f"<{root.tag.rpartition('}')[2]}>); check the source's link."
    )


def _atom_entry(node: ElementTree.Element, feed_channel: str) -> FeedEntry | None:
    video_id = _text(node, f"{YT}videoId")
    links = node.findall(f"{ATOM}link")
    alternate = [
        link.get("href", "") for link in links if link.get("rel", "alternate") == "alternate"
    ]
    enclosures = [link.get("href", "") for link in links if link.get("rel") == "enclosure"]
    candidates = [*alternate, *enclosures, _media_url(node)]
    if video_id:
        candidates.append(f"https://www.youtube.com/watch?v={video_id}")
    title = _text(node, f"{ATOM}title") or _text(node, f"{MEDIA}group/{MEDIA}title")
    published = _parse_iso(_text(node, f"{ATOM}published") or _text(node, f"{ATOM}updated"))
    return _entry(
        candidates, video_id, title, published, _text(node, f"{YT}channelId") or feed_channel
    )


def _rss_entry(node: ElementTree.Element) -> FeedEntry | None:
    enclosure = node.find("enclosure")
    candidates = [
        _text(node, "link"),
        enclosure.get("url", "") if enclosure is not None else "",
        _media_url(node),
    ]
    guid = node.find("guid")
    if guid is not None and guid.get("isPermaLink", "true") == "true":
        candidates.append(_text(node, "guid"))
    published = _parse_rfc822(_text(node, "pubDate")) or _parse_iso(
        _text(node, "{http://purl.org/dc/elements/1.1/}date")
    )
    return _entry(candidates, "", _text(node, "title"), published, "")


def _entry(candidates, video_id, title, published, channel_id) -> FeedEntry | None:
    link = next((c.strip() for c in candidates if _is_http(c.strip())), None)
    if link is None:
        return None
    return FeedEntry(
        url=link, video_id=video_id, title=" ".join(title.split()), published=published,
        channel_id=channel_id,
    )  # fmt: skip


def _media_url(node: ElementTree.Element) -> str:
    content = node.find(f"{MEDIA}group/{MEDIA}content")
    if content is None:
        content = node.find(f"{MEDIA}content")
    return content.get("url", "") if content is not None else ""


def _text(node: ElementTree.Element, path: str) -> str:
    found = node.find(path)
    return (found.text or "").strip() if found is not None else ""


def _is_http(value: str) -> bool:
    if not value or any(ord(char) <= 0x20 for char in value):
        return False
    try:
        parts = urllib.parse.urlsplit(value)
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False


def _aware(moment: datetime.datetime) -> datetime.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _parse_iso(text: str) -> datetime.datetime | None:
    try:
        return _aware(datetime.datetime.fromisoformat(text)) if text else None
    except ValueError:
        return None


def _parse_rfc822(text: str) -> datetime.datetime | None:
    try:
        return _aware(email.utils.parsedate_to_datetime(text)) if text else None
    except (TypeError, ValueError, IndexError):
        return None

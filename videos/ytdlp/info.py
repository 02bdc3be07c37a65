"""Small converters from yt-dlp's info dicts to plain values."""

from __future__ import annotations

import datetime
import hashlib
import re
import urllib.parse
from typing import Any

import yt_dlp

# Extractors whose ids are only a file name ("master", "video"): their source id is made from
# the URL instead, so two sites never share one.
GENERIC_EXTRACTORS = frozenset({"generic", "html5"})
_RAW_DROP_KEYS = frozenset(
    {"formats", "thumbnails", "requested_formats", "requested_downloads", "http_headers",
     "cookies", "subtitles", "automatic_captions", "heatmap", "fragments", "entries"}
)  # fmt: skip


# --- small converters -------------------------------------------------------------------------
def extractor_name(extractor: str) -> str:
    """The extractor as MVidarr names it: every generic one is ``generic``."""
    return "generic" if extractor in GENERIC_EXTRACTORS else extractor


def source_id_for(extractor: str, video_id: Any, url: str) -> str:
    """The site's id, or for the generic extractor ``url-<hash>`` of the URL (stable, unique)."""
    if extractor in GENERIC_EXTRACTORS or not video_id:
        clean = urllib.parse.urldefrag(url.strip())[0]
        return "url-" + hashlib.sha256(clean.encode()).hexdigest()[:16]
    return str(video_id)


def artist_of(info: dict[str, Any]) -> str | None:
    """The first artist-like field yt-dlp filled in (artists, artist, creators, uploader …).

    The first of ``artists`` before ``artist``: yt-dlp writes all of them into ``artist``
    ("Main, Featured"); the others are featured artists (videos.ytdlp.metadata).
    """
    hosts = _hosts_of(info)
    for key in ("artists", "artist", "creators", "creator", "uploader", "channel"):
        value = info.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        # The generic extractor names a page's host ("example.com:8080") as its uploader.
        if value and str(value).lower() not in hosts:
            return str(value)
    return None


def _hosts_of(info: dict[str, Any]) -> set[str]:
    urls = (info.get(key) for key in ("webpage_url", "original_url", "url"))
    return {
        urllib.parse.urlsplit(url).netloc.lower() for url in urls if isinstance(url, str) and url
    }


# "Artist - Title": a hyphen, en dash or em dash with a space on each side ("Jay-Z" stays whole).
_ARTIST_TITLE = re.compile(r"^(?P<artist>.+?)\s+[-\u2013\u2014]\s+(?P<title>.+)$")


def split_artist_title(title: str) -> tuple[str, str] | None:
    """``("Artist", "Title")`` for a title written "Artist - Title" (also with an en or em dash),
    split at the first such dash; None when the title has no such dash or a side is empty.
    The title keeps what follows it ("Title (Official Video)"): nothing is stripped."""
    match = _ARTIST_TITLE.match(" ".join(title.split()))
    if match is None:
        return None
    artist, rest = match["artist"].strip(), match["title"].strip()
    if not artist or not rest:
        return None
    return artist, rest


def artist_and_title(info: dict[str, Any], *, fallback_title: str = "") -> tuple[str | None, str]:
    """The artist and title of an info dict: :func:`artist_of` and its title; when the site
    names no artist, a title written "Artist - Title" (a page title, a file name) gives both."""
    title = str(info.get("title") or info.get("id") or fallback_title)
    artist = artist_of(info)
    if artist is None and (split := split_artist_title(title)) is not None:
        artist, title = split
    return artist, title


def parse_date(value: Any) -> datetime.date | None:
    """yt-dlp's ``YYYYMMDD`` as a date; None when missing or malformed."""
    try:
        return datetime.datetime.strptime(str(value), "%Y%m%d").date() if value else None
    except ValueError:
        return None


def published_of(info: dict[str, Any]) -> datetime.date | None:
    """When an entry was published: its upload or release date, else its timestamp (UTC)."""
    for key in ("upload_date", "release_date"):
        if date := parse_date(info.get(key)):
            return date
    for key in ("timestamp", "release_timestamp"):
        stamp = as_float(info.get(key))
        if stamp is not None:
            try:
                return datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC).date()
            except (OverflowError, OSError, ValueError):
                continue
    return None


def as_float(value: Any) -> float | None:
    """``value`` as a float; None when missing or not a number."""
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def as_int(value: Any) -> int | None:
    """``value`` as an int; None when missing, zero or not a number."""
    number = as_float(value)
    return int(number) if number else None


def sanitise_info(info: dict[str, Any]) -> dict[str, Any]:
    """The info dict as JSON-storable data, without yt-dlp's private and bulky keys."""
    clean = yt_dlp.YoutubeDL.sanitize_info(info, remove_private_keys=True)
    return {key: value for key, value in clean.items() if key not in _RAW_DROP_KEYS}

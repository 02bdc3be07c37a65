"""Small converters from yt-dlp's info dicts to plain values."""

from __future__ import annotations

import datetime
import hashlib
import urllib.parse
from typing import Any

import yt_dlp

# Extractors whose ids are only a file name ("master", "video"): their source id is made from
# the URL instead, so two sites never share one.
_GENERIC_EXTRACTORS = frozenset({"generic", "html5"})
_RAW_DROP_KEYS = frozenset(
    {"formats", "thumbnails", "requested_formats", "requested_downloads", "http_headers",
     "cookies", "subtitles", "automatic_captions", "heatmap", "fragments", "entries"}
)  # fmt: skip


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

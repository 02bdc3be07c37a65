"""What a site's info dict says of the library's descriptive fields (album, year, genres …).

Plain values, not yet validated against the library's rules (``videos.services`` cleans
them). Decisions: the main artist is the first of yt-dlp's ``artists``, the rest are
featured, as are names in a "(feat. …)" part of the title; the year and premiered date are the
release date's, else the upload date's (sites rarely give a release date; a person's
correction sticks); the video type is read only from an explicit marker in brackets in the
title ("(Official Video)", "[Lyric Video]", "(Live at …)"); the site's description is not a
plot (it is links and promotion far more often than a synopsis), so ``plot`` is left for a
person or a provider; a YouTube video's id is its ``youtube`` provider id.
"""

from __future__ import annotations

import re
from typing import Any

from videos.ytdlp.info import parse_date

# Each field this module may fill.
SITE_FIELDS = (
    "album",
    "year",
    "premiered",
    "genres",
    "featured_artists",
    "video_type",
    "provider_ids",
)

_BRACKETED = re.compile(r"[(\[]([^()\[\]]*)[)\]]")
_FEATURING = re.compile(r"^\s*(?:feat\.?|ft\.?|featuring)\s+(.+)$", re.IGNORECASE)
_NAME_SEPARATORS = re.compile(r"\s*(?:,|&|\band\b|\bx\b)\s*", re.IGNORECASE)
# Markers in brackets, the most specific first ("Official Lyric Video" is a lyric video).
_VIDEO_TYPES = (
    ("behind_the_scenes", re.compile(r"\bbehind the scenes\b|\bmaking of\b", re.IGNORECASE)),
    ("lyric", re.compile(r"\blyrics? video\b|\blyrics\b", re.IGNORECASE)),
    ("visualizer", re.compile(r"\bvisuali[sz]er\b", re.IGNORECASE)),
    ("interview", re.compile(r"\binterview\b", re.IGNORECASE)),
    ("concert", re.compile(r"\b(?:full )?concert\b", re.IGNORECASE)),
    ("performance", re.compile(r"\bperformance(?: video)?\b", re.IGNORECASE)),
    ("live", re.compile(r"^live\b|\blive (?:at|from|in|on|session|version)\b", re.IGNORECASE)),
    ("official", re.compile(r"\bofficial (?:music )?video\b|\bofficial hd video\b", re.IGNORECASE)),
)
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")


def site_fields(info: dict[str, Any]) -> dict[str, Any]:
    """The fields ``info`` gives a value for, by name (absent: the site says nothing)."""
    fields: dict[str, Any] = {}
    if album := _text(info.get("album")):
        fields["album"] = album
    release = parse_date(info.get("release_date"))
    uploaded = parse_date(info.get("upload_date"))
    release_year = _year(info.get("release_year"))
    if release is None and uploaded is not None and release_year in (None, uploaded.year):
        release = uploaded  # the upload date stands in, unless the site says otherwise
    if year := release_year or (release.year if release else None):
        fields["year"] = year
    if release:
        fields["premiered"] = release
    genres = _names(info.get("genres")) or _names(info.get("genre"))
    if genres:
        fields["genres"] = genres
    featured = _featured(info)
    if featured:
        fields["featured_artists"] = featured
    if video_type := video_type_of(_text(info.get("title")) or ""):
        fields["video_type"] = video_type
    extractor = str(info.get("extractor_key") or info.get("extractor") or "").lower()
    video_id = info.get("id")
    if (
        extractor.startswith("youtube")
        and isinstance(video_id, str)
        and _YOUTUBE_ID.fullmatch(video_id)
    ):
        fields["provider_ids"] = {"youtube": video_id}
    return fields


def video_type_of(title: str) -> str:
    """The video type a bracketed marker in ``title`` names; "" when none does."""
    for part in _BRACKETED.findall(title or ""):
        for video_type, marker in _VIDEO_TYPES:
            if marker.search(part):
                return video_type
    return ""


def featured_in_title(title: str) -> list[str]:
    """The names in a "(feat. A & B)" / "[ft. A]" part of ``title``."""
    for part in _BRACKETED.findall(title or ""):
        if match := _FEATURING.match(part):
            return [name for name in _NAME_SEPARATORS.split(match.group(1)) if name.strip()]
    return []


def _featured(info: dict[str, Any]) -> list[str]:
    artists = _names(info.get("artists")) or _names(info.get("creators"))
    names = artists[1:] + featured_in_title(_text(info.get("title")) or "")
    main = artists[0].casefold() if artists else None
    unique: dict[str, str] = {}
    for name in names:
        if name.casefold() != main:
            unique.setdefault(name.casefold(), name)
    return list(unique.values())


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        return []
    return [item.strip() for item in value if isinstance(item, str) and item.strip()]


def _year(value: Any) -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 1000 <= year <= 9999 else None

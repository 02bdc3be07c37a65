"""What probe and download return: plain data, with no yt-dlp object in it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class ProbeResult:
    url: str
    extractor: str
    source_id: str
    title: str
    artist: str | None
    duration: float | None
    thumbnail_url: str | None
    upload_date: datetime.date | None
    heights: list[int]  # available video heights, ascending; empty when the source gives none
    webpage_url: str
    raw: dict[str, Any] = field(repr=False)  # sanitised info dict, JSON-serialisable
    # What the site says of the library's descriptive fields (videos.ytdlp.metadata).
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class PlaylistEntry:
    url: str
    title: str | None
    extractor: str
    source_id: str
    duration: float | None = None
    # When the entry was published, when the listing says (a feed's pubDate, a site's date).
    published: datetime.date | None = None
    uploader: str | None = None


@dataclass
class PlaylistResult:
    url: str
    title: str | None
    entries: list[PlaylistEntry]


@dataclass
class ListingPage:
    """One page of a channel's, playlist's or feed's entries, listed flat (not probed)."""

    title: str | None
    channel_id: str | None
    entries: list[PlaylistEntry]
    # No entry after this page: the listing is done.
    exhausted: bool
    # How many entries the listing has in all, when the site says.
    total: int | None = None


@dataclass
class DownloadResult:
    path: Path  # the final file, inside dest_dir
    size: int
    height: int | None
    width: int | None
    format: str  # format_id and container, e.g. "1200+aud-English (mp4)"
    ext: str
    info: dict[str, Any]  # title, id, source_id, extractor, uploader, artist, duration, …
    video_codec: str = ""  # as ffmpeg names it: "h264", "vp9", "av1"
    audio_codec: str = ""  # "aac", "opus"


@dataclass
class SearchHit:
    """One result of a site's search, listed flat (not probed)."""

    url: str
    title: str
    channel: str
    duration: float | None = None

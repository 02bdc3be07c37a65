"""Probe: what a URL holds, one video or a playlist whose entries are listed but not resolved."""

from __future__ import annotations

from typing import Any

from yt_dlp.utils import YoutubeDLError, unsmuggle_url

from videos.ytdlp.config import YtdlpConfig
from videos.ytdlp.errors import PermanentError, check_url, classify
from videos.ytdlp.info import (
    GENERIC_EXTRACTORS,
    artist_and_title,
    artist_of,
    as_float,
    extractor_name,
    parse_date,
    published_of,
    sanitise_info,
    source_id_for,
)
from videos.ytdlp.metadata import site_fields
from videos.ytdlp.results import PlaylistEntry, PlaylistResult, ProbeResult
from videos.ytdlp.session import base_options, youtube_dl


def probe(url: str, *, config: YtdlpConfig) -> ProbeResult | PlaylistResult:
    """What ``url`` holds: one video, or a playlist whose entries are listed but not resolved.

    Raises TransientError or PermanentError.
    """
    check_url(url)
    options = {**base_options(config), "extract_flat": "in_playlist"}
    try:
        with youtube_dl(options, config) as ydl:
            info = ydl.extract_info(url, download=False)
    except YoutubeDLError as error:
        raise classify(error, url) from error
    if info is None:
        raise PermanentError(f"yt-dlp found nothing to download at {url}; check the link.")
    if info.get("_type") in ("playlist", "multi_video"):
        return PlaylistResult(
            url=url,
            title=info.get("title"),
            entries=[entry for raw in info.get("entries") or [] if (entry := playlist_entry(raw))],
        )
    return probe_result(url, info)


def probe_result(url: str, info: dict[str, Any]) -> ProbeResult:
    """One video's info dict as a ProbeResult."""
    heights = sorted(
        {
            int(f["height"])
            for f in info.get("formats") or [info]
            if f.get("height") and f.get("vcodec") != "none"
        }
    )
    extractor = str(info.get("extractor") or "generic").lower()
    artist, title = artist_and_title(info, fallback_title=url)
    return ProbeResult(
        url=url,
        extractor=extractor_name(extractor),
        source_id=source_id_for(extractor, info.get("id"), url),
        title=title,
        artist=artist,
        duration=as_float(info.get("duration")),
        thumbnail_url=info.get("thumbnail"),
        upload_date=parse_date(info.get("upload_date") or info.get("release_date")),
        heights=heights,
        webpage_url=info.get("webpage_url") or url,
        raw=sanitise_info(info),
        fields=site_fields(info),
    )


def playlist_entry(raw: dict[str, Any] | None) -> PlaylistEntry | None:
    """A flat playlist entry as a PlaylistEntry; None for an entry without a URL."""
    if not raw or not raw.get("url"):
        return None
    entry_url, smuggled = unsmuggle_url(raw["url"], {})
    extractor = str(raw.get("ie_key") or raw.get("extractor") or "generic").lower()
    if extractor in GENERIC_EXTRACTORS:
        source_id = source_id_for(extractor, None, entry_url)
    else:
        video_id = raw.get("id") or smuggled.get("force_videoid")
        source_id = source_id_for(extractor, video_id, entry_url)
    return PlaylistEntry(
        url=entry_url,
        title=raw.get("title"),
        extractor=extractor_name(extractor),
        source_id=source_id,
        duration=as_float(raw.get("duration")),
        published=published_of(raw),
        uploader=artist_of(raw),
    )

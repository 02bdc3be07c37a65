"""What an address looks like, told from its shape alone (no network): a playlist, a channel
or a feed of the sites whose addresses say so. The add page uses it to offer "import all" or
"follow as a source" at once; anything else is taken for one video, and its probe says
otherwise when it finds a playlist (``jobs.worker.probe``).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

PLAYLIST = "playlist"
CHANNEL = "channel"
FEED = "feed"

LABELS = {PLAYLIST: "a playlist", CHANNEL: "a channel", FEED: "a feed"}

_YOUTUBE_HOSTS = {"youtube.com", "m.youtube.com", "music.youtube.com"}
_YOUTUBE_CHANNEL_PREFIXES = ("/channel/", "/c/", "/user/", "/@")
_FEED_SUFFIXES = (".rss", ".xml", ".atom")
_FEED_SEGMENTS = {"feed", "feeds", "rss"}


def collection_kind(url: str) -> str | None:
    """``PLAYLIST``, ``CHANNEL`` or ``FEED`` when ``url``'s shape says it holds many videos;
    None for anything else (taken for one video)."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path or "/"
    query = parse_qs(parts.query)
    if host in _YOUTUBE_HOSTS:
        if path.startswith(_YOUTUBE_CHANNEL_PREFIXES):
            return CHANNEL
        # A watch address with both v= and list= is the one video (MVidarr asks yt-dlp for
        # the video, not its playlist).
        if path in ("/playlist", "/watch") and "list" in query and "v" not in query:
            return PLAYLIST
        if path.startswith("/feeds/"):
            return FEED
        return None
    if host == "vimeo.com" and path.startswith(("/channels/", "/showcase/", "/album/")):
        return PLAYLIST
    if host == "dailymotion.com" and path.startswith("/playlist/"):
        return PLAYLIST
    if host == "soundcloud.com" and "/sets/" in path:
        return PLAYLIST
    lowered = path.lower().rstrip("/")
    if lowered.endswith(_FEED_SUFFIXES) or lowered.rpartition("/")[2] in _FEED_SEGMENTS:
        return FEED
    return None

"""The provider interface: what every metadata provider answers, in MVidarr's own shapes.

A provider searches artists and videos, lists an artist's videos (all of them, paged to the
end by the provider), and returns a video's metadata, artwork and sources. Failures are the
yt-dlp boundary's :class:`TransientError` (try again later) and :class:`PermanentError`
(a sentence saying what to fix).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from videos.ytdlp import PermanentError, TransientError

__all__ = [
    "ArtistHit",
    "PermanentError",
    "Provider",
    "SearchPage",
    "TransientError",
    "VideoDetails",
    "VideoHit",
    "VideoSource",
]


@dataclass(frozen=True)
class ArtistHit:
    id: str
    name: str
    image_url: str = ""
    video_count: int | None = None


@dataclass(frozen=True)
class VideoSource:
    """Where a video can be watched: ``site`` ("youtube"), its id there, and its address."""

    site: str
    site_id: str
    url: str
    is_primary: bool = False


@dataclass(frozen=True)
class VideoHit:
    id: str
    title: str
    artist: str
    year: int | None = None
    version_name: str = ""
    image_url: str = ""


@dataclass(frozen=True)
class VideoDetails:
    """One video as the provider knows it.

    ``fields`` holds the library's metadata fields the provider knows (names of
    ``videos.metadata_rules.METADATA_FIELDS``, ``provider_ids`` among them); ``artwork`` the
    image addresses by size; ``sources`` the primary first.
    """

    id: str
    title: str
    artist: str
    fields: dict[str, Any] = field(default_factory=dict)
    artwork: dict[str, str] = field(default_factory=dict)
    sources: list[VideoSource] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def primary_source(self) -> VideoSource | None:
        return self.sources[0] if self.sources else None


@dataclass(frozen=True)
class SearchPage:
    items: list
    page: int
    total_pages: int
    total_results: int


class Provider(Protocol):
    name: str  # "imvdb": the key of provider_ids and of "provider:<name>"
    label: str  # "IMVDb"

    def search_artists(self, query: str, *, page: int = 1) -> SearchPage: ...

    def search_videos(self, query: str, *, page: int = 1) -> SearchPage: ...

    def artist_videos(self, artist_id: str) -> list[VideoHit]:
        """Every video of the artist, each once, in the provider's order."""
        ...

    def video(self, video_id: str) -> VideoDetails: ...

    def find_video(self, *, artist: str, title: str) -> VideoDetails | None:
        """The provider's entry for a video known by artist and title; None when unsure."""
        ...

    def check(self) -> str:
        """One small request; a sentence saying it works, or the error."""
        ...


def require_id(value: Any, *, label: str) -> str:
    """A provider's id as text; PermanentError when it is empty or odd."""
    text = str(value if value is not None else "").strip()
    if not text or len(text) > 64 or not all(ch.isalnum() or ch == "-" for ch in text):
        raise PermanentError(f"{value!r} is not an {label} id.")
    return text

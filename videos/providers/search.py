"""Searching IMVDb for a person (the API and the IMVDb page), and what of the answer the
library already holds.

The search is the one provider call made during a request (with the providers' tests): a
person waits for its answer. It is cached and rate-limited like every provider call.
"""

from __future__ import annotations

from dataclasses import dataclass

from videos.models import Artist, Video
from videos.providers.base import SearchPage
from videos.providers.registry import provider_get, providers_configured

SEARCH_TYPES = ("artists", "videos")


def imvdb_search(*, query: str, type: str = "artists", page: int = 1) -> SearchPage:
    """A page of IMVDb's artists or videos matching ``query``. Raises the provider's
    PermanentError (no key, a refused key, an empty query) or TransientError (down)."""
    imvdb = provider_get("imvdb")
    search = imvdb.search_videos if type == "videos" else imvdb.search_artists
    return search(query, page=page)


def imvdb_configured() -> bool:
    """Whether IMVDb can be asked (its key is set)."""
    return "imvdb" in providers_configured()


@dataclass(frozen=True)
class Known:
    """The library's artists and videos among a page of hits, by the provider's id."""

    artists: dict[str, Artist]
    videos: dict[str, Video]


def provider_hits_known(*, provider: str, page: SearchPage, type: str) -> Known:
    """Which hits of ``page`` the library already has (two queries at most)."""
    ids = [str(item.id) for item in page.items]
    if not ids:
        return Known({}, {})
    if type == "videos":
        rows = Video.objects.filter(**{f"provider_ids__{provider}__in": ids})
        return Known({}, {str(video.provider_ids.get(provider)): video for video in rows})
    rows = Artist.objects.filter(**{f"provider_ids__{provider}__in": ids})
    return Known({str(artist.provider_ids.get(provider)): artist for artist in rows}, {})

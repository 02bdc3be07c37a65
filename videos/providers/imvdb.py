"""IMVDb (imvdb.com/api/v1): searches, an artist's whole videography and a video's details.

The key goes in the ``IMVDB-APP-KEY`` header. An artist's videography is read from
``entity/{id}?include=artist_videos`` page after page until the last (never a name search,
which misses videos whose credits spell the artist otherwise).
"""

from __future__ import annotations

import datetime
from typing import Any

from videos.metadata_rules import MAX_NAME_LENGTH
from videos.name_keys import same_name
from videos.providers.base import (
    ArtistHit,
    PermanentError,
    SearchPage,
    VideoDetails,
    VideoHit,
    VideoSource,
    require_id,
)
from videos.providers.http import ProviderHttp

NAME = "imvdb"
LABEL = "IMVDb"
HINT = "check the IMVDb settings (IMVDB_API_URL, IMVDB_API_KEY)"
PER_PAGE = 50  # IMVDb's largest page
MAX_PAGES = 200  # 10,000 videos: no artist has more; a loop guard
IMAGE_SIZES = ("o", "l", "b", "t", "s")
YOUTUBE_WATCH = "https://www.youtube.com/watch?v="


class Imvdb:
    name = NAME
    label = LABEL

    def __init__(self, http: ProviderHttp) -> None:
        self.http = http

    @classmethod
    def build(cls, *, base_url: str, api_key: str, rate: float, cache_ttl: int) -> Imvdb:
        if not api_key:
            raise PermanentError(f"No IMVDb API key is set; {HINT}.")
        http = ProviderHttp(
            name=NAME,
            label=LABEL,
            base_url=base_url,
            rate=rate,
            cache_ttl=cache_ttl,
            hint=HINT,
            headers={"IMVDB-APP-KEY": api_key, "User-Agent": "MVidarr"},
        )
        return cls(http)

    # --- searches -----------------------------------------------------------------------
    def search_artists(self, query: str, *, page: int = 1) -> SearchPage:
        answer = self._search("search/entities", query, page)
        hits = [
            ArtistHit(
                id=str(item["id"]),
                name=_text(item.get("name") or item.get("slug")),
                image_url=_image(item.get("image")),
                video_count=_int(item.get("artist_video_count")),
            )
            for item in _results(answer)
            if item.get("id") is not None
        ]
        return _page(answer, hits, page)

    def search_videos(self, query: str, *, page: int = 1) -> SearchPage:
        answer = self._search("search/videos", query, page)
        hits = [_video_hit(item) for item in _results(answer) if item.get("id") is not None]
        return _page(answer, hits, page)

    def _search(self, path: str, query: str, page: int) -> Any:
        query = " ".join(str(query).split())
        if not query:
            raise PermanentError("Give something to search IMVDb for.")
        return self.http.get_json(path, {"q": query, "page": max(1, page), "per_page": PER_PAGE})

    # --- an artist's videos ---------------------------------------------------------------
    def artist(self, artist_id: str) -> ArtistHit:
        artist_id = require_id(artist_id, label=LABEL)
        answer = self.http.get_json(f"entity/{artist_id}", {})
        _check_object(answer, "artist")
        return ArtistHit(
            id=artist_id,
            name=_text(answer.get("name") or answer.get("slug")),
            image_url=_image(answer.get("image")),
        )

    def artist_videos(self, artist_id: str) -> list[VideoHit]:
        """Every video of the entity's ``artist_videos``, each once, all pages."""
        artist_id = require_id(artist_id, label=LABEL)
        seen: dict[str, VideoHit] = {}
        for page in range(1, MAX_PAGES + 1):
            answer = self.http.get_json(
                f"entity/{artist_id}",
                {"include": "artist_videos", "page": page, "per_page": PER_PAGE},
            )
            _check_object(answer, "artist")
            block = answer.get("artist_videos") or {}
            videos = block.get("videos") if isinstance(block, dict) else None
            if not isinstance(videos, list) or not videos:
                break
            new = 0
            for item in videos:
                if isinstance(item, dict) and item.get("id") is not None:
                    hit = _video_hit(item)
                    if hit.id not in seen:
                        seen[hit.id] = hit
                        new += 1
            total = _int(block.get("total_videos"))
            total_pages = _int(block.get("total_pages"))
            if not new or (total is not None and len(seen) >= total):
                break
            if total_pages is not None and page >= total_pages:
                break
        return list(seen.values())

    # --- one video ------------------------------------------------------------------------
    def video(self, video_id: str) -> VideoDetails:
        video_id = require_id(video_id, label=LABEL)
        answer = self.http.get_json(f"video/{video_id}", {"include": "sources,credits,featured"})
        _check_object(answer, "video")
        return video_details(answer)

    def find_video(self, *, artist: str, title: str) -> VideoDetails | None:
        """The first search result whose artist and title match (ignoring case)."""
        page = self.search_videos(f"{artist} {title}")
        for hit in page.items[:10]:
            if same_name(hit.title, title) and same_name(hit.artist, artist):
                return self.video(hit.id)
        return None

    def check(self) -> str:
        page = self.search_artists("a")
        return f"IMVDb answered: {page.total_results} artists match a test search."


def video_details(answer: dict) -> VideoDetails:
    """A ``video/{id}`` answer in MVidarr's shape."""
    video_id = str(answer.get("id"))
    artists = _names(answer.get("artists"))
    fields: dict[str, Any] = {"provider_ids": {NAME: video_id}}
    year = _int(answer.get("year"))
    if year and 1880 <= year <= datetime.date.today().year + 1:
        fields["year"] = year
    directors = _names(answer.get("directors"), keys=("entity_name", "name"))
    if directors:
        fields["directors"] = directors
    featured = _names(answer.get("featured_artists"))
    if featured:
        fields["featured_artists"] = featured
    if _text(answer.get("version_name")):
        fields["version_name"] = _text(answer.get("version_name"))
    sources = _sources(answer.get("sources"))
    if primary := next((source for source in sources if source.site == "youtube"), None):
        fields["provider_ids"]["youtube"] = primary.site_id
    image = answer.get("image") if isinstance(answer.get("image"), dict) else {}
    return VideoDetails(
        id=video_id,
        title=_text(answer.get("song_title")),
        artist=artists[0] if artists else "",
        fields=fields,
        artwork={size: image[size] for size in IMAGE_SIZES if _is_http(image.get(size))},
        sources=sources,
        extra={"is_imvdb_pick": bool(answer.get("is_imvdb_pick"))},
    )


def _sources(items: Any) -> list[VideoSource]:
    """YouTube sources, the primary first (IMVDb knows others; only YouTube's id makes an
    address MVidarr can download)."""
    found = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or item.get("source") != "youtube":
            continue
        site_id = _text(item.get("source_data"))
        if not site_id or len(site_id) != 11:
            continue
        found.append(
            VideoSource("youtube", site_id, YOUTUBE_WATCH + site_id, bool(item.get("is_primary")))
        )
    return sorted(found, key=lambda source: not source.is_primary)


def _video_hit(item: dict) -> VideoHit:
    artists = _names(item.get("artists"))
    return VideoHit(
        id=str(item["id"]),
        title=_text(item.get("song_title")),
        artist=artists[0] if artists else "",
        year=_int(item.get("year")),
        version_name=_text(item.get("version_name")),
        image_url=_image(item.get("image")),
    )


def _check_object(answer: Any, what: str) -> None:
    if not isinstance(answer, dict) or answer.get("id") is None:
        raise PermanentError(f"IMVDb answered something that is not an {what}; {HINT}.")


def _results(answer: Any) -> list[dict]:
    if not isinstance(answer, dict) or not isinstance(answer.get("results"), list):
        raise PermanentError(f"IMVDb's search answered something that is not a list; {HINT}.")
    return [item for item in answer["results"] if isinstance(item, dict)]


def _page(answer: dict, items: list, page: int) -> SearchPage:
    return SearchPage(
        items=items,
        page=_int(answer.get("current_page")) or page,
        total_pages=_int(answer.get("total_pages")) or 0,
        total_results=_int(answer.get("total_results")) or 0,
    )


def _names(items: Any, keys: tuple[str, ...] = ("name",)) -> list[str]:
    names: list[str] = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        name = next((_text(item.get(key)) for key in keys if _text(item.get(key))), "")
        if name and name not in names:
            names.append(name[:MAX_NAME_LENGTH])
    return names[:50]


def _image(value: Any) -> str:
    if isinstance(value, dict):
        value = next((value[size] for size in IMAGE_SIZES if _is_http(value.get(size))), "")
    return value if _is_http(value) else ""


def _is_http(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://"))


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None

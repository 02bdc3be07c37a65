"""MusicBrainz (musicbrainz.org/ws/2, JSON): an artist's recordings that are videos with
their URL relations, and for a video its album (release group), genres and ids.

MusicBrainz asks each client for at most one request a second (the rate setting) and a
User-Agent naming the application, its version and a contact: "MVidarr/<version>
( <contact URL> )".
"""

from __future__ import annotations

import re
from typing import Any

from mvidarr.ops.version import app_version
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

NAME = "musicbrainz"
LABEL = "MusicBrainz"
HINT = "check the MusicBrainz settings (MUSICBRAINZ_API_URL)"
PAGE = 100  # MusicBrainz's largest browse page
MAX_PAGES = 100
SEARCH_SIZE = 25
LOOKUP_INCLUDES = "artist-credits+releases+release-groups+genres+url-rels"
_MBID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_YOUTUBE_ID = re.compile(r"(?:youtube\.com/watch\?v=|youtu\.be/)([A-Za-z0-9_-]{11})")


def user_agent(contact: str) -> str:
    return f"MVidarr/{app_version()} ( {contact} )"


class MusicBrainz:
    name = NAME
    label = LABEL

    def __init__(self, http: ProviderHttp) -> None:
        self.http = http

    @classmethod
    def build(cls, *, base_url: str, contact: str, rate: float, cache_ttl: int) -> MusicBrainz:
        http = ProviderHttp(
            name=NAME,
            label=LABEL,
            base_url=base_url,
            rate=rate,
            cache_ttl=cache_ttl,
            hint=HINT,
            headers={"User-Agent": user_agent(contact)},
        )
        return cls(http)

    def _get(self, path: str, params: dict[str, Any]) -> Any:
        answer = self.http.get_json(path, {**params, "fmt": "json"})
        if not isinstance(answer, dict):
            raise PermanentError(f"MusicBrainz answered something that is not JSON; {HINT}.")
        return answer

    def search_artists(self, query: str, *, page: int = 1) -> SearchPage:
        answer = self._get("artist", _search(query, page))
        hits = [
            ArtistHit(id=item["id"], name=_text(item.get("name")))
            for item in _list(answer.get("artists"))
            if _is_mbid(item.get("id"))
        ]
        return _page(answer, hits, page)

    def search_videos(self, query: str, *, page: int = 1) -> SearchPage:
        params = _search(query, page)
        params["query"] = f"({params['query']}) AND video:true"
        answer = self._get("recording", params)
        hits = [_hit(item) for item in _list(answer.get("recordings")) if _is_mbid(item.get("id"))]
        return _page(answer, hits, page)

    def artist_videos(self, artist_id: str) -> list[VideoHit]:
        """The artist's recordings marked as videos, all pages."""
        artist_id = _mbid(artist_id)
        found: dict[str, VideoHit] = {}
        for page in range(MAX_PAGES):
            answer = self._get(
                "recording",
                {"artist": artist_id, "inc": "url-rels", "limit": PAGE, "offset": page * PAGE},
            )
            items = _list(answer.get("recordings"))
            for item in items:
                if item.get("video") and _is_mbid(item.get("id")):
                    found.setdefault(item["id"], _hit(item))
            total = answer.get("recording-count")
            if not items or not isinstance(total, int) or (page + 1) * PAGE >= total:
                break
        return list(found.values())

    def video(self, video_id: str) -> VideoDetails:
        recording_id = _mbid(video_id)
        return recording_details(self._get(f"recording/{recording_id}", {"inc": LOOKUP_INCLUDES}))

    def find_video(self, *, artist: str, title: str) -> VideoDetails | None:
        query = f'recording:"{_quoted(title)}" AND artist:"{_quoted(artist)}"'
        answer = self._get("recording", {"query": query, "limit": SEARCH_SIZE})
        for item in _list(answer.get("recordings")):
            hit = _hit(item)
            if _is_mbid(hit.id) and same_name(hit.title, title) and same_name(hit.artist, artist):
                return self.video(hit.id)
        return None

    def check(self) -> str:
        answer = self._get("artist", {"query": "artist:test", "limit": 1})
        return f"MusicBrainz answered: {answer.get('count', 0)} artists match a test search."


def recording_details(answer: dict) -> VideoDetails:
    """A recording lookup in MVidarr's shape: album, genres, ids and YouTube sources."""
    if not _is_mbid(answer.get("id")):
        raise PermanentError(f"MusicBrainz answered something that is not a recording; {HINT}.")
    fields: dict[str, Any] = {"provider_ids": {NAME: answer["id"]}}
    album = _album(_list(answer.get("releases")))
    if album:
        fields["album"] = album[:500]
    genres = sorted(
        (item for item in _list(answer.get("genres")) if _text(item.get("name"))),
        key=lambda item: -(item.get("count") or 0),
    )
    if genres:
        fields["genres"] = [_text(item["name"])[:MAX_NAME_LENGTH] for item in genres[:10]]
    sources = []
    for relation in _list(answer.get("relations")):
        url = (relation.get("url") or {}).get("resource") if isinstance(relation, dict) else None
        match = _YOUTUBE_ID.search(url or "")
        if match:
            site_id = match.group(1)
            sources.append(
                VideoSource("youtube", site_id, f"https://www.youtube.com/watch?v={site_id}")
            )
    credit = _credit(answer)
    return VideoDetails(
        id=answer["id"],
        title=_text(answer.get("title")),
        artist=credit,
        fields=fields,
        sources=sources,
        extra={"artist_ids": _artist_ids(answer)},
    )


def _album(releases: list[dict]) -> str:
    """The release group of the earliest official album release, else of the earliest
    release."""
    groups = [
        (release.get("date") or "9999", release.get("release-group") or {})
        for release in releases
        if isinstance(release.get("release-group"), dict)
    ]
    groups.sort(key=lambda pair: pair[0])
    for _date, group in groups:
        if group.get("primary-type") == "Album" and _text(group.get("title")):
            return _text(group["title"])
    return next((_text(group.get("title")) for _date, group in groups if group.get("title")), "")


def _credit(item: dict) -> str:
    credits = _list(item.get("artist-credit"))
    return _text(credits[0].get("name")) if credits else ""


def _artist_ids(item: dict) -> list[str]:
    ids = []
    for credit in _list(item.get("artist-credit")):
        artist_id = (credit.get("artist") or {}).get("id")
        if _is_mbid(artist_id):
            ids.append(artist_id)
    return ids


def _hit(item: dict) -> VideoHit:
    return VideoHit(id=str(item.get("id")), title=_text(item.get("title")), artist=_credit(item))


def _search(query: str, page: int) -> dict[str, Any]:
    query = " ".join(str(query).split())
    if not query:
        raise PermanentError("Give something to search MusicBrainz for.")
    return {"query": query, "limit": SEARCH_SIZE, "offset": (max(1, page) - 1) * SEARCH_SIZE}


def _page(answer: dict, items: list, page: int) -> SearchPage:
    total = answer.get("count") if isinstance(answer.get("count"), int) else 0
    return SearchPage(items, page, -(-total // SEARCH_SIZE), total)


def _mbid(value: Any) -> str:
    text = require_id(value, label=LABEL)
    if not _is_mbid(text):
        raise PermanentError(f"{value!r} is not a MusicBrainz id.")
    return text


def _is_mbid(value: Any) -> bool:
    return isinstance(value, str) and bool(_MBID.match(value))


def _quoted(text: str) -> str:
    return re.sub(r'([+\-&|!(){}\[\]^"~*?:\\/])', r"\\\1", " ".join(text.split()))


def _list(value: Any) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


__all__ = ["MusicBrainz", "recording_details", "user_agent"]

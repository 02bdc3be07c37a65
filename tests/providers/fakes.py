"""Local fake IMVDb and MusicBrainz servers: they answer in the shapes the real APIs answer
(recorded from their documentation and answers) and record every request they receive.

IMVDb (key ``test-key`` in ``IMVDB-APP-KEY``, else 403):

=====================================  =====================================================
``/search/entities?q=&page=&per_page``  artists whose name contains q
``/search/videos?q=…``                  videos whose artist or title contains the words of q
``/entity/<id>?include=artist_videos``  the entity, its ``artist_videos`` three a page
                                        (``page``), ``total_videos`` and ``total_pages``
``/video/<id>?include=…``               a video; 1001 has sources (YouTube, the primary
                                        second in the list), 1002 has none
=====================================  =====================================================

``server.artist_images[id] = url`` gives an artist the picture at ``url`` instead.

``server.fail_next(status, times=1, retry_after=None)`` makes the next requests answer that
status (a 500 once, a 429 with Retry-After).

MusicBrainz answers 403 unless the User-Agent is "MVidarr/<version> ( <http(s) URL> )".
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

IMVDB_KEY = "test-key"
ENTITY_PAGE = 3


def _video(video_id, title, year, *, artist="Nightfall Choir", version="", image=True):
    return {
        "id": video_id,
        "production_status": "r",
        "song_title": title,
        "song_slug": title.lower().replace(" ", "-"),
        "url": f"https://imvdb.com/video/nightfall-choir/{video_id}",
        "multiple_versions": bool(version),
        "version_name": version,
        "version_number": 1,
        "is_imvdb_pick": video_id == 1001,
        "aspect_ratio": None,
        "year": year,
        "verified_credits": True,
        "artists": [{"name": artist, "slug": "nightfall-choir", "url": "https://imvdb.com/n/nc"}],
        "image": {size: f"https://s3.imvdb.example/{video_id}-{size}.jpg" for size in "olbts"}
        if image
        else [],
    }


# The artist 100's videography: seven videos, three pages of three.
VIDEOGRAPHY = [
    _video(1001, "Lanterns", 2019),
    _video(1002, "Paper Moons", 2019),
    _video(1003, "Glass Harbour", 2020, version="Director's Cut"),
    _video(1004, "Tidewater", 2020),
    _video(1005, "Northern Lights", 2021),
    _video(1006, "Hollow Bells", 2022),
    _video(1007, "Embers", 2023, image=False),
]
ARTISTS = [
    {"id": 100, "name": "Nightfall Choir", "slug": "nightfall-choir", "url": "https://imvdb.com/n/nightfall-choir",
     "discogs_id": 42, "byline": "", "bio": "", "image": "https://s3.imvdb.example/a100.jpg",
     "artist_video_count": 7, "featured_video_count": 0},
    {"id": 200, "name": "Nightfall Orchestra", "slug": "nightfall-orchestra", "url": "https://imvdb.com/n/no",
     "discogs_id": None, "byline": "", "bio": "", "image": None,
     "artist_video_count": 0, "featured_video_count": 1},
]  # fmt: skip
YOUTUBE_PRIMARY = "AbCdEfGhI01"
YOUTUBE_OTHER = "ZyXwVuTsR02"


def video_detail(video_id: int) -> dict | None:
    base = next((item for item in VIDEOGRAPHY if item["id"] == video_id), None)
    if base is None:
        return None
    detail = dict(base)
    detail["featured_artists"] = (
        [{"name": "Mira Vale", "slug": "mira-vale", "url": "https://imvdb.com/n/mira-vale"}]
        if video_id == 1001
        else []
    )
    detail["directors"] = (
        [{"position_name": "Director", "position_code": "dir", "entity_name": "Juno Park",
          "entity_slug": "juno-park", "entity_id": 9, "position_notes": None}]
        if video_id in (1001, 1002)
        else []
    )  # fmt: skip
    detail["credits"] = {"total_credits": 1, "crew": detail["directors"], "cast": []}
    detail["sources"] = (
        [
            {"source": "vimeo", "source_slug": "vimeo", "source_data": 12345, "is_primary": False},
            {"source": "youtube", "source_slug": "youtube", "source_data": YOUTUBE_OTHER,
             "is_primary": False},
            {"source": "youtube", "source_slug": "youtube", "source_data": YOUTUBE_PRIMARY,
             "is_primary": True},
        ]
        if video_id == 1001
        else []
        if video_id == 1002
        else [{"source": "youtube", "source_slug": "youtube",
               "source_data": f"vid{video_id}abcd"[:11], "is_primary": True}]
    )  # fmt: skip
    return detail


@dataclass
class Received:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    at: float


@dataclass
class FakeServer:
    """A fake API on 127.0.0.1: ``answer(path, query, headers)`` → (status, headers, body)."""

    received: list[Received] = field(default_factory=list)
    forced: list[tuple[int, dict]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    httpd: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def fail_next(self, status: int, *, times: int = 1, retry_after: float | None = None):
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        with self.lock:
            self.forced += [(status, headers)] * times

    def paths(self, prefix: str = "") -> list[str]:
        return [item.path for item in self.received if item.path.startswith(prefix)]

    def start(self) -> FakeServer:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                parts = urlsplit(self.path)
                query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
                with fake.lock:
                    fake.received.append(
                        Received(
                            parts.path,
                            query,
                            {k.lower(): v for k, v in self.headers.items()},
                            time.time(),
                        )
                    )
                    forced = fake.forced.pop(0) if fake.forced else None
                if forced is not None:
                    status, headers, body = forced[0], forced[1], {"error": "forced"}
                else:
                    status, headers, body = fake.answer(parts.path, query, self.headers)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def answer(self, path, query, headers):  # pragma: no cover - overridden
        raise NotImplementedError


@dataclass
class FakeImvdb(FakeServer):
    # An artist's picture elsewhere than its recorded address (a test's media server).
    artist_images: dict[int, str] = field(default_factory=dict)

    def answer(self, path, query, headers):
        if headers.get("IMVDB-APP-KEY") != IMVDB_KEY:
            return 403, {}, {"error": {"code": 403, "message": "Invalid API key."}}
        if path == "/search/entities":
            words = query.get("q", "").casefold()
            found = [artist for artist in ARTISTS if words in artist["name"].casefold()]
            return 200, {}, _search_page(found, query)
        if path == "/search/videos":
            words = query.get("q", "").casefold().split()
            found = [
                video
                for video in VIDEOGRAPHY
                if all(
                    word in f"{video['artists'][0]['name']} {video['song_title']}".casefold()
                    for word in words
                )
            ]
            return 200, {}, _search_page(found, query)
        if match := re.fullmatch(r"/entity/(\d+)", path):
            artist = next((a for a in ARTISTS if a["id"] == int(match.group(1))), None)
            if artist is None:
                return 404, {}, {"error": "Not found"}
            body = dict(artist)
            body["image"] = self.artist_images.get(artist["id"], artist["image"])
            if query.get("include") == "artist_videos":
                videos = VIDEOGRAPHY if artist["id"] == 100 else []
                page = int(query.get("page", "1"))
                start = (page - 1) * ENTITY_PAGE
                body["artist_videos"] = {
                    "total_videos": len(videos),
                    "total_pages": -(-len(videos) // ENTITY_PAGE),
                    "current_page": page,
                    "videos": videos[start : start + ENTITY_PAGE],
                }
            return 200, {}, body
        if match := re.fullmatch(r"/video/(\d+)", path):
            detail = video_detail(int(match.group(1)))
            return (404, {}, {"error": "Not found"}) if detail is None else (200, {}, detail)
        return 404, {}, {"error": "Not found"}


def _search_page(found: list, query: dict) -> dict:
    per_page = min(50, int(query.get("per_page", "25")))
    page = int(query.get("page", "1"))
    return {
        "total_results": len(found),
        "current_page": page,
        "per_page": per_page,
        "total_pages": -(-len(found) // per_page),
        "results": found[(page - 1) * per_page : page * per_page],
    }


# --- MusicBrainz ---------------------------------------------------------------------------
MB_ARTIST = "0383dadf-2a4e-4d10-a46a-e9e041da8eb3"
MB_RECORDINGS = {
    "11111111-1111-4111-8111-111111111111": ("Lanterns", True),
    "22222222-2222-4222-8222-222222222222": ("Lanterns (audio)", False),
    "33333333-3333-4333-8333-333333333333": ("Paper Moons", True),
}
USER_AGENT = re.compile(r"^MVidarr/\S+ \( https?://\S+ \)$")


def mb_recording(mbid: str) -> dict:
    title, video = MB_RECORDINGS[mbid]
    return {
        "id": mbid,
        "title": title,
        "video": video,
        "length": 215000,
        "artist-credit": [
            {"name": "Nightfall Choir", "joinphrase": "",
             "artist": {"id": MB_ARTIST, "name": "Nightfall Choir", "sort-name": "Nightfall Choir"}}
        ],
        "releases": [
            {"id": "aaaaaaaa-0000-4000-8000-000000000001", "title": "Lanterns (single)",
             "date": "2019-02-01",
             "release-group": {"id": "bbbbbbbb-0000-4000-8000-000000000001",
                               "title": "Lanterns", "primary-type": "Single"}},
            {"id": "aaaaaaaa-0000-4000-8000-000000000002", "title": "Harbour Songs",
             "date": "2019-05-10",
             "release-group": {"id": "bbbbbbbb-0000-4000-8000-000000000002",
                               "title": "Harbour Songs", "primary-type": "Album"}},
        ],
        "genres": [{"name": "dream pop", "count": 3}, {"name": "indie pop", "count": 5}],
        "relations": [
            {"type": "free streaming", "target-type": "url",
             "url": {"id": "u1", "resource": f"https://www.youtube.com/watch?v={YOUTUBE_PRIMARY}"}}
        ],
    }  # fmt: skip


class FakeMusicBrainz(FakeServer):
    def answer(self, path, query, headers):
        if not USER_AGENT.match(headers.get("User-Agent", "")):
            return 403, {}, {"error": "Please set a proper User-Agent with a contact."}
        if query.get("fmt") != "json":
            return 400, {}, {"error": "fmt=json expected"}
        if match := re.fullmatch(r"/recording/([0-9a-f-]{36})", path):
            if match.group(1) not in MB_RECORDINGS:
                return 404, {}, {"error": "Not Found"}
            return 200, {}, mb_recording(match.group(1))
        if path == "/recording" and query.get("artist"):
            items = [
                {"id": mbid, "title": title, "video": video}
                for mbid, (title, video) in MB_RECORDINGS.items()
            ] if query["artist"] == MB_ARTIST else []  # fmt: skip
            offset, limit = int(query.get("offset", "0")), int(query.get("limit", "25"))
            return 200, {}, {
                "recording-count": len(items), "recording-offset": offset,
                "recordings": items[offset : offset + limit],
            }  # fmt: skip
        if path == "/recording" and "query" in query:
            text = query["query"].casefold()
            items = [
                {**mb_recording(mbid), "score": 100}
                for mbid, (title, _video) in MB_RECORDINGS.items()
                if f'recording:"{title.casefold()}"' in text
            ]
            return 200, {}, {"count": len(items), "offset": 0, "recordings": items}
        if path == "/artist":
            return 200, {}, {"count": 1, "offset": 0, "artists": [
                {"id": MB_ARTIST, "name": "Nightfall Choir", "score": 100}]}  # fmt: skip
        return 404, {}, {"error": "Not Found"}

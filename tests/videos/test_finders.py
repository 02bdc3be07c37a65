"""Source finders: the JSON search service through the private-address guard, and the
YouTube search's flat results as candidates."""

from __future__ import annotations

import pytest

from videos import ytdlp
from videos.finders import (
    SearchUrlFinder,
    YoutubeSearchFinder,
    active_finders,
    candidates_from_json,
)
from videos.scoring import Candidate, Wanted
from videos.services import ytdlp_config
from videos.ytdlp.searching import search_hits

WANTED = Wanted(artist="Björk", title="Army of Me")


@pytest.fixture
def config(settings):
    return ytdlp_config()


def test_the_search_service_answers_the_candidates_recorded_for_the_artist_and_title(
    media_server, config
):
    url = media_server.set_search(
        "Björk Army of Me",
        [
            {"url": "clips/360p.mp4", "title": "Björk - Army of Me", "channel": "björk",
             "duration": 3.0},
            {"url": "javascript:alert(1)", "title": "A hostile link"},
            {"url": "clips/360p.mp4?untitled", "title": "  "},
            {"url": "clips/720p.mp4", "title": "Army of Me (Live)", "duration": "n/a"},
        ],
    )  # fmt: skip
    found = SearchUrlFinder(url=url).find(WANTED, config=config)
    assert found == [
        Candidate(media_server.url("clips/360p.mp4"), "Björk - Army of Me", "björk", 3.0),
        Candidate(media_server.url("clips/720p.mp4"), "Army of Me (Live)", "", None),
    ]
    (path, status), *_ = media_server.requests_for("/search?")[-1:]
    assert status == 200
    assert "artist=Bj%C3%B6rk" in path and "title=Army+of+Me" in path


def test_terms_never_recorded_find_nothing(media_server, config):
    finder = SearchUrlFinder(url=media_server.url("search"))
    assert finder.find(Wanted(artist="Nobody", title="Nothing at all"), config=config) == []


def test_the_search_service_is_fetched_through_the_private_address_guard(internal_service, config):
    port = internal_service.server_address[1]
    finder = SearchUrlFinder(url=f"http://127.0.0.1:{port}/search")
    with pytest.raises(ytdlp.PermanentError, match="MVIDARR_ALLOWED_PRIVATE_HOSTS"):
        finder.find(WANTED, config=config)
    assert internal_service.hits == []


@pytest.mark.parametrize(
    ("path", "error", "words"),
    [
        ("status/503/search", ytdlp.TransientError, "answered HTTP 503; it will be tried again"),
        ("status/429/search", ytdlp.TransientError, "answered HTTP 429"),
        ("404/search", ytdlp.PermanentError, "answered HTTP 404; check MVIDARR_SEARCH_URL"),
        ("feed/2.xml", ytdlp.PermanentError, "did not answer JSON"),
        ("json/search", ytdlp.PermanentError, "did not answer with a list of results"),
    ],
)
def test_a_search_service_that_fails_says_whether_to_try_again(
    media_server, config, path, error, words
):
    with pytest.raises(error, match=words):
        SearchUrlFinder(url=media_server.url(path)).find(WANTED, config=config)


def test_a_results_object_is_read_like_a_list():
    document = {"results": [{"url": "https://v.test/a", "title": "A", "uploader": "Up"}]}
    assert candidates_from_json(document, url="https://s.test") == [
        Candidate("https://v.test/a", "A", "Up", None)
    ]


@pytest.mark.django_db  # the finders read the settings store (an IMVDb key adds IMVDb)
def test_the_search_service_replaces_youtube_when_it_is_set():
    assert active_finders(search_url="") == [YoutubeSearchFinder()]
    assert active_finders(search_url="https://s.test/q") == [
        SearchUrlFinder(url="https://s.test/q")
    ]


def test_a_flat_youtube_search_becomes_candidates_without_probing_any():
    # The shape yt-dlp gives for "ytsearch10:…" with extract_flat (recorded, shortened).
    info = {
        "_type": "playlist",
        "id": "Björk Army of Me",
        "entries": [
            {
                "_type": "url", "ie_key": "Youtube", "id": "sMyGQlvvV7A",
                "url": "https://www.youtube.com/watch?v=sMyGQlvvV7A",
                "title": "Björk - Army of Me (Official Music Video)",
                "channel": "björk", "uploader": "björk", "duration": 234.0,
            },
            {
                "_type": "url", "ie_key": "Youtube", "id": "x",
                "url": "https://www.youtube.com/watch?v=x", "title": "Army of Me",
                "uploader": "Björk - Topic", "duration": None,
            },
            {"_type": "url", "ie_key": "YoutubeTab", "url": "https://www.youtube.com/@bjork"},
            None,
        ],
    }  # fmt: skip
    assert search_hits(info) == [
        ytdlp.SearchHit(
            "https://www.youtube.com/watch?v=sMyGQlvvV7A",
            "Björk - Army of Me (Official Music Video)",
            "björk",
            234.0,
        ),
        ytdlp.SearchHit("https://www.youtube.com/watch?v=x", "Army of Me", "Björk - Topic", None),
    ]


def test_the_youtube_search_asks_yt_dlp_and_says_so_when_it_cannot_reach_youtube(config):
    # No network here: the search fails to connect, which is worth trying again later.
    with pytest.raises(ytdlp.TransientError, match="YouTube's search"):
        YoutubeSearchFinder(count=3).find(WANTED, config=config)

"""The IMVDb client against the fake IMVDb: searches, a videography of three pages, a video
with and without sources, 429 and 500, a wrong key; every call cached."""

from __future__ import annotations

import pytest

from preferences.selectors import setting_states
from tests.providers.fakes import IMVDB_KEY, YOUTUBE_OTHER, YOUTUBE_PRIMARY
from videos.providers.base import PermanentError, TransientError
from videos.providers.registry import provider_get

pytestmark = pytest.mark.django_db


@pytest.fixture
def imvdb(imvdb_server):
    return provider_get("imvdb")


def test_search_entities_sends_the_key_and_the_largest_page(imvdb, imvdb_server):
    page = imvdb.search_artists("nightfall")
    assert [(hit.id, hit.name) for hit in page.items] == [
        ("100", "Nightfall Choir"),
        ("200", "Nightfall Orchestra"),
    ]
    assert page.total_results == 2 and page.total_pages == 1
    (request,) = imvdb_server.received
    assert request.path == "/search/entities"
    assert request.query == {"q": "nightfall", "page": "1", "per_page": "50"}
    assert request.headers["imvdb-app-key"] == IMVDB_KEY


def test_search_videos_finds_by_artist_and_title(imvdb):
    page = imvdb.search_videos("nightfall lanterns")
    assert [(hit.id, hit.title, hit.artist, hit.year) for hit in page.items] == [
        ("1001", "Lanterns", "Nightfall Choir", 2019)
    ]


def test_a_videography_of_three_pages_is_read_to_the_end_each_video_once(imvdb, imvdb_server):
    videos = imvdb.artist_videos("100")
    assert [hit.id for hit in videos] == [str(n) for n in range(1001, 1008)]
    requests = [item for item in imvdb_server.received if item.path == "/entity/100"]
    assert [(item.query["include"], item.query["page"]) for item in requests] == [
        ("artist_videos", "1"),
        ("artist_videos", "2"),
        ("artist_videos", "3"),
    ]


def test_a_video_with_sources_has_its_metadata_and_the_primary_youtube_source_first(imvdb):
    video = imvdb.video("1001")
    assert (video.title, video.artist) == ("Lanterns", "Nightfall Choir")
    assert video.fields == {
        "provider_ids": {"imvdb": "1001", "youtube": YOUTUBE_PRIMARY},
        "year": 2019,
        "directors": ["Juno Park"],
        "featured_artists": ["Mira Vale"],
    }
    assert [source.site_id for source in video.sources] == [YOUTUBE_PRIMARY, YOUTUBE_OTHER]
    assert video.primary_source.url == f"https://www.youtube.com/watch?v={YOUTUBE_PRIMARY}"
    assert video.primary_source.is_primary
    assert video.artwork["o"].endswith("1001-o.jpg") and set(video.artwork) == set("olbts")
    assert video.extra == {"is_imvdb_pick": True}


def test_a_video_without_sources_has_none_and_its_version_name(imvdb):
    assert imvdb.video("1002").sources == []
    assert imvdb.video("1003").fields["version_name"] == "Director's Cut"


def test_every_call_is_cached_for_every_process(imvdb, imvdb_server):
    imvdb.video("1001")
    again = provider_get("imvdb").video("1001")
    assert again.title == "Lanterns"
    assert imvdb_server.paths("/video/") == ["/video/1001"]


def test_a_500_once_is_tried_again_and_answers(imvdb, imvdb_server):
    imvdb_server.fail_next(500)
    assert imvdb.video("1002").title == "Paper Moons"
    assert imvdb_server.paths("/video/") == ["/video/1002", "/video/1002"]


def test_a_429_waits_for_retry_after_then_answers(imvdb, imvdb_server):
    imvdb_server.fail_next(429, retry_after=0.3)
    assert imvdb.video("1002").title == "Paper Moons"
    first, second = imvdb_server.received
    assert second.at - first.at >= 0.3


def test_a_429_asking_for_a_long_wait_is_left_to_the_job(imvdb, imvdb_server):
    imvdb_server.fail_next(429, retry_after=120)
    with pytest.raises(TransientError) as caught:
        imvdb.video("1002")
    assert caught.value.rate_limited and caught.value.retry_after == 120
    assert "IMVDb is limiting requests (HTTP 429)" in caught.value.message
    assert len(imvdb_server.received) == 1


def test_a_wrong_key_is_a_sentence_saying_what_to_check(imvdb_server, monkeypatch):
    monkeypatch.setenv("IMVDB_API_KEY", "a-wrong-secret-key")
    with pytest.raises(PermanentError) as caught:
        provider_get("imvdb").video("1001")
    message = caught.value.message
    assert message.startswith("IMVDb refused the request (HTTP 403): the API key is missing")
    assert "IMVDB_API_KEY" in message and "a-wrong-secret-key" not in message


def test_no_key_is_refused_before_any_request(imvdb_server, monkeypatch):
    monkeypatch.delenv("IMVDB_API_KEY")
    with pytest.raises(PermanentError, match="No IMVDb API key is set"):
        provider_get("imvdb")
    assert imvdb_server.received == []


def test_an_unknown_video_is_gone(imvdb):
    with pytest.raises(PermanentError) as caught:
        imvdb.video("999")
    assert caught.value.gone


def test_the_key_is_never_shown_by_the_settings_store(imvdb_server):
    state = next(item for item in setting_states() if item.spec.key == "providers.imvdb.api_key")
    assert state.spec.secret
    assert IMVDB_KEY not in str(state.shown) and IMVDB_KEY not in state.shown_text

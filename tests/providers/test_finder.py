"""IMVDb as a source finder: a video whose IMVDb id is known gets IMVDb's primary YouTube
source as its first candidate."""

from __future__ import annotations

import pytest

from tests.providers.fakes import YOUTUBE_PRIMARY
from videos.finders import ImvdbFinder, active_finders
from videos.scoring import Candidate, Wanted, rank
from videos.services import ytdlp_config

pytestmark = pytest.mark.django_db
WANTED = Wanted(artist="Nightfall Choir", title="Lanterns", imvdb_id="1001")


def test_imvdb_is_asked_first_when_a_key_is_set(imvdb_server):
    finders = active_finders(search_url="http://127.0.0.1:1/search")
    assert [finder.name for finder in finders] == ["imvdb", "search_url"]


def test_without_a_key_imvdb_is_not_asked(settings, monkeypatch):
    monkeypatch.delenv("IMVDB_API_KEY", raising=False)
    assert [finder.name for finder in active_finders()] == ["youtube"]


def test_the_primary_source_is_the_first_candidate_even_against_a_closer_title(imvdb_server):
    found = ImvdbFinder().find(WANTED, config=ytdlp_config())
    assert found[0].url == f"https://www.youtube.com/watch?v={YOUTUBE_PRIMARY}"
    closer = Candidate(
        url="https://example.org/x", title="Nightfall Choir - Lanterns", channel="Nightfall Choir"
    )
    ranked = rank([closer, *found], WANTED)
    assert ranked[0].candidate.url == found[0].url
    assert ranked[0].score == 1.0
    assert "IMVDb names this as the video's own source." in ranked[0].reasons


def test_a_video_without_an_imvdb_id_asks_imvdb_nothing(imvdb_server):
    wanted = Wanted(artist="Nightfall Choir", title="Lanterns")
    assert ImvdbFinder().find(wanted, config=ytdlp_config()) == []
    assert imvdb_server.received == []

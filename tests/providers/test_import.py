"""Adding an artist from IMVDb: the whole videography (three pages at IMVDb, several
messages here) becomes exactly its videos, once, with their metadata and sources."""

from __future__ import annotations

import pytest

from jobs.history import Event
from jobs.models import HistoryEvent, Job
from jobs.services.providers import artist_import_submit
from jobs.worker import artist_import
from jobs.worker.artist_import import run_artist_import
from tests.providers.fakes import MB_ARTIST, YOUTUBE_PRIMARY
from videos.models import Artist, Video

# An import also asks MusicBrainz for the artist's id: the fake, never musicbrainz.org.
pytestmark = pytest.mark.usefixtures("musicbrainz_server")


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(artist_import, "IMPORT_PAGE", 3)


def _import(run_job, user, artist_id="100"):
    job = artist_import_submit(provider="imvdb", provider_id=artist_id, user=user)
    return run_job(job, run_artist_import)


def test_a_videography_of_three_pages_becomes_exactly_its_videos_once(
    imvdb_server, run_job, boss, small_pages
):
    job = _import(run_job, boss)
    assert job.status == Job.Status.COMPLETED, job.error
    assert job.message == ("Nightfall Choir: 7 videos at IMVDb, 7 added, 0 already in the library")
    artist = Artist.objects.get()
    assert artist.name == "Nightfall Choir"
    assert artist.provider_ids == {"imvdb": "100", "musicbrainz": MB_ARTIST}  # by its name
    videos = {video.provider_ids["imvdb"]: video for video in Video.objects.all()}
    assert sorted(videos) == [str(n) for n in range(1001, 1008)]
    lanterns = videos["1001"]
    assert lanterns.source_url == f"https://www.youtube.com/watch?v={YOUTUBE_PRIMARY}"
    assert lanterns.status == Video.Status.WANTED
    assert (lanterns.year, lanterns.directors, lanterns.featured_artists) == (
        2019,
        ["Juno Park"],
        ["Mira Vale"],
    )
    assert lanterns.field_sources["year"] == "provider:imvdb"
    assert lanterns.field_sources["title"] == "provider:imvdb"
    assert videos["1002"].status == Video.Status.NEEDS_SOURCE
    assert videos["1002"].source_url == ""
    assert videos["1003"].version_name == "Director's Cut"
    assert HistoryEvent.objects.filter(event=Event.ADDED, job=job).count() == 7


def test_running_the_import_twice_adds_nothing(imvdb_server, run_job, boss, small_pages):
    _import(run_job, boss)
    again = _import(run_job, boss)
    assert again.status == Job.Status.COMPLETED
    assert again.message.endswith("0 added, 7 already in the library")
    assert Video.objects.count() == 7 and Artist.objects.count() == 1


def test_a_video_already_in_the_library_by_its_source_is_not_added_again(
    imvdb_server, run_job, boss
):
    Video.objects.create(source_url=f"https://www.youtube.com/watch?v={YOUTUBE_PRIMARY}")
    _import(run_job, boss)
    assert Video.objects.count() == 7
    kept = Video.objects.get(source_url=f"https://www.youtube.com/watch?v={YOUTUBE_PRIMARY}")
    assert kept.provider_ids["imvdb"] == "1001" and kept.year == 2019


def test_a_wrong_key_fails_the_job_with_a_sentence_and_adds_nothing(
    imvdb_server, run_job, boss, monkeypatch
):
    monkeypatch.setenv("IMVDB_API_KEY", "wrong")
    job = _import(run_job, boss)
    assert job.status == Job.Status.FAILED
    assert "the API key is missing or wrong" in job.error
    assert not Video.objects.exists() and not Artist.objects.exists()


def test_an_unknown_artist_fails_the_job(imvdb_server, run_job, boss):
    job = _import(run_job, boss, artist_id="999")
    assert job.status == Job.Status.FAILED
    assert job.error == "IMVDb has no such entry (HTTP 404)."

"""Enrichment: the providers fill the fields a person has not set; a field set by hand
survives; an outage changes nothing and says why on the job."""

from __future__ import annotations

import pytest

from jobs.history import Event
from jobs.models import HistoryEvent, Job
from jobs.services.providers import metadata_refresh_submit
from jobs.worker import metadata
from jobs.worker.metadata import run_metadata_refresh
from tests.providers.fakes import USER_AGENT
from videos.models import Video


@pytest.fixture
def lanterns(make_artist):
    return Video.objects.create(
        source_url="https://example.com/lanterns",
        title="Lanterns",
        artist=make_artist("Nightfall Choir"),
        provider_ids={"imvdb": "1001"},
        directors=["Someone I Trust"],
        field_sources={"directors": "user"},
    )


def test_providers_fill_what_nobody_set_and_a_field_set_by_hand_survives(
    imvdb_server, musicbrainz_server, run_job, boss, lanterns
):
    job = run_job(metadata_refresh_submit(user=boss, video=lanterns), run_metadata_refresh)
    assert job.status == Job.Status.COMPLETED, job.error
    lanterns.refresh_from_db()
    assert lanterns.directors == ["Someone I Trust"]
    assert lanterns.field_sources["directors"] == "user"
    assert (lanterns.year, lanterns.featured_artists) == (2019, ["Mira Vale"])
    assert lanterns.field_sources["year"] == "provider:imvdb"
    assert (lanterns.album, lanterns.genres) == ("Harbour Songs", ["indie pop", "dream pop"])
    assert lanterns.field_sources["album"] == "provider:musicbrainz"
    assert lanterns.provider_ids["musicbrainz"] == "11111111-1111-4111-8111-111111111111"
    (row,) = HistoryEvent.objects.filter(event=Event.METADATA_CHANGED)
    assert row.video_id == lanterns.pk and row.data["providers"] == ["imvdb", "musicbrainz"]
    assert row.data["changes"]["year"] == {"from": None, "to": 2019}
    assert "directors" not in row.data["changes"]
    assert all(USER_AGENT.match(item.headers["user-agent"]) for item in musicbrainz_server.received)


def test_a_second_refresh_changes_nothing_and_records_nothing(
    imvdb_server, musicbrainz_server, run_job, boss, lanterns
):
    run_job(metadata_refresh_submit(user=boss, video=lanterns), run_metadata_refresh)
    again = run_job(metadata_refresh_submit(user=boss, video=lanterns), run_metadata_refresh)
    assert again.message == "1 videos checked, 0 changed"
    assert HistoryEvent.objects.filter(event=Event.METADATA_CHANGED).count() == 1


def test_a_provider_outage_leaves_the_library_as_it_was_with_the_reason_on_the_job(
    imvdb_server, musicbrainz_server, run_job, boss, lanterns, settings
):
    settings.JOB_MAX_ATTEMPTS = 1
    musicbrainz_server.fail_next(503, times=20)
    before = Video.objects.filter(pk=lanterns.pk).values().get()
    job = run_job(metadata_refresh_submit(user=boss, video=lanterns), run_metadata_refresh)
    assert job.status == Job.Status.FAILED
    assert "MusicBrainz had an error (HTTP 503)" in job.error
    assert "Nothing was changed." in job.error
    assert Video.objects.filter(pk=lanterns.pk).values().get() == before
    assert not HistoryEvent.objects.filter(event=Event.METADATA_CHANGED).exists()


def test_an_artist_refresh_goes_page_by_page_and_finds_videos_by_artist_and_title(
    musicbrainz_server, run_job, boss, make_artist, monkeypatch
):
    monkeypatch.delenv("IMVDB_API_KEY", raising=False)
    monkeypatch.setattr(metadata, "REFRESH_PAGE", 1)
    artist = make_artist("Nightfall Choir")
    for title in ("Lanterns", "Paper Moons", "Unknown Song"):
        Video.objects.create(source_url=f"https://example.com/{title}", title=title, artist=artist)
    job = run_job(metadata_refresh_submit(user=boss, artist=artist), run_metadata_refresh)
    assert job.status == Job.Status.COMPLETED, job.error
    assert job.message == "3 videos checked, 2 changed"
    albums = dict(Video.objects.values_list("title", "album"))
    assert albums == {"Lanterns": "Harbour Songs", "Paper Moons": "Harbour Songs",
                      "Unknown Song": ""}  # fmt: skip

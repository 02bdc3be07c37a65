"""Enrichment after an addition: once a video added by hand is looked up, or an index or an
import adds videos, the providers fill their metadata — one job for a whole batch, never in
a request — when ``providers.refresh_after_probe`` is on (the default; the tests' conftest
turns it off for every other test)."""

from __future__ import annotations

import pytest

from jobs import kinds
from jobs.models import Job
from jobs.services import probe_submit
from jobs.services.sources import source_index_submit
from jobs.services.videos import video_add_and_probe
from jobs.worker import metadata
from jobs.worker.index import run_index
from jobs.worker.metadata import run_metadata_refresh
from jobs.worker.probe import run_probe
from videos.models import Video


@pytest.fixture
def refresh_on(monkeypatch, musicbrainz_server):
    """The setting on, with MusicBrainz (the fake) the only provider."""
    monkeypatch.setenv("MVIDARR_PROVIDERS_REFRESH_AFTER_PROBE", "true")
    monkeypatch.delenv("IMVDB_API_KEY", raising=False)
    return musicbrainz_server


def refreshes() -> list[Job]:
    return list(Job.objects.filter(kind=kinds.METADATA_REFRESH).order_by("pk"))


def test_a_video_added_by_hand_is_refreshed_once_its_probe_completes(
    refresh_on, context, run_job, alice, media_server
):
    video, probe = video_add_and_probe(
        url=media_server.url("page/con"),
        user=alice,
        title="Lanterns",
        artist_name="Nightfall Choir",
    )
    assert refreshes() == []  # nothing asks a provider before the probe, nor in the request
    run_probe(probe.pk, context=context)
    (refresh,) = refreshes()
    assert refresh.options["scope"] == "video" and refresh.video_id == video.pk
    assert refresh.origin == Job.Origin.SYSTEM
    refresh = run_job(refresh, run_metadata_refresh)
    assert refresh.status == Job.Status.COMPLETED, refresh.error
    video.refresh_from_db()
    assert (video.album, video.genres) == ("Harbour Songs", ["indie pop", "dream pop"])
    assert video.field_sources["album"] == "provider:musicbrainz"


def test_with_the_setting_off_a_probe_starts_no_refresh(
    refresh_on, monkeypatch, context, alice, media_server
):
    monkeypatch.setenv("MVIDARR_PROVIDERS_REFRESH_AFTER_PROBE", "false")
    _video, probe = video_add_and_probe(url=media_server.url("page/con"), user=alice)
    run_probe(probe.pk, context=context)
    assert Job.objects.get(pk=probe.pk).status == Job.Status.COMPLETED
    assert refreshes() == []
    assert refresh_on.received == []


def test_a_failed_probe_starts_no_refresh(refresh_on, context, alice, media_server):
    _video, probe = video_add_and_probe(url=media_server.url("404/nothing.html"), user=alice)
    run_probe(probe.pk, context=context)
    assert Job.objects.get(pk=probe.pk).status == Job.Status.FAILED
    assert refreshes() == []


def test_an_index_gets_one_paged_refresh_once_its_last_probe_ends(
    refresh_on, context, run_job, request, media_server, make_source, monkeypatch
):
    monkeypatch.setattr(metadata, "REFRESH_PAGE", 2)
    channel = media_server.channel(request.node.name[:60])
    for title in ("Lanterns", "Paper Moons", "Unknown Song"):
        channel.add(title=title)
    source = make_source(channel.url, artist="Nightfall Choir")
    index = source_index_submit(source=source, user=None, origin=Job.Origin.SCHEDULE)
    run_job(index, run_index)
    probes = list(Job.objects.filter(kind=kinds.METADATA_PROBE, options__index=index.pk))
    assert len(probes) == 3
    for probe in probes[:-1]:
        run_probe(probe.pk, context=context)
        assert refreshes() == []  # not while a probe of the batch is still to come
    run_probe(probes[-1].pk, context=context)
    (refresh,) = refreshes()
    assert refresh.options["scope"] == "added" and refresh.options["target"] == index.pk
    # A probe that ends again (a duplicate message) starts no second one.
    run_probe(probes[-1].pk, context=context)
    assert len(refreshes()) == 1
    refresh = run_job(refresh, run_metadata_refresh)
    assert refresh.status == Job.Status.COMPLETED, refresh.error
    assert refresh.message.startswith("3 videos checked")
    albums = dict(Video.objects.filter(indexed_from=source).values_list("title", "album"))
    assert albums == {"Lanterns": "Harbour Songs", "Paper Moons": "Harbour Songs",
                      "Unknown Song": ""}  # fmt: skip


def test_a_url_import_gets_one_refresh_of_the_videos_it_added(
    refresh_on, context, run_job, alice, media_server
):
    probe = probe_submit(user=alice, url=media_server.url("feed/4.xml"))
    run_probe(probe.pk, context=context)
    (refresh,) = refreshes()
    assert refresh.options["scope"] == "added" and refresh.options["target"] == probe.pk
    refresh = run_job(refresh, run_metadata_refresh)
    assert refresh.status == Job.Status.COMPLETED, refresh.error
    assert refresh.message.startswith("4 videos checked")

"""Adding one video from IMVDb (``video_import``): its metadata and primary source, once;
an outage retries, a refusal fails with IMVDb's sentence; the job names and links it."""

from __future__ import annotations

import pytest

from jobs.models import Job
from jobs.serializers import JobSerializer
from jobs.services.providers import ProviderJobRunning, video_import_submit
from jobs.worker.video_import import run_video_import
from mvidarr import errors
from videos.models import Video


def test_a_video_is_added_to_the_artist_imvdb_names(imvdb_server, run_job, boss):
    job = run_job(
        video_import_submit(provider="imvdb", provider_id="1003", user=boss), run_video_import
    )
    assert job.status == Job.Status.COMPLETED, job.error
    video = Video.objects.get()
    assert (video.title, video.artist.name, video.version_name) == (
        "Glass Harbour", "Nightfall Choir", "Director's Cut",
    )  # fmt: skip
    assert job.video_id == video.pk and job.options["created"] is True
    shown = JobSerializer(job).data
    assert shown["link"] == f"/videos/{video.pk}/" and shown["title"] == "Glass Harbour"


def test_a_queued_job_is_titled_by_what_it_adds(boss):
    job = video_import_submit(provider="imvdb", provider_id="1001", user=boss)
    assert JobSerializer(job).data["title"] == "IMVDb video 1001"


def test_an_outage_retries_and_nothing_is_added(imvdb_server, context, boss):
    imvdb_server.fail_next(500, times=20)
    job = video_import_submit(provider="imvdb", provider_id="1001", user=boss)
    run_video_import(job.pk, context=context)
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.attempts == 1
    assert not Video.objects.exists()


def test_a_refused_key_fails_with_imvdbs_sentence(imvdb_server, run_job, boss, monkeypatch):
    monkeypatch.setenv("IMVDB_API_KEY", "wrong")
    job = run_job(
        video_import_submit(provider="imvdb", provider_id="1001", user=boss), run_video_import
    )
    assert job.status == Job.Status.FAILED
    assert "the API key is missing or wrong" in job.error
    assert not Video.objects.exists()


def test_an_unknown_video_fails_with_a_sentence(imvdb_server, run_job, boss):
    job = run_job(
        video_import_submit(provider="imvdb", provider_id="999", user=boss), run_video_import
    )
    assert job.status == Job.Status.FAILED and "IMVDb has no such entry" in job.error
    assert not Video.objects.exists()


@pytest.mark.parametrize("bad", ["", "abc", True, None])
def test_a_bad_id_is_refused(db, boss, bad):
    with pytest.raises(errors.Invalid, match="Give the video's IMVDb id"):
        video_import_submit(provider="imvdb", provider_id=bad, user=boss)


def test_the_same_video_is_not_added_twice_at_once(db, boss):
    video_import_submit(provider="imvdb", provider_id="1001", user=boss)
    with pytest.raises(ProviderJobRunning, match="Adding this video is already queued"):
        video_import_submit(provider="imvdb", provider_id="1001", user=boss)

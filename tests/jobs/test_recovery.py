"""Recovering jobs whose worker died: requeued when attempts remain, failed when not."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.models import Job
from jobs.progress import DirectPublisher
from jobs.worker import backoff_seconds, incoming_dir, recover_stale_jobs
from videos.models import Video


@pytest.fixture
def stale_job(transactional_db, alice, fast_jobs):
    def make(**fields) -> Job:
        video = Video.objects.create(source_url="http://127.0.0.1:9/v.mp4", status="downloading")
        long_ago = timezone.now() - timedelta(minutes=10)
        job = Job.objects.create(
            kind="video_download",
            video=video,
            user=alice,
            status="processing",
            started_at=long_ago,
            heartbeat_at=long_ago,
            **{"attempts": 1, **fields},
        )
        incoming_dir(job.pk).mkdir(parents=True)
        (incoming_dir(job.pk) / "media.mp4.part").write_bytes(b"partial")
        return job

    return make


def test_a_stale_job_is_requeued_and_its_partial_files_removed(stale_job, redis_client):
    job = stale_job()
    assert recover_stale_jobs(publisher=DirectPublisher(), stale_after=60) == [job.pk]
    job.refresh_from_db()
    assert job.status == "queued"
    assert job.video.status == "queued"
    assert not incoming_dir(job.pk).exists()
    assert redis_client.llen("mvidarr:interactive") == 1  # a new message was sent


def test_a_stale_job_with_no_attempts_left_fails_with_the_reason(stale_job):
    job = stale_job(attempts=3)
    recover_stale_jobs(publisher=DirectPublisher(), stale_after=60)
    job.refresh_from_db()
    assert job.status == "failed"
    assert "worker running this job stopped" in job.error
    assert job.video.status == "failed"


def test_a_stale_job_that_was_being_cancelled_ends_cancelled(stale_job):
    job = stale_job(cancel_requested=True)
    recover_stale_jobs(publisher=DirectPublisher(), stale_after=60)
    job.refresh_from_db()
    assert job.status == "cancelled"


def test_a_job_with_a_fresh_heartbeat_is_left_alone(stale_job):
    job = stale_job()
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    assert recover_stale_jobs(publisher=DirectPublisher(), stale_after=60) == []
    job.refresh_from_db()
    assert job.status == "processing"
    assert incoming_dir(job.pk).exists()


def test_backoff_grows_exponentially_and_is_capped(settings):
    settings.JOB_BACKOFF_BASE_SECONDS = 2
    settings.JOB_BACKOFF_MAX_SECONDS = 30
    for attempt, ceiling in [(1, 2), (2, 4), (3, 8), (4, 16), (5, 30), (9, 30)]:
        waits = [backoff_seconds(attempt) for _ in range(50)]
        assert all(ceiling / 2 <= w <= ceiling for w in waits)

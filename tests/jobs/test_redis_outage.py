"""A Redis restart while downloads run: nothing is lost, the database stays the truth.

Each test runs on a Redis server of its own (the ``own_redis`` fixture), which it stops and
starts again on the same port; the server keeps nothing on disk, so a restart loses every
key and message.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from jobs.housekeeping import resend_lost_jobs
from jobs.models import Job
from jobs.monitor import JobMonitor
from jobs.ops_selectors import job_ids_with_messages
from jobs.services import download_submit
from jobs.services.queueing import send_job_on_commit
from jobs.worker import run_download
from tests.fixtures import running_worker
from tests.jobs.conftest import wait_for_job
from tests.jobs.test_worker_processes import wait_until_downloading
from tests.support import wait_until

Status = Job.Status


@pytest.fixture
def outage_worker(own_redis, transactional_db, fast_jobs):
    """An in-process worker on the test's own Redis; stopped before that Redis is."""
    with running_worker(threads=4) as started:
        yield started


def test_a_download_goes_on_through_a_redis_restart_and_ends_with_its_file(
    own_redis, outage_worker, alice, make_video, library_root, caplog
):
    video = make_video(clip="slow/60000/clips/720p.mp4", title="Through", source_id="through")
    job, _ = download_submit(video=video, user=alice)
    wait_until_downloading(job, library_root)

    own_redis.stop()
    # Progress pushes and cancel checks are skipped, but the download goes on: the worker's
    # monitor keeps writing its progress to the row.
    before = job.progress

    def progressed() -> bool:
        job.refresh_from_db()
        return job.progress > before

    wait_until(progressed, timeout=30, message="the download stopped while Redis was down")
    assert job.status == Status.PROCESSING
    own_redis.start()

    job = wait_for_job(job, timeout=90)
    assert job.status == Status.COMPLETED, job.error
    video.refresh_from_db()
    assert (library_root / video.file.path).is_file()
    assert not (library_root / ".incoming" / str(job.pk)).exists()

    # Once per outage, not once per skipped progress report or cancel check.
    def outage_lines() -> list[str]:
        said = [r.getMessage() for r in caplog.records if r.name == "mvidarr.redis_outage"]
        return [line.split(" (")[0].split(";")[0] for line in said]

    wait_until(lambda: len(outage_lines()) >= 2, timeout=15, message=str(outage_lines()))
    assert outage_lines() == ["Redis is unreachable", "Redis is reachable again"]

    # The worker takes new work from the restarted Redis.
    after = make_video(clip="clips/240p.mp4", title="After", source_id="after")
    second, _ = download_submit(video=after, user=alice)
    assert wait_for_job(second, timeout=60).status == Status.COMPLETED


def test_a_download_that_finishes_while_redis_is_down_is_written_as_completed(
    own_redis, outage_worker, alice, make_video, library_root
):
    video = make_video(clip="slow/200000/clips/360p.mp4", title="Unseen", source_id="unseen")
    job, _ = download_submit(video=video, user=alice)
    wait_until_downloading(job, library_root)

    own_redis.stop()
    job = wait_for_job(job, timeout=60)
    assert job.status == Status.COMPLETED, job.error
    assert job.progress == 100
    video.refresh_from_db()
    assert (library_root / video.file.path).is_file()
    own_redis.start()  # the worker acknowledges the message once Redis is back


def test_a_retry_that_could_not_be_sent_is_sent_when_redis_is_back(
    own_redis, context, alice, make_video
):
    video = make_video(clip="fail/1000/outage-retry/clips/360p.mp4", title="Flaky")
    job = Job.objects.create(kind=Job.Kind.VIDEO_DOWNLOAD, video=video, user=alice)

    own_redis.stop()
    run_download(job.pk, context=context)  # a transient fault: back to the queue for a retry
    job.refresh_from_db()
    assert job.status == Status.QUEUED, job.error
    assert job.attempts == 1
    assert job.pk in context.unsent

    own_redis.start()
    assert JobMonitor(context).send_unsent() == [job.pk]
    assert job.pk in job_ids_with_messages()
    assert not context.unsent


def test_a_job_whose_message_could_not_be_sent_after_commit_is_re_sent_by_housekeeping(
    own_redis, transactional_db, alice, make_video
):
    video = make_video(title="Later")
    own_redis.stop()
    with transaction.atomic():
        job = Job.objects.create(kind=Job.Kind.VIDEO_DOWNLOAD, video=video, user=alice)
        send_job_on_commit(job)  # fails after the commit, without failing the caller
    job.refresh_from_db()
    assert job.status == Status.QUEUED

    own_redis.start()
    assert job.pk not in job_ids_with_messages()
    assert resend_lost_jobs(grace_seconds=0) == [job.pk]
    assert job.pk in job_ids_with_messages()

"""The state machine (jobs.transitions): each change happens once, from the states that allow
it, moves the video by the one rule, and is pushed to the pages only once it commits."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from jobs import live
from jobs.models import Job
from jobs.transitions import (
    bulk_count_move,
    job_cancel_queued,
    job_claim,
    job_finish,
    job_request_cancel,
    job_requeue,
    job_requeue_finished,
    video_status_refresh,
)
from tests.jobs.test_progress import GroupListener
from tests.support import wait_until
from videos.models import Video, VideoFile

Status = Job.Status
_numbers = itertools.count(1)


def _video(**fields) -> Video:
    return Video.objects.create(source_url=f"https://example.com/v/{next(_numbers)}", **fields)


def _job(status: str, *, video: Video | None = None, kind=Job.Kind.VIDEO_DOWNLOAD, **fields):
    if video is None and kind == Job.Kind.VIDEO_DOWNLOAD:
        video = _video()
    now = timezone.now()
    if status != Status.QUEUED:
        fields.setdefault("started_at", now)
        fields.setdefault("attempts", 1)
    if status in Job.FINISHED_STATUSES:
        fields.setdefault("finished_at", now)
    job = Job.objects.create(kind=kind, status=status, video=video, **fields)
    if job.parent_id is not None:  # its bulk job counts it, as the transitions would
        bulk_count_move(parent_id=job.parent_id, old=None, new=status)
    return job


def _seq(job: Job) -> int:
    """How many times the job was pushed to the pages (publish_job bumps it in Redis)."""
    return live.read_live([job.pk])[job.pk]["seq"]


def _race(*calls: Callable[[], object]) -> list[object]:
    """Run the calls in threads that all start together (each on its own connection)."""
    start = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            start.wait(10)
            results[index] = call()
        except BaseException as exc:  # reported in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return results


# --- each transition happens once ------------------------------------------------------------
def test_two_workers_claiming_one_job_one_gets_it_and_it_counts_one_attempt(transactional_db):
    job = _job(Status.QUEUED)
    results = _race(
        lambda: job_claim(job_id=job.pk, worker_id="first"),
        lambda: job_claim(job_id=job.pk, worker_id="second"),
    )
    winners = [result for result in results if result is not None]
    assert len(winners) == 1
    job.refresh_from_db()
    assert (job.status, job.attempts, job.worker) == ("processing", 1, winners[0].worker)
    assert _seq(job) == 1


@pytest.mark.parametrize("first, second", [("completed", "failed"), ("cancelled", "completed")])
def test_a_running_job_is_finished_once_when_two_callers_race(transactional_db, first, second):
    job = _job(Status.PROCESSING)
    results = _race(
        lambda: job_finish(job=Job.objects.get(pk=job.pk), status=first, message=first),
        lambda: job_finish(job=Job.objects.get(pk=job.pk), status=second, message=second),
    )
    assert sorted(results) == [False, True]
    job.refresh_from_db()
    assert job.status == (first if results[0] else second)
    assert job.message == job.status
    assert _seq(job) == 1


def test_a_running_job_is_requeued_once_when_its_retry_and_recovery_race(transactional_db):
    job = _job(Status.PROCESSING, attempts=2)
    results = _race(
        lambda: job_requeue(job=Job.objects.get(pk=job.pk), message="Retrying", error="slow"),
        lambda: job_requeue(job=Job.objects.get(pk=job.pk), message="Re-queued"),
    )
    assert sorted(results) == [False, True]
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("queued", 2)
    assert _seq(job) == 1


def test_a_failed_job_retried_twice_at_once_is_queued_once(transactional_db):
    job = _job(Status.FAILED, attempts=3, error="gone")
    results = _race(
        lambda: job_requeue_finished(job=Job.objects.get(pk=job.pk)),
        lambda: job_requeue_finished(job=Job.objects.get(pk=job.pk)),
    )
    assert sorted(results) == [False, True]
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == ("queued", 0, "")
    assert _seq(job) == 1


def test_a_queued_job_cancelled_twice_at_once_is_cancelled_once(transactional_db):
    job = _job(Status.QUEUED)
    results = _race(
        lambda: job_request_cancel(job=Job.objects.get(pk=job.pk)),
        lambda: job_request_cancel(job=Job.objects.get(pk=job.pk)),
    )
    assert sorted(results) == [False, True]
    assert Job.objects.get(pk=job.pk).status == "cancelled"
    assert _seq(job) == 1


def test_a_cancel_and_a_claim_racing_on_a_queued_job_do_not_both_happen(transactional_db):
    job = _job(Status.QUEUED)
    cancelled, claimed = _race(
        lambda: job_cancel_queued(job=Job.objects.get(pk=job.pk)),
        lambda: job_claim(job_id=job.pk, worker_id="w"),
    )
    assert cancelled != (claimed is not None)
    job.refresh_from_db()
    assert job.status == ("cancelled" if cancelled else "processing")
    assert job.attempts == (0 if cancelled else 1)


def test_a_second_caller_with_the_same_stale_view_changes_nothing(transactional_db):
    # Both read the job while it was queued; the update checks the row, not the caller's view.
    job = _job(Status.QUEUED)
    first_view, second_view = Job.objects.get(pk=job.pk), Job.objects.get(pk=job.pk)
    assert job_cancel_queued(job=first_view)
    before = model_to_dict(Job.objects.get(pk=job.pk))
    assert not job_cancel_queued(job=second_view, message="Cancelled again")
    assert model_to_dict(Job.objects.get(pk=job.pk)) == before


def test_two_items_finishing_together_close_their_bulk_job(transactional_db):
    parent = _job(Status.PROCESSING, kind=Job.Kind.BULK_VIDEO_DOWNLOAD)
    items = [_job(Status.PROCESSING, parent=parent) for _ in range(2)]
    results = _race(
        *(
            lambda item=item: job_finish(job=item, status="completed", message="Done")
            for item in items
        )
    )
    assert results == [True, True]
    parent.refresh_from_db()
    assert (parent.status, parent.message) == ("completed", "All 2 downloaded")


# --- what is not allowed changes nothing -----------------------------------------------------
NOT_ALLOWED = [
    *((status, "claim") for status in ("processing", "completed", "failed", "cancelled")),
    *((status, "finish") for status in ("queued", "completed", "failed", "cancelled")),
    *((status, "requeue") for status in ("queued", "completed", "failed", "cancelled")),
    *((status, "requeue_finished") for status in ("queued", "processing", "completed")),
    *((status, "cancel_queued") for status in ("processing", "completed", "failed", "cancelled")),
    *((status, "request_cancel") for status in ("completed", "failed", "cancelled")),
]

TRANSITIONS = {
    "claim": lambda job: job_claim(job_id=job.pk, worker_id="w"),
    "finish": lambda job: job_finish(job=job, status="completed", message="Done"),
    "requeue": lambda job: job_requeue(job=job, message="Retrying"),
    "requeue_finished": lambda job: job_requeue_finished(job=job),
    "cancel_queued": lambda job: job_cancel_queued(job=job),
    "request_cancel": lambda job: job_request_cancel(job=job),
}


@pytest.mark.parametrize("status, transition", NOT_ALLOWED)
def test_a_transition_from_a_state_that_does_not_allow_it_changes_nothing(
    transactional_db, status, transition
):
    job = _job(status, video=_video(status=Video.Status.IGNORED))
    before = model_to_dict(job)
    assert not TRANSITIONS[transition](job)
    assert model_to_dict(Job.objects.get(pk=job.pk)) == before
    assert Video.objects.get(pk=job.video_id).status == "ignored"  # not even refreshed
    assert _seq(job) == 0


def test_finishing_as_anything_but_a_final_state_is_a_programming_error(db):
    with pytest.raises(ValueError):
        job_finish(job=_job(Status.PROCESSING), status="queued", message="?")


# --- the video's status: one rule over its downloads and its file ----------------------------
@pytest.mark.parametrize(
    "downloads, has_file, expected",
    [
        ([], False, "wanted"),
        ([], True, "downloaded"),
        (["queued"], False, "queued"),
        (["queued"], True, "downloaded"),  # a forced re-download waits: the file is there
        (["processing"], False, "downloading"),
        (["processing"], True, "downloading"),  # a forced re-download runs: shown as such
        (["completed"], True, "downloaded"),
        (["completed"], False, "wanted"),  # its file is gone
        (["failed"], False, "failed"),
        (["failed"], True, "downloaded"),  # a failed re-download keeps the file
        (["cancelled"], False, "wanted"),
        (["cancelled", "failed"], False, "failed"),  # the last to finish decides
        (["failed", "cancelled"], False, "wanted"),
        (["failed", "queued"], False, "queued"),
        (["failed", "processing"], False, "downloading"),
    ],
)
def test_a_videos_status_follows_from_its_downloads_and_its_file(db, downloads, has_file, expected):
    # Start from a status the rule never gives: whatever it was, the rule decides.
    video = _video(status=Video.Status.IGNORED)
    if has_file:
        VideoFile.objects.create(video=video, path="A/a.mp4", size=5)
    finished_at = timezone.now() - timedelta(hours=1)
    for status in downloads:
        finished_at += timedelta(minutes=1)
        _job(
            status,
            video=video,
            finished_at=finished_at if status in Job.FINISHED_STATUSES else None,
        )
    assert video_status_refresh(video=video) == expected
    assert Video.objects.get(pk=video.pk).status == expected


def test_a_probe_does_not_move_the_videos_status(db):
    video = _video()
    _job(Status.PROCESSING, video=video, kind=Job.Kind.METADATA_PROBE)
    _job(Status.FAILED, video=video, kind=Job.Kind.METADATA_PROBE)
    assert video_status_refresh(video=video) == "wanted"


@pytest.mark.parametrize(
    "start, transition, expected",
    [
        ("queued", "claim", "downloading"),
        ("processing", "finish", "wanted"),  # completed, but no file was stored
        ("processing", "requeue", "queued"),
        ("failed", "requeue_finished", "queued"),
        ("queued", "cancel_queued", "wanted"),
    ],
)
def test_each_transition_moves_the_video_by_the_rule(db, start, transition, expected):
    job = _job(start)
    assert TRANSITIONS[transition](job)
    assert Video.objects.get(pk=job.video_id).status == expected


# --- pushed once committed, never on rollback ------------------------------------------------
def test_a_change_is_pushed_only_once_its_transaction_commits(transactional_db):
    job = _job(Status.QUEUED)
    with GroupListener(f"job.{job.pk}") as listener:
        with transaction.atomic():
            assert job_claim(job_id=job.pk, worker_id="w") is not None
            assert _seq(job) == 0  # not yet: the claim could still be rolled back
        assert _seq(job) == 1

        def pushed() -> bool:
            return any(m["job"]["id"] == job.pk for m in listener.messages)

        wait_until(pushed, timeout=10)
    [message] = listener.messages
    assert (message["job"]["status"], message["job"]["seq"]) == ("processing", 1)
    assert message["job"]["video"]["status"] == "downloading"


def test_a_change_rolled_back_is_never_pushed_and_leaves_the_video_alone(transactional_db):
    job = _job(Status.QUEUED, video=_video(status=Video.Status.QUEUED))
    with pytest.raises(RuntimeError), transaction.atomic():
        assert job_claim(job_id=job.pk, worker_id="w") is not None
        assert Video.objects.get(pk=job.video_id).status == "downloading"
        raise RuntimeError("the caller failed after the claim")
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("queued", 0)
    assert Video.objects.get(pk=job.video_id).status == "queued"
    assert _seq(job) == 0

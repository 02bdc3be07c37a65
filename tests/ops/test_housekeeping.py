"""Housekeeping removes exactly what it should, and nothing else."""

from __future__ import annotations

import os
import time
from datetime import timedelta

import dramatiq
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from dramatiq_crontab import scheduler

import mvidarr.actors
from jobs import live
from jobs.history import history_record
from jobs.housekeeping import (
    HousekeepingReport,
    prune_finished_jobs,
    prune_history,
    remove_orphaned_incoming,
    resend_lost_jobs,
    run_housekeeping,
)
from jobs.models import HistoryEvent, Job
from jobs.ops_selectors import job_ids_with_messages
from jobs.progress import DirectPublisher
from jobs.services.queueing import send_job
from jobs.worker import incoming_dir
from tests.ops.conftest import ago

Kind = Job.Kind
Status = Job.Status


@pytest.fixture
def empty_broker():
    broker = dramatiq.get_broker()
    broker.flush_all()
    yield broker
    broker.flush_all()


def test_prune_removes_only_finished_jobs_older_than_the_retention(make_job):
    old = [
        make_job(status=status, finished_ago=timedelta(days=31))
        for status in (Status.COMPLETED, Status.FAILED, Status.CANCELLED)
    ]
    recent = make_job(status=Status.COMPLETED, finished_ago=timedelta(days=29))
    running = make_job(status=Status.PROCESSING, created_ago=timedelta(days=40))
    queued = make_job(status=Status.QUEUED, created_ago=timedelta(days=40))
    live.write_live(old[0].pk, {"progress": 100})
    live.next_seq(old[0].pk)

    pruned = prune_finished_jobs(older_than_days=30)

    assert pruned == sorted(job.pk for job in old)
    remaining = set(Job.objects.values_list("id", flat=True))
    assert remaining == {recent.pk, running.pk, queued.pk}
    assert live.read_live([old[0].pk]) == {old[0].pk: {"seq": 0}}  # its Redis keys are gone


def test_prune_takes_a_bulk_job_with_its_children_and_never_a_child_alone(make_job):
    old_parent = make_job(kind=Kind.BULK_VIDEO_DOWNLOAD, finished_ago=timedelta(days=40))
    old_children = [make_job(parent=old_parent, finished_ago=timedelta(days=41)) for _ in range(2)]
    active_parent = make_job(
        kind=Kind.BULK_VIDEO_DOWNLOAD, status=Status.PROCESSING, created_ago=timedelta(days=50)
    )
    old_child_of_active = make_job(parent=active_parent, finished_ago=timedelta(days=45))

    pruned = prune_finished_jobs(older_than_days=30, batch_size=1)

    assert pruned == sorted([old_parent.pk] + [c.pk for c in old_children])
    assert set(Job.objects.values_list("id", flat=True)) == {
        active_parent.pk,
        old_child_of_active.pk,
    }


def test_prune_deletes_in_batches_until_every_expired_job_is_gone(make_job):
    same_moment = timezone.now() - timedelta(days=35)
    old = [make_job(finished_ago=timedelta(days=31 + n)) for n in range(5)]
    old += [make_job(finished_at=same_moment) for _ in range(3)]
    recent = make_job(finished_ago=timedelta(days=29))
    active_parent = make_job(kind=Kind.BULK_VIDEO_DOWNLOAD, status=Status.PROCESSING)
    kept_child = make_job(parent=active_parent, finished_ago=timedelta(days=40))

    with CaptureQueriesContext(connection) as queries:
        pruned = prune_finished_jobs(older_than_days=30, batch_size=2)

    assert pruned == sorted(job.pk for job in old)
    assert set(Job.objects.values_list("id", flat=True)) == {
        recent.pk,
        active_parent.pk,
        kept_child.pk,
    }
    deletes = [q["sql"] for q in queries if q["sql"].startswith('DELETE FROM "jobs_job"')]
    assert len(deletes) >= 4 and all(sql.count(",") <= 1 for sql in deletes)  # 2 at a time


def make_incoming(job_id: int, *, age: float) -> os.PathLike:
    path = incoming_dir(job_id)
    path.mkdir(parents=True)
    (path / "part.mp4.part").write_bytes(b"x")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_orphaned_incoming_folders_are_removed_and_running_ones_kept(make_job, library_root):
    running = make_job(status=Status.PROCESSING)
    failed = make_job(status=Status.FAILED)
    running_dir = make_incoming(running.pk, age=3600)
    failed_dir = make_incoming(failed.pk, age=3600)
    gone_dir = make_incoming(987654, age=3600)  # its job row no longer exists
    young_dir = make_incoming(987655, age=1)  # maybe claimed a moment ago
    not_ours = library_root / ".incoming" / "notes"
    not_ours.mkdir()

    removed = remove_orphaned_incoming(min_age_seconds=60)

    assert sorted(removed) == sorted([failed_dir, gone_dir])
    assert running_dir.exists() and young_dir.exists() and not_ours.exists()
    assert not failed_dir.exists() and not gone_dir.exists()


def test_queued_jobs_whose_message_was_lost_are_sent_again(make_job, empty_broker):
    lost = make_job(status=Status.QUEUED, created_ago=timedelta(hours=1))
    with_message = make_job(status=Status.QUEUED, created_ago=timedelta(hours=1))
    delayed = make_job(status=Status.QUEUED, created_ago=timedelta(hours=1))
    just_created = make_job(status=Status.QUEUED, created_ago=timedelta(seconds=5))
    send_job(with_message)
    send_job(delayed, delay_ms=600_000)

    resent = resend_lost_jobs(grace_seconds=60)

    assert resent == [lost.pk]
    assert job_ids_with_messages() == {lost.pk, with_message.pk, delayed.pk}
    assert just_created.pk not in job_ids_with_messages()
    assert resend_lost_jobs(grace_seconds=60) == []  # nothing is sent twice


def test_run_housekeeping_does_every_step(make_job, empty_broker, settings, monkeypatch):
    monkeypatch.setenv("MVIDARR_JOB_RETENTION_DAYS", "7")
    settings.JOB_STALE_SECONDS = 30
    settings.LOST_MESSAGE_GRACE_SECONDS = 60
    old = make_job(finished_ago=timedelta(days=8))
    orphan = make_job(status=Status.FAILED)
    orphan_dir = make_incoming(orphan.pk, age=3600)
    stale = make_job(
        status=Status.PROCESSING,
        attempts=1,
        started_at=ago(minutes=10),
        heartbeat_at=ago(minutes=10),
        created_ago=timedelta(minutes=20),
    )
    lost = make_job(status=Status.QUEUED, created_ago=timedelta(minutes=10))

    report = run_housekeeping(publisher=DirectPublisher())

    assert report.pruned == [old.pk]
    assert report.removed_folders == [str(orphan_dir)]
    assert report.recovered == [stale.pk]
    assert report.resent == [lost.pk]
    stale.refresh_from_db()
    assert stale.status == Status.QUEUED
    # The recovered job was sent by recovery itself, so it was not re-sent as lost.
    assert job_ids_with_messages() == {stale.pk, lost.pk}


def _history_row(title: str, *, days_ago: float) -> HistoryEvent:
    row = history_record(HistoryEvent.Event.ADDED, title=title)
    HistoryEvent.objects.filter(pk=row.pk).update(created_at=ago(minutes=days_ago * 24 * 60))
    return row


def test_history_older_than_the_job_retention_is_pruned_in_batches(db):
    old = [_history_row(f"Old {i}", days_ago=8) for i in range(5)]
    recent = _history_row("Recent", days_ago=6)

    pruned = prune_history(older_than_days=7, batch_size=2)

    assert pruned == len(old)
    assert list(HistoryEvent.objects.values_list("pk", flat=True)) == [recent.pk]


def test_run_housekeeping_prunes_history_by_the_finished_jobs_retention(db, monkeypatch):
    monkeypatch.setenv("MVIDARR_JOB_RETENTION_DAYS", "3")
    _history_row("Old", days_ago=4)
    recent = _history_row("Recent", days_ago=2)

    report = run_housekeeping(publisher=DirectPublisher())

    assert report.pruned_history == 1
    assert list(HistoryEvent.objects.values_list("title", flat=True)) == [recent.title]


def test_the_housekeeping_actor_is_thin_and_scheduled(make_job, monkeypatch):
    monkeypatch.setenv("MVIDARR_JOB_RETENTION_DAYS", "1")
    old = make_job(finished_ago=timedelta(days=2))
    mvidarr.actors.housekeeping.fn()
    assert not Job.objects.filter(pk=old.pk).exists()
    assert "housekeeping" in [job.name for job in scheduler.get_jobs()]


def test_the_housekeeping_report_says_one_job_and_two_jobs():
    report = HousekeepingReport(
        pruned=[1, 2], removed_folders=[], recovered=[3], resent=[4], pruned_history=1
    )
    assert str(report) == (
        "pruned 2 old jobs and 1 old history row, removed 0 orphaned download folders, "
        "re-queued 1 stale job, re-sent 1 job whose message was lost"
    )

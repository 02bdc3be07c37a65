"""Housekeeping, run every few minutes by the scheduler (see ``mvidarr/actors.py``).

Each step is safe to run twice at once and safe against a worker acting meanwhile: rows are
deleted or re-sent only while they still match, and re-sending a job that has a message
already costs nothing (the runner claims a job by a conditional UPDATE).
"""

from __future__ import annotations

import logging
import shutil
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from jobs import kinds, live
from jobs.models import HistoryEvent, Job
from jobs.ops_selectors import (
    PRUNED_TOTALS_KEY,
    JobTotals,
    job_ids_with_messages,
    job_totals,
    not_rolled_up,
    rolled_up_totals,
)
from jobs.preferences import RETENTION_DAYS
from jobs.progress import Publisher
from jobs.services.queueing import send_job
from jobs.worker import incoming_dir, recover_stale_jobs
from preferences.selectors import setting_get
from videos.library import library_purge_old_trash

logger = logging.getLogger(__name__)

Status = Job.Status


@dataclass
class HousekeepingReport:
    pruned: list[int] = field(default_factory=list)
    removed_folders: list[str] = field(default_factory=list)
    recovered: list[int] = field(default_factory=list)
    resent: list[int] = field(default_factory=list)
    pruned_history: int = 0

    def __str__(self) -> str:
        return (
            f"pruned {_count(self.pruned, 'old job')} and "
            f"{_count(range(self.pruned_history), 'old history row')}, removed "
            f"{_count(self.removed_folders, 'orphaned download folder')}, re-queued "
            f"{_count(self.recovered, 'stale job')}, re-sent "
            f"{_count(self.resent, 'job')} whose message was lost"
        )


def _count(items, noun: str) -> str:
    """``1 stale job``, ``2 stale jobs``."""
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


def run_housekeeping(*, publisher: Publisher, now: datetime | None = None) -> HousekeepingReport:
    """Every step, each on its own: one failing does not stop the others."""
    report = HousekeepingReport()
    retention = setting_get(RETENTION_DAYS)
    steps = [
        ("pruned", lambda: prune_finished_jobs(older_than_days=retention, now=now)),
        ("pruned_history", lambda: prune_history(older_than_days=retention, now=now)),
        (
            "removed_folders",
            lambda: [str(p) for p in [*remove_orphaned_incoming(), *library_purge_old_trash()]],
        ),
        ("recovered", lambda: recover_stale_jobs(publisher=publisher)),
        ("resent", lambda: resend_lost_jobs(now=now)),
    ]
    for name, step in steps:
        try:
            setattr(report, name, step())
        except Exception:
            logger.exception("housekeeping step %r failed; the others still ran", name)
    logger.info("housekeeping: %s", report)
    return report


def prune_finished_jobs(
    *, older_than_days: int, now: datetime | None = None, batch_size: int = 100
) -> list[int]:
    """Delete finished jobs that finished more than ``older_than_days`` ago; return their ids.

    A bulk job's children go with it (and only with it). What the deleted rows added up to
    (those not rolled up already, see ``jobs.ops_selectors.totals``) is added to the pruned
    totals in Redis, so metrics totals do not drop; their live keys go.

    A batch at a time, each in a transaction of its own that finds its rows through the
    finish-time index: no transaction holds the write lock for long.
    """
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    prunable = Job.objects.filter(status__in=Job.FINISHED_STATUSES, finished_at__lt=cutoff).filter(
        Q(parent__isnull=True)
        | Q(parent__status__in=Job.FINISHED_STATUSES, parent__finished_at__lt=cutoff)
    )
    _, through = rolled_up_totals()
    pruned: list[int] = []
    after: tuple[datetime, int] | None = None  # the last row looked at, in finish order
    while True:
        # The next rows in the order of the finish-time index, read before the transaction
        # (on SQLite it takes the write lock at once): each batch reads only its own rows.
        candidates = Job.objects.filter(finished_at__lt=cutoff)
        if after is not None:
            candidates = candidates.filter(finished_at__gte=after[0]).exclude(
                finished_at=after[0], pk__lte=after[1]
            )
        rows = list(
            candidates.order_by("finished_at", "id").values_list("finished_at", "id")[:batch_size]
        )
        if not rows:
            break
        after = rows[-1]
        started = time.monotonic()
        with transaction.atomic():
            # Each still prunable, locked: a child goes only with its bulk job.
            locked = prunable.filter(pk__in=[job_id for _, job_id in rows])
            batch = list(
                locked.select_for_update(of=("self",)).order_by("id").values_list("id", flat=True)
            )
            if not batch:
                continue
            # A pruned bulk job's children are deleted with it (ON DELETE CASCADE).
            doomed = sorted(
                set(batch)
                | set(Job.objects.filter(parent_id__in=batch).values_list("id", flat=True))
            )
            totals = job_totals(not_rolled_up(Job.objects.filter(pk__in=doomed), through))
            Job.objects.filter(pk__in=batch).delete()
        _let_writers_in(time.monotonic() - started)
        _add_pruned_totals(totals)
        live.forget(doomed)
        pruned += doomed
    return sorted(pruned)


def _let_writers_in(held: float) -> None:
    """Pause as long as the last batch held SQLite's write lock (one writer at a time, and
    no queue: a worker waiting for it polls every few tens of milliseconds and, against
    back-to-back batches, lost every time: 10 s for a heartbeat, seen in bench/'s curve)."""
    if connection.vendor == "sqlite":
        time.sleep(min(max(held, 0.01), 0.5))


def prune_history(
    *, older_than_days: int, now: datetime | None = None, batch_size: int = 500
) -> int:
    """Delete history rows older than ``older_than_days`` (kept as long as finished jobs),
    a batch at a time so that no transaction holds the table long; return how many."""
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    old = HistoryEvent.objects.filter(created_at__lt=cutoff).order_by("created_at", "id")
    pruned = 0
    while True:
        batch = list(old.values_list("id", flat=True)[:batch_size])
        if not batch:
            return pruned
        pruned += HistoryEvent.objects.filter(pk__in=batch).delete()[0]


def _add_pruned_totals(totals: JobTotals) -> None:
    pipe = live.client().pipeline(transaction=True)
    for name, value in totals.to_fields().items():
        if value:
            pipe.hincrbyfloat(PRUNED_TOTALS_KEY, name, value)
    pipe.execute()


def remove_orphaned_incoming(*, min_age_seconds: float | None = None) -> list[Path]:
    """Remove ``<library>/.incoming/<job id>`` folders whose job is not running.

    A folder younger than ``min_age_seconds`` (default: JOB_STALE_SECONDS) is left alone: its
    job may have been claimed a moment ago. Folders whose name is not a job id are not ours.
    """
    min_age = settings.JOB_STALE_SECONDS if min_age_seconds is None else min_age_seconds
    root = Path(settings.LIBRARY_ROOT) / ".incoming"
    if not root.is_dir():
        return []
    candidates = {
        int(path.name): path for path in root.iterdir() if path.name.isdigit() and path.is_dir()
    }
    if not candidates:
        return []
    running = set(
        Job.objects.filter(pk__in=candidates, status=Status.PROCESSING).values_list("id", flat=True)
    )
    removed = []
    now = time.time()
    for job_id, path in sorted(candidates.items()):
        if job_id in running or now - path.stat().st_mtime < min_age:
            continue
        if path != incoming_dir(job_id):  # a different library root: not ours to touch
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
        logger.info("removed the orphaned download folder %s", path)
    return removed


def resend_lost_jobs(
    *, now: datetime | None = None, grace_seconds: float | None = None
) -> list[int]:
    """Send again the queued jobs that have no message in the broker (lost with a Redis
    restart, or never sent); return their ids.

    Jobs created less than ``grace_seconds`` ago (default LOST_MESSAGE_GRACE_SECONDS) are left
    alone: their message is sent when the creating transaction commits.
    """
    grace = settings.LOST_MESSAGE_GRACE_SECONDS if grace_seconds is None else grace_seconds
    cutoff = (now or timezone.now()) - timedelta(seconds=grace)
    queued = list(
        Job.objects.filter(
            status=Status.QUEUED, created_at__lt=cutoff, kind__in=kinds.names(has_children=False)
        ).values_list("id", flat=True)
    )
    if not queued:
        return []
    with_message = job_ids_with_messages()
    resent = []
    for job in Job.objects.filter(pk__in=set(queued) - with_message, status=Status.QUEUED):
        send_job(job)
        resent.append(job.pk)
        logger.warning("job %s was queued with no message in the broker: sent it again", job.pk)
    return sorted(resent)

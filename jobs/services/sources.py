"""Indexing sources: one on demand (:func:`source_index_submit`), and the scheduler's tick
(:func:`sources_index_due`), which claims the sources whose index is due
(:func:`sources_due_claim`) and starts one ``source_index`` job for each.

A source never has two index jobs at once: whoever starts one first locks the source's row
(``select_for_update``), then looks for its active index job.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from jobs import kinds, live
from jobs.models import Job
from jobs.progress import publish_after_commit
from jobs.services.errors import JobConflict
from jobs.services.queueing import send_job_on_commit, send_jobs_on_commit
from jobs.services.shared import check_origin
from videos.models import Source

logger = logging.getLogger(__name__)

Status = Job.Status


class SourceIndexRunning(JobConflict):
    """The source's previous index is still queued or running."""

    def __init__(self, job: Job) -> None:
        super().__init__(
            f"This source is already being indexed (job #{job.pk}); wait for it to finish."
        )
        self.job = job


@dataclass(frozen=True)
class TickResult:
    """What one scheduler tick did: sources claimed, jobs started, and sources skipped
    because their previous index still runs."""

    claimed: int
    started: int
    still_running: int


def active_index_jobs(source_ids: Iterable[int]) -> dict[int, Job]:
    """``{source id: its queued or running index job}`` for those of ``source_ids`` that
    have one. One query: active jobs are few, whatever the number of sources."""
    wanted = set(source_ids)
    active = Job.objects.filter(kind=kinds.SOURCE_INDEX, status__in=Job.ACTIVE_STATUSES)
    found = {}
    for job in active.only("pk", "options", "status", "kind"):
        source_id = job.options.get("source")
        if source_id in wanted:
            found[source_id] = job
    return found


def with_index_jobs(sources: list[Source]) -> list[Source]:
    """``sources``, each with its queued or running index job as ``index_job`` (or None):
    what a page shows until the live feed speaks of the job."""
    jobs = active_index_jobs([source.pk for source in sources])
    for source in sources:
        source.index_job = jobs.get(source.pk)
    return sources


def _index_job(*, source: Source, user, origin: str, full: bool | None) -> Job:
    return Job(
        kind=kinds.SOURCE_INDEX,
        user=user,
        origin=origin,
        # The source's name and artist as they are now: what the job's title and link say
        # (jobs.titles), without reading the source each time the job is shown.
        options={
            "source": source.pk,
            "source_name": str(source)[:500],
            "source_artist": source.artist_id,
            "full": full,
            "offset": 0,
        },
        message="Waiting for a worker",
    )


@transaction.atomic
def source_index_submit(
    *, source: Source, user, origin: str = Job.Origin.USER, full: bool | None = None
) -> Job:
    """Start indexing ``source``; return the queued ``source_index`` job.

    ``full`` True lists every entry, False only the newest through the source's feed when it
    has one, None lets the index decide (a full index when the last one is old). ``user`` is
    None for an index the scheduler or MVidarr starts (``origin``). Raises
    :class:`SourceIndexRunning` (a conflict) when the source's index is already queued or
    running, also when two requests ask at the same moment.
    """
    check_origin(user=user, origin=origin)
    source = Source.objects.select_for_update().get(pk=source.pk)
    running = active_index_jobs([source.pk]).get(source.pk)
    if running is not None:
        raise SourceIndexRunning(running)
    live.require_redis()
    job = _index_job(source=source, user=user, origin=origin, full=full)
    job.save()
    send_job_on_commit(job)
    publish_after_commit(job)
    return job


def sources_due_claim(*, now: datetime.datetime, limit: int) -> list[Source]:
    """Claim up to ``limit`` monitored sources whose index is due (``next_index_at`` at or
    before ``now``), oldest due first; return them with ``next_index_at`` moved on.

    Each claimed source's next index is set to ``now`` + its interval, by an UPDATE
    conditional on it still being due, so a source is claimed once however many schedulers
    tick at once, and a scheduler that was down for a day claims each due source once (not
    once per missed tick). The candidates are read ``FOR UPDATE SKIP LOCKED`` (on
    PostgreSQL), so two claimers take disjoint sets; when an UPDATE finds fewer rows still
    due than it read (another claimer without row locks won them), the claim is undone and
    nothing is claimed: the next tick tries again.
    """
    with transaction.atomic():
        due = list(
            Source.objects.select_for_update(skip_locked=True)
            .filter(monitored=True, next_index_at__lte=now)
            .order_by("next_index_at", "pk")
            .only("pk", "index_interval_minutes", "next_index_at")[:limit]
        )
        by_interval: dict[int, list[int]] = {}
        for source in due:
            by_interval.setdefault(source.index_interval_minutes, []).append(source.pk)
        claimed = 0
        for minutes, ids in by_interval.items():
            claimed += Source.objects.filter(pk__in=ids, next_index_at__lte=now).update(
                next_index_at=now + datetime.timedelta(minutes=minutes)
            )
        if claimed != len(due):
            transaction.set_rollback(True)
            logger.warning("another scheduler claimed due sources at the same time; next tick")
            return []
    return list(Source.objects.filter(pk__in=[source.pk for source in due]).order_by("pk"))


@transaction.atomic
def sources_index_due(*, now: datetime.datetime, limit: int) -> TickResult:
    """The scheduler's tick: claim the due sources and start one index job each (origin
    ``schedule``); a source whose previous index still runs is skipped and counted.

    A fixed number of queries whatever the number of sources: the claim, one lock, one
    look for active indexes, one INSERT of the jobs and one UPDATE of their message ids.
    """
    claimed = sources_due_claim(now=now, limit=limit)
    if not claimed:
        return TickResult(claimed=0, started=0, still_running=0)
    ids = [source.pk for source in claimed]
    # The lock source_index_submit takes: a person's "index now" waits for this tick.
    list(Source.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
    running = active_index_jobs(ids)
    jobs = Job.objects.bulk_create(
        [
            _index_job(source=source, user=None, origin=Job.Origin.SCHEDULE, full=None)
            for source in claimed
            if source.pk not in running
        ]
    )
    send_jobs_on_commit(jobs)
    if running:
        logger.info("%d due sources skipped: their previous index still runs", len(running))
    return TickResult(claimed=len(claimed), started=len(jobs), still_running=len(running))

"""Acting on a job that exists: cancel, retry, hide; and on all of a person's at once:
clear the finished ones, retry the failed ones."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from jobs import kinds, live
from jobs.models import Job
from jobs.progress import publish_after_commit
from jobs.services.errors import JobConflict, JobPermissionError, JobStateError
from jobs.services.queueing import send_job_on_commit
from jobs.services.shared import may_act_on
from jobs.transitions import (
    bulk_reopen,
    job_cancel_queued_items,
    job_finish,
    job_request_cancel,
    job_requeue_finished,
)

Status = Job.Status


def job_cancel(*, job: Job, user) -> Job:
    """Cancel a job: a queued one at once, a running one at its next progress report."""
    if not may_act_on(user, job):
        raise JobPermissionError("You can only cancel your own jobs.")
    live.require_redis()  # a running download hears of its cancel through Redis
    with transaction.atomic():
        if kinds.get(job.kind).has_children:
            return _cancel_parent(job)
        job = _cancel_one(job)
    return job


def _cancel_one(job: Job) -> Job:
    if not job_request_cancel(job=job):
        raise JobStateError(f"This job has already finished ({job.get_status_display().lower()}).")
    return job


def _cancel_parent(parent: Job) -> Job:
    if parent.status not in Job.ACTIVE_STATUSES:
        raise JobStateError(
            f"This job has already finished ({parent.get_status_display().lower()})."
        )
    # The queued items in one statement (a bulk of 10,000 is cancelled in a request), then
    # the running ones, a few, one by one: their workers stop at their next report.
    job_cancel_queued_items(parent=parent)
    for child in parent.children.filter(status__in=Job.ACTIVE_STATUSES):
        with contextlib.suppress(JobStateError):  # it finished meanwhile
            _cancel_one(child)
    job_finish(job=parent, status=Status.CANCELLED, message="Cancelled")
    parent.refresh_from_db()
    return parent


def job_retry(*, job: Job, user) -> Job:
    """Run a failed or cancelled job again (a bulk job: its failed and cancelled children)."""
    if not may_act_on(user, job):
        raise JobPermissionError("You can only retry your own jobs.")
    if job.status not in (Status.FAILED, Status.CANCELLED):
        raise JobStateError(
            f"Only failed or cancelled jobs can be retried; this one is "
            f"{job.get_status_display().lower()}."
        )
    live.require_redis()
    with transaction.atomic():
        if kinds.get(job.kind).has_children:
            children = job.children.filter(status__in=(Status.FAILED, Status.CANCELLED))
            for child in children:
                with contextlib.suppress(JobConflict), transaction.atomic():
                    _requeue_for_retry(child, reopen_parent=False)
            bulk_reopen(parent_id=job.pk)
        else:
            _requeue_for_retry(job)
            return job  # as retried (queued): a worker may claim it the moment this commits
    job.refresh_from_db()  # after the commit, so a bulk job's summary is the new one
    return job


def _requeue_for_retry(job: Job, *, reopen_parent: bool = True) -> None:
    try:
        requeued = job_requeue_finished(job=job, reopen_parent=reopen_parent)
    except IntegrityError:
        raise JobConflict(
            "This video is being downloaded by another job; retry when it has finished."
        ) from None
    if not requeued:
        raise JobStateError("This job changed while you were retrying it; reload and try again.")
    send_job_on_commit(job)


def job_hide(*, job: Job, user) -> Job:
    """Hide a finished job from lists (it stays in the database and the admin)."""
    if not may_act_on(user, job):
        raise JobPermissionError("You can only hide your own jobs.")
    if job.is_active:
        raise JobStateError("Cancel this job before hiding it; it has not finished yet.")
    Job.objects.filter(Q(pk=job.pk) | Q(parent_id=job.pk)).update(hidden=True)
    job.hidden = True
    publish_after_commit(job)
    return job


def _own_top_level(user, kind: str | None) -> QuerySet[Job]:
    """The listed jobs ``user`` may act on (as :func:`may_act_on`): top level, not hidden."""
    queryset = Job.objects.filter(parent__isnull=True, hidden=False)
    if not user.is_staff:
        queryset = queryset.filter(user=user)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


def jobs_clear_finished(*, user, kind: str | None = None) -> int:
    """Hide every finished job ``user`` may act on (their own; staff: everyone's), of
    ``kind`` when given, as :func:`job_hide` hides one; returns how many (top level)."""
    with transaction.atomic():
        finished = _own_top_level(user, kind).exclude(status__in=Job.ACTIVE_STATUSES)
        ids = list(finished.values_list("pk", flat=True))
        for start in range(0, len(ids), 500):  # a bulk job's items go with it
            chunk = ids[start : start + 500]
            Job.objects.filter(Q(pk__in=chunk) | Q(parent_id__in=chunk)).update(hidden=True)
    return len(ids)


@dataclass(frozen=True)
class RetryOutcome:
    retried: int  # jobs queued again
    skipped: int  # jobs that could not be (their video is being downloaded by another job,
    #               or they changed meanwhile)


def jobs_retry_failed(*, user, kind: str | None = None) -> RetryOutcome:
    """Retry every failed job ``user`` may act on (their own; staff: everyone's), of
    ``kind`` when given, oldest first, each as :func:`job_retry` does; a job that cannot be
    retried is skipped and counted."""
    live.require_redis()
    retried = skipped = 0
    failed = list(_own_top_level(user, kind).filter(status=Status.FAILED).order_by("id"))
    for job in failed:
        try:
            job_retry(job=job, user=user)
        except (JobConflict, JobStateError):
            skipped += 1
        else:
            retried += 1
    return RetryOutcome(retried=retried, skipped=skipped)

"""How an attempt ends, as the runner decides it: completed, failed, cancelled, or back in
the queue (the runner owns retries: a transient fault re-sends the job with a delay).

Each is a transition (:mod:`jobs.transitions`), so a job is ended once, and whatever it
does to the video follows from the one rule.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections

from jobs.models import Job
from jobs.transitions import job_finish, job_requeue
from jobs.worker.context import RunContext, backoff_seconds

logger = logging.getLogger(__name__)

Status = Job.Status


def complete(job: Job, context: RunContext, *, message: str) -> bool:
    """End the job completed; False when it was no longer ours."""
    return job_finish(
        job=job,
        status=Status.COMPLETED,
        message=message,
        progress=100.0,
        publisher=context.publisher,
    )


def end_cancelled(job: Job, context: RunContext) -> None:
    close_old_connections()
    job_finish(job=job, status=Status.CANCELLED, message="Cancelled", publisher=context.publisher)


def fail(job: Job, context: RunContext, *, reason: str) -> None:
    close_old_connections()
    logger.info("job %s failed: %s", job.pk, reason)
    job_finish(
        job=job, status=Status.FAILED, message="Failed", error=reason, publisher=context.publisher
    )


def retry_or_fail(
    job: Job,
    context: RunContext,
    *,
    reason: str,
    before: Callable[[bool, str], None] | None = None,
) -> None:
    """Back in the queue with a backoff, or failed once the job has used its attempts.
    ``before(failing, reason)`` is called with the verdict before the job's row says it (and
    its event is sent): what a page reads when it hears of the end is already written."""
    close_old_connections()
    job.refresh_from_db(fields=["attempts"])
    failing = job.attempts >= settings.JOB_MAX_ATTEMPTS
    if failing:
        reason = f"{reason} Gave up after {job.attempts} attempts."
    if before is not None:
        before(failing, reason)
    if failing:
        fail(job, context, reason=reason)
        return
    requeue(job, context, delay=backoff_seconds(job.attempts), reason=reason)


def requeue(
    job: Job,
    context: RunContext,
    *,
    delay: float,
    reason: str,
    refund_attempt: bool = False,
) -> None:
    """Back in the queue, and its message sent again after ``delay`` seconds."""
    close_old_connections()
    message = (
        f"Retrying in {delay:.0f} s (attempt {job.attempts + 1} of "
        f"{settings.JOB_MAX_ATTEMPTS}): {reason}"
        if reason
        else "Waiting for a worker (its worker stopped)"
    )
    requeued = job_requeue(
        job=job,
        message=message,
        error=reason,
        refund_attempt=refund_attempt,
        publisher=context.publisher,
    )
    if requeued:
        context.send_or_keep(job, delay=delay)

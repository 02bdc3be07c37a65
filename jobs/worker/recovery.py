"""Finding jobs whose worker died, and giving them back to the queue (or failing them)."""

from __future__ import annotations

import logging
import shutil
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from jobs import kinds
from jobs.models import Job
from jobs.progress import Publisher
from jobs.services.queueing import send_job_when_possible
from jobs.transitions import job_finish, job_requeue
from jobs.worker.context import incoming_dir

logger = logging.getLogger(__name__)

Status = Job.Status


def recover_stale_jobs(*, publisher: Publisher, stale_after: float | None = None) -> list[int]:
    """Re-queue (or fail, when no attempts are left) jobs whose heartbeat has gone stale.

    Returns the ids of the jobs it handled. Each is handled by a conditional UPDATE on the
    stale heartbeat, so two workers recovering at once handle a job once.
    """
    stale_after = settings.JOB_STALE_SECONDS if stale_after is None else stale_after
    cutoff = timezone.now() - timedelta(seconds=stale_after)
    stale = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    candidates = Job.objects.filter(
        stale, status=Status.PROCESSING, kind__in=kinds.names(has_children=False)
    )
    handled = []
    for job in candidates:
        shutil.rmtree(incoming_dir(job.pk), ignore_errors=True)
        if job.cancel_requested:
            done = job_finish(
                job=job,
                status=Status.CANCELLED,
                message="Cancelled",
                condition=stale,
                publisher=publisher,
            )
        elif job.attempts >= settings.JOB_MAX_ATTEMPTS:
            done = job_finish(
                job=job,
                status=Status.FAILED,
                message="Failed",
                error="The worker running this job stopped (killed or restarted) and no "
                f"attempts are left after {job.attempts}; retry it when the workers are stable.",
                condition=stale,
                publisher=publisher,
            )
        else:
            done = job_requeue(
                job=job,
                message="Re-queued: its worker stopped",
                condition=stale,
                publisher=publisher,
            )
            if done:
                send_job_when_possible(job)  # else housekeeping re-sends it
        if not done:
            continue
        handled.append(job.pk)
        logger.warning("job %s recovered from a stopped worker: now %s", job.pk, job.status)
    return handled

"""Claiming a job, and the states a worker leaves it in: finished, failed, or back in the
queue (the runner owns retries: a transient fault re-sends the job with a delay).

Each is a conditional UPDATE on the row's status, so a job is claimed and ended once.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import close_old_connections
from django.db.models import F
from django.utils import timezone

from jobs import kinds
from jobs.models import Job
from jobs.progress import publish_job
from jobs.services.bulk import bulk_refresh
from jobs.worker.context import RunContext, backoff_seconds
from videos.models import Video
from videos.selectors import video_has_file
from videos.services import video_set_status

logger = logging.getLogger(__name__)

Status = Job.Status


def claim(job_id: int, *, worker_id: str) -> Job | None:
    """Take a queued job for this worker; None when someone else has it or it is gone."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.PROCESSING,
        started_at=now,
        heartbeat_at=now,
        worker=worker_id[:128],
        attempts=F("attempts") + 1,
        message="Starting",
    )
    if claimed != 1:
        return None
    return Job.objects.select_related("video__artist", "user").get(pk=job_id)


def finish(
    job: Job,
    status: str,
    context: RunContext,
    *,
    message: str,
    error: str = "",
    progress: float | None = None,
) -> bool:
    """Write a final state once; False when the job was no longer ours."""
    fields = {
        "status": status,
        "finished_at": timezone.now(),
        "heartbeat_at": timezone.now(),
        "message": message[:255],
        "error": error,
    }
    if progress is not None:
        fields["progress"] = progress
    updated = Job.objects.filter(pk=job.pk, status=Status.PROCESSING).update(**fields)
    if not updated:
        return False
    job.refresh_from_db()
    publish_job(job, publisher=context.publisher)
    if job.parent_id:
        bulk_refresh(parent_id=job.parent_id, publisher=context.publisher)
    return True


def restore_video_status(video: Video | None, status: str) -> None:
    if video is None:
        return
    if video_has_file(video):
        status = Video.Status.DOWNLOADED  # a failed re-download keeps the file we had
    video_set_status(video=video, status=status)


def end_cancelled(job: Job, video: Video | None, context: RunContext) -> None:
    close_old_connections()
    restore_video_status(video, Video.Status.WANTED)
    finish(job, Status.CANCELLED, context, message="Cancelled")


def fail(job: Job, video: Video | None, context: RunContext, *, reason: str) -> None:
    close_old_connections()
    logger.info("job %s failed: %s", job.pk, reason)
    restore_video_status(video, Video.Status.FAILED)
    finish(job, Status.FAILED, context, message="Failed", error=reason)


def retry_or_fail(job: Job, video: Video | None, context: RunContext, *, reason: str) -> None:
    close_old_connections()
    job.refresh_from_db(fields=["attempts"])
    if job.attempts >= settings.JOB_MAX_ATTEMPTS:
        fail(
            job,
            video,
            context,
            reason=f"{reason} Gave up after {job.attempts} attempts.",
        )
        return
    requeue(job, video, context, delay=backoff_seconds(job.attempts), reason=reason)


def requeue(
    job: Job,
    video: Video | None,
    context: RunContext,
    *,
    delay: float,
    reason: str,
    refund_attempt: bool = False,
) -> None:
    close_old_connections()
    message = (
        f"Retrying in {delay:.0f} s (attempt {job.attempts + 1} of "
        f"{settings.JOB_MAX_ATTEMPTS}): {reason}"
        if reason
        else "Waiting for a worker (its worker stopped)"
    )
    fields = {
        "status": Status.QUEUED,
        "message": message[:255],
        "error": reason,
        "worker": "",
        "heartbeat_at": None,
        "cancel_requested": False,
    }
    if refund_attempt:
        fields["attempts"] = F("attempts") - 1
    if not Job.objects.filter(pk=job.pk, status=Status.PROCESSING).update(**fields):
        return
    if video is not None and kinds.get(job.kind).holds_video_slot:
        restore_video_status(video, Video.Status.QUEUED)
    job.refresh_from_db()
    context.send_or_keep(job, delay=delay)
    publish_job(job, publisher=context.publisher)

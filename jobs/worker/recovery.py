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
from jobs.progress import Publisher, publish_job
from jobs.services.bulk import bulk_refresh
from jobs.services.queueing import send_job_when_possible
from jobs.worker.context import incoming_dir
from videos.models import Video
from videos.selectors import video_has_file
from videos.services import video_set_status

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
    for job in candidates.select_related("video"):
        shutil.rmtree(incoming_dir(job.pk), ignore_errors=True)
        out_of_attempts = job.attempts >= settings.JOB_MAX_ATTEMPTS
        now = timezone.now()
        if job.cancel_requested:
            fields = {"status": Status.CANCELLED, "finished_at": now, "message": "Cancelled"}
        elif out_of_attempts:
            fields = {
                "status": Status.FAILED,
                "finished_at": now,
                "message": "Failed",
                "error": "The worker running this job stopped (killed or restarted) and no "
                f"attempts are left after {job.attempts}; retry it when the workers are stable.",
            }
        else:
            fields = {
                "status": Status.QUEUED,
                "message": "Re-queued: its worker stopped",
                "worker": "",
                "heartbeat_at": None,
            }
        updated = Job.objects.filter(stale, pk=job.pk, status=Status.PROCESSING).update(**fields)
        if not updated:
            continue
        handled.append(job.pk)
        job.refresh_from_db()
        logger.warning("job %s recovered from a stopped worker: now %s", job.pk, job.status)
        if job.video is not None and kinds.get(job.kind).holds_video_slot:
            video = job.video
            if video_has_file(video):
                status = Video.Status.DOWNLOADED
            else:
                status = {
                    Status.QUEUED: Video.Status.QUEUED,
                    Status.FAILED: Video.Status.FAILED,
                }.get(job.status, Video.Status.WANTED)
            video_set_status(video=video, status=status)
        if job.status == Status.QUEUED:
            send_job_when_possible(job)  # else housekeeping re-sends it
        publish_job(job, publisher=publisher)
        if job.parent_id and job.status != Status.QUEUED:
            bulk_refresh(parent_id=job.parent_id, publisher=publisher)
    return handled

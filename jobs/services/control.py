"""Acting on a job that exists: cancel, retry, hide."""

from __future__ import annotations

import contextlib

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from jobs import kinds, live
from jobs.models import Job
from jobs.services.bulk import bulk_refresh
from jobs.services.errors import JobConflict, JobPermissionError, JobStateError
from jobs.services.queueing import send_job_on_commit
from jobs.services.shared import may_act_on, publish_after_commit
from videos.models import Video
from videos.selectors import video_has_file
from videos.services import video_set_status

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
    now = timezone.now()
    if Job.objects.filter(pk=job.pk, status=Status.QUEUED).update(
        status=Status.CANCELLED, finished_at=now, message="Cancelled"
    ):
        job.refresh_from_db()
        if job.video_id and kinds.get(job.kind).holds_video_slot:
            video = job.video
            video_set_status(
                video=video,
                status=Video.Status.DOWNLOADED if video_has_file(video) else Video.Status.WANTED,
            )
        publish_after_commit(job)
        if job.parent_id:
            transaction.on_commit(lambda: bulk_refresh(parent_id=job.parent_id))
        return job
    if Job.objects.filter(pk=job.pk, status=Status.PROCESSING).update(
        cancel_requested=True, message="Cancelling…"
    ):
        transaction.on_commit(lambda: live.request_cancel(job.pk))
        job.refresh_from_db()
        publish_after_commit(job)
        return job
    job.refresh_from_db()
    raise JobStateError(f"This job has already finished ({job.get_status_display().lower()}).")


def _cancel_parent(parent: Job) -> Job:
    if parent.status not in Job.ACTIVE_STATUSES:
        raise JobStateError(
            f"This job has already finished ({parent.get_status_display().lower()})."
        )
    for child in parent.children.filter(status__in=Job.ACTIVE_STATUSES).select_related("video"):
        with contextlib.suppress(JobStateError):  # it finished meanwhile
            _cancel_one(child)
    Job.objects.filter(pk=parent.pk, status__in=Job.ACTIVE_STATUSES).update(
        status=Status.CANCELLED, finished_at=timezone.now(), message="Cancelled"
    )
    parent.refresh_from_db()
    publish_after_commit(parent)
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
            children = job.children.filter(
                status__in=(Status.FAILED, Status.CANCELLED)
            ).select_related("video")
            for child in children:
                with contextlib.suppress(JobConflict), transaction.atomic():
                    _requeue_for_retry(child, reopen_parent=False)
            _reopen_bulk(job.pk)
        else:
            _requeue_for_retry(job)
            return job  # as retried (queued): a worker may claim it the moment this commits
    job.refresh_from_db()  # after the commit, so a bulk job's summary is the new one
    return job


def _requeue_for_retry(job: Job, *, reopen_parent: bool = True) -> None:
    try:
        updated = Job.objects.filter(
            pk=job.pk, status__in=(Status.FAILED, Status.CANCELLED)
        ).update(
            status=Status.QUEUED,
            attempts=0,
            progress=0.0,
            error="",
            message="Waiting for a worker",
            cancel_requested=False,
            started_at=None,
            finished_at=None,
            heartbeat_at=None,
            worker="",
        )
    except IntegrityError:
        raise JobConflict(
            "This video is being downloaded by another job; retry when it has finished."
        ) from None
    if not updated:
        raise JobStateError("This job changed while you were retrying it; reload and try again.")
    job.refresh_from_db()
    if job.video_id and kinds.get(job.kind).holds_video_slot and job.video.status != "downloaded":
        video_set_status(video=job.video, status=Video.Status.QUEUED)
    transaction.on_commit(lambda: live.clear_live(job.pk, parent_id=job.parent_id))
    send_job_on_commit(job)
    publish_after_commit(job)
    if job.parent_id and reopen_parent:
        _reopen_bulk(job.parent_id)


def _reopen_bulk(parent_id: int) -> None:
    """A retried item makes its finished bulk job run again; its summary is recomputed."""
    Job.objects.filter(pk=parent_id).exclude(status__in=Job.ACTIVE_STATUSES).update(
        status=Status.PROCESSING, finished_at=None, error="", cancel_requested=False
    )
    transaction.on_commit(lambda: bulk_refresh(parent_id=parent_id))


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

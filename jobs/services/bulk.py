"""Bulk downloads: starting one, and the one rule for what it says about its items
(progress, message, final state).

Both the row (:func:`bulk_refresh`) and the live push while items download
(``jobs.worker.progress.publish_bulk_progress``) read :func:`bulk_summary`, so the bar and
the text never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, Q
from django.utils import timezone

from jobs import live
from jobs.models import Job
from jobs.progress import DirectPublisher, publish_job
from jobs.services.errors import JobError
from jobs.services.queueing import send_jobs_on_commit
from jobs.services.shared import (
    active_download,
    check_origin,
    check_quality,
    publish_after_commit,
)
from mvidarr.redis_outage import skipped_while_down
from videos.models import Video

Kind = Job.Kind

Status = Job.Status

# Items that have been carried out: nothing more will happen to them unless retried.
_DONE_WITH = (Status.COMPLETED, Status.FAILED)


@dataclass(frozen=True)
class BulkSummary:
    progress: float
    message: str
    status: str | None  # the bulk job's final status once every item has finished, else None
    error: str = ""


def bulk_summary(
    children: Sequence[Job], live_progress: dict[int, float] | None = None
) -> BulkSummary:
    """Summarise a bulk job from its items (``children``, each with its ``video`` loaded).

    Progress is the mean over the items: a completed or failed item counts 100, a queued or
    running one its live figure, a cancelled one what it had reached when it was stopped
    (its work was not done, so a bulk job with cancelled items stays under 100 %).
    """
    live_progress = live_progress or {}
    total = len(children)
    if total == 0:
        return BulkSummary(progress=100.0, message="Nothing to download", status=Status.COMPLETED)
    progresses = [
        100.0
        if child.status in _DONE_WITH
        else child.progress
        if child.status == Status.CANCELLED
        else max(child.progress, live_progress.get(child.pk, 0.0))
        for child in children
    ]
    progress = min(round(sum(progresses) / total, 1), 100.0)
    failed = [c for c in children if c.status == Status.FAILED]
    cancelled = sum(1 for c in children if c.status == Status.CANCELLED)
    finished = sum(1 for c in children if c.status in Job.FINISHED_STATUSES)
    if finished < total:
        return BulkSummary(
            progress, f"{finished} of {total} finished{_counts(failed, cancelled)}", None
        )
    if failed:
        reasons = "; ".join(f"{_title(c)}: {c.error}" for c in failed[:5])
        return BulkSummary(
            progress,
            f"{len(failed)} of {total} failed" + (f", {cancelled} cancelled" if cancelled else ""),
            Status.FAILED,
            error=f"{len(failed)} of {total} failed: {reasons}"[:4000],
        )
    if cancelled:
        return BulkSummary(progress, f"{cancelled} of {total} cancelled", Status.CANCELLED)
    return BulkSummary(progress, f"All {total} downloaded", Status.COMPLETED)


def _counts(failed: list[Job], cancelled: int) -> str:
    parts = []
    if failed:
        parts.append(f"{len(failed)} failed")
    if cancelled:
        parts.append(f"{cancelled} cancelled")
    return "".join(f", {part}" for part in parts)


def _title(job: Job) -> str:
    return (job.video.title or job.video.source_url) if job.video_id else f"job #{job.pk}"


@transaction.atomic
def bulk_download_submit(
    *,
    videos: Iterable[Video],
    user,
    quality: str = "best",
    force: bool = False,
    origin: str = Job.Origin.USER,
) -> Job:
    """One ``bulk_video_download`` job whose children download each video.

    Videos already downloaded (unless ``force``) or already being downloaded are skipped
    and named in the bulk job's message; each child is its own message on the bulk queue.
    """
    check_quality(quality)
    check_origin(user=user, origin=origin)
    videos = list(Video.objects.select_for_update().filter(pk__in=[v.pk for v in videos]))
    if not videos:
        raise JobError("Choose at least one video to download.")
    live.require_redis()
    now = timezone.now()
    parent = Job.objects.create(
        kind=Kind.BULK_VIDEO_DOWNLOAD,
        user=user,
        origin=origin,
        status=Status.PROCESSING,
        started_at=now,
        options={"quality": quality, "force": force, "video_ids": [v.pk for v in videos]},
    )
    skipped = [
        video
        for video in videos
        if (video.status == Video.Status.DOWNLOADED and not force) or active_download(video)
    ]
    chosen = [video for video in videos if video not in skipped]
    # One INSERT for all children: the videos are locked and have no active download, so
    # the one-active-download constraint cannot refuse any of them.
    children = Job.objects.bulk_create(
        [
            Job(
                kind=Kind.VIDEO_DOWNLOAD,
                video=video,
                user=user,
                origin=origin,
                parent=parent,
                options={"quality": quality, "force": force},
                message="Waiting for a worker",
            )
            for video in chosen
        ]
    )
    Video.objects.filter(pk__in=[v.pk for v in chosen]).exclude(
        status=Video.Status.DOWNLOADED
    ).update(status=Video.Status.QUEUED, updated_at=now)
    send_jobs_on_commit(children)
    created = len(children)
    parts = [f"{created} video{'s' if created != 1 else ''} to download"]
    if skipped:
        parts.append(f"{len(skipped)} skipped (already downloaded or being downloaded)")
    parent.message = "; ".join(parts)
    if created == 0:
        parent.status = Status.COMPLETED
        parent.progress = 100.0
        parent.finished_at = now
    parent.save(update_fields=["message", "status", "progress", "finished_at"])
    publish_after_commit(parent)
    return parent


def bulk_refresh(*, parent_id: int, publisher=None) -> Job | None:
    """Recompute a bulk job from its children (see :func:`bulk_summary`) and
    finish it when they have all finished. Safe to call from any process at any time.
    """
    parent = Job.objects.filter(pk=parent_id).first()
    if parent is None:
        return None
    children = list(parent.children.select_related("video").order_by("id"))
    if not children:
        return parent
    bulk_write_summary(parent=parent, children=children, publisher=publisher)
    return parent


def bulk_write_summary(*, parent: Job, children: list[Job], publisher=None) -> bool:
    """Write what ``children`` (as read) say about their bulk job; True when it was written.

    A conditional update on an active parent, so two children finishing together finish it
    once; the final state only while no child has changed since ``children`` were read (a
    child retried meanwhile reopened the parent: a stale "failed" must not close it again).
    """
    live_progress: dict[int, float] = {}
    with skipped_while_down("live figures"):
        live_progress = live.children_progress(parent.pk)
    summary = bulk_summary(children, live_progress)
    fields: dict = {"progress": summary.progress, "message": summary.message}
    target = Job.objects.filter(pk=parent.pk, status__in=Job.ACTIVE_STATUSES)
    if summary.status is not None:
        fields.update(status=summary.status, error=summary.error, finished_at=timezone.now())
        changed = Q(status__in=Job.ACTIVE_STATUSES)
        latest = max((c.finished_at for c in children if c.finished_at), default=None)
        if latest is not None:
            changed |= Q(finished_at__gt=latest)
        target = target.exclude(Exists(Job.objects.filter(changed, parent_id=parent.pk)))
    if not target.update(**fields):
        return False
    parent.refresh_from_db()
    publish_job(parent, publisher=publisher or DirectPublisher())
    return True

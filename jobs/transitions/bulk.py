"""A bulk job's state follows from its items: the one rule (:func:`bulk_summary`) and the
writes that apply it (:func:`bulk_refresh` when an item finishes, :func:`bulk_reopen` when
an item is retried).

Both the row and the live push while items download
(``jobs.worker.progress.publish_bulk_progress``) read :func:`bulk_summary`, so the bar and
the text never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, Q
from django.utils import timezone

from jobs import live
from jobs.models import Job
from jobs.progress import Publisher, publish_after_commit
from mvidarr.redis_outage import skipped_while_down

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


def bulk_refresh(*, parent_id: int, publisher: Publisher | None = None) -> Job | None:
    """Recompute a bulk job from its children (see :func:`bulk_summary`) and
    finish it when they have all finished. Safe to call from any process at any time.

    Run it once the child's change has committed: two items finishing together must each
    see the other finished, or neither would close the bulk job.
    """
    parent = Job.objects.filter(pk=parent_id).first()
    if parent is None:
        return None
    children = list(parent.children.select_related("video").order_by("id"))
    if not children:
        return parent
    bulk_write_summary(parent=parent, children=children, publisher=publisher)
    return parent


def bulk_write_summary(
    *, parent: Job, children: list[Job], publisher: Publisher | None = None
) -> bool:
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
    with transaction.atomic():
        if not target.update(**fields):
            return False
        parent.refresh_from_db()
        publish_after_commit(parent, publisher=publisher)
    return True


def bulk_reopen(*, parent_id: int) -> bool:
    """A retried item makes its finished bulk job run again (its summary is recomputed once
    this commits); True when it had finished."""
    reopened = (
        Job.objects.filter(pk=parent_id)
        .exclude(status__in=Job.ACTIVE_STATUSES)
        .update(status=Status.PROCESSING, finished_at=None, error="", cancel_requested=False)
    )
    transaction.on_commit(lambda: bulk_refresh(parent_id=parent_id))
    return bool(reopened)

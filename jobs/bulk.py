"""The one rule for what a bulk job says about its items: progress, message, final state.

Both the row (``jobs.services.bulk_refresh``) and the live push while items download
(``jobs.runner.publish_bulk_progress``) read it, so the bar and the text never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from jobs.models import Job

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

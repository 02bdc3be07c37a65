"""A bulk job's state follows from its items: the one rule (:func:`bulk_summary`), the
counters it reads (:func:`bulk_count_move`, in the same transaction as an item's change),
and the writes that apply it (:func:`bulk_refresh` when an item finishes, :func:`bulk_reopen`
when an item is retried).

The counters (``Job.items_<status>``) make every step cost the same whatever the number of
items: an item's change moves one from a counter to another by a conditional UPDATE with
F() expressions (right under concurrent workers without a lock), and the summary reads the
bulk job's row and the live figures of its running items only. Both the row and the live
push while items download (``jobs.worker.progress.publish_bulk_progress``) read
:func:`bulk_summary`, so the bar and the text never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from jobs import live
from jobs.models import COUNT_FIELD, ITEM_COUNTS, Job
from jobs.progress import Publisher, publish_after_commit
from mvidarr.redis_outage import skipped_while_down

Status = Job.Status

# How many failed items the bulk job's error names.
_REASONS_SHOWN = 5


@dataclass(frozen=True)
class BulkSummary:
    progress: float
    message: str
    status: str | None  # the bulk job's final status once every item has finished, else None
    error: str = ""


def bulk_summary(
    counts: dict[str, int],
    live_progress: dict[int, float] | None = None,
    reasons: list[str] | None = None,
) -> BulkSummary:
    """Summarise a bulk job from its items' ``counts`` (:attr:`Job.item_counts`).

    Progress is the mean over the items: a completed or failed item counts 100, a running
    one its live figure (``live_progress``: the running items' figures), a queued or a
    cancelled one nothing (a cancelled item's work was not done, so a bulk job with
    cancelled items stays under 100 %). ``reasons`` are the first failed items' "title:
    error", for the error of a bulk job that ends failed.
    """
    total = sum(counts.values())
    if total == 0:
        return BulkSummary(progress=100.0, message="Nothing to download", status=Status.COMPLETED)
    failed, cancelled = counts["failed"], counts["cancelled"]
    done = counts["completed"] + failed
    running = sum(min(max(value, 0.0), 100.0) for value in (live_progress or {}).values())
    progress = min(round((100.0 * done + running) / total, 1), 100.0)
    finished = done + cancelled
    if finished < total:
        return BulkSummary(
            progress, f"{finished} of {total} finished{_counts(failed, cancelled)}", None
        )
    if failed:
        said = "; ".join(reasons or [])
        return BulkSummary(
            progress,
            f"{failed} of {total} failed" + (f", {cancelled} cancelled" if cancelled else ""),
            Status.FAILED,
            error=(f"{failed} of {total} failed" + (f": {said}" if said else ""))[:4000],
        )
    if cancelled:
        return BulkSummary(progress, f"{cancelled} of {total} cancelled", Status.CANCELLED)
    return BulkSummary(progress, f"All {total} downloaded", Status.COMPLETED)


def _counts(failed: int, cancelled: int) -> str:
    parts = []
    if failed:
        parts.append(f"{failed} failed")
    if cancelled:
        parts.append(f"{cancelled} cancelled")
    return "".join(f", {part}" for part in parts)


def bulk_count_move(*, parent_id: int, old: str | None, new: str) -> None:
    """An item of bulk job ``parent_id`` went from status ``old`` (None: it is new) to
    ``new``: one UPDATE moves it between the counters. Call it in the transaction of the
    item's own conditional UPDATE, after that UPDATE changed the item: the item's row lock
    orders two changes of one item, F() makes two items' changes add up."""
    fields = {COUNT_FIELD[new]: F(COUNT_FIELD[new]) + 1}
    if old is not None:
        fields[COUNT_FIELD[old]] = F(COUNT_FIELD[old]) - 1
    Job.objects.filter(pk=parent_id).update(**fields)


def bulk_recount(*, parent_id: int) -> dict[str, int]:
    """Set a bulk job's counters from its items (one grouped query); return the counts.
    For repairs and migrations: the transitions keep them right as items change."""
    by_status = dict(
        Job.objects.filter(parent_id=parent_id)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    counts = {name: by_status.get(status, 0) for name, status in ITEM_COUNTS.items()}
    Job.objects.filter(pk=parent_id).update(
        **{f"items_{name}": value for name, value in counts.items()}
    )
    return counts


def bulk_refresh(*, parent_id: int, publisher: Publisher | None = None) -> Job | None:
    """Recompute a bulk job from its counters (see :func:`bulk_summary`) and finish it when
    its items have all finished. Safe to call from any process at any time; reads one row
    (and, when it finishes failed, the first few failed items).

    Run it once the item's change has committed: two items finishing together must each
    see the other finished, or neither would close the bulk job.
    """
    parent = Job.objects.filter(pk=parent_id).first()
    if parent is None:
        return None
    if sum(parent.item_counts.values()) == 0:
        return parent
    bulk_write_summary(parent=parent, publisher=publisher)
    return parent


def bulk_write_summary(*, parent: Job, publisher: Publisher | None = None) -> bool:
    """Write what ``parent``'s counters (as read) say about it; True when it was written.

    A conditional update on an active parent, so two items finishing together finish it
    once; the final state only while its counters are still those read (an item retried
    meanwhile reopened the parent: a stale "failed" must not close it again).
    """
    live_progress: dict[int, float] = {}
    if parent.items_running:
        with skipped_while_down("live figures"):
            live_progress = live.children_progress(parent.pk)
    counts = parent.item_counts
    reasons = _failure_reasons(parent) if _final(counts) and counts["failed"] else None
    summary = bulk_summary(counts, live_progress, reasons)
    fields: dict = {"progress": summary.progress, "message": summary.message}
    target = Job.objects.filter(pk=parent.pk, status__in=Job.ACTIVE_STATUSES)
    if summary.status is not None:
        fields.update(status=summary.status, error=summary.error, finished_at=timezone.now())
        target = target.filter(**{f"items_{name}": value for name, value in counts.items()})
    with transaction.atomic():
        if not target.update(**fields):
            return False
        parent.refresh_from_db()
        publish_after_commit(parent, publisher=publisher)
    return True


def _final(counts: dict[str, int]) -> bool:
    return counts["queued"] == 0 and counts["running"] == 0


def _failure_reasons(parent: Job) -> list[str]:
    """ "title: error" of the first failed items (one query of a few rows)."""
    failed = (
        Job.objects.filter(parent_id=parent.pk, status=Status.FAILED)
        .select_related("video")
        .order_by("id")[:_REASONS_SHOWN]
    )
    return [f"{_title(item)}: {item.error}" for item in failed]


def _title(job: Job) -> str:
    return (job.video.title or job.video.source_url) if job.video_id else f"job #{job.pk}"


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

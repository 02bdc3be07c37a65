"""Jobs right now and lately, from the database (the truth for jobs): what runs, how many
finished, how long downloads take, and why jobs failed."""

from __future__ import annotations

import math
import re
import statistics
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jobs import kinds
from jobs.models import Job

Status = Job.Status


def work_jobs() -> QuerySet[Job]:
    """Jobs that do work themselves (a parent job, such as a bulk download, only groups its
    children)."""
    return Job.objects.filter(kind__in=kinds.names(has_children=False))


def running_jobs(*, limit: int = 50) -> list[dict]:
    jobs = (
        work_jobs()
        .filter(status=Status.PROCESSING)
        .select_related("video")
        .order_by("started_at", "id")[:limit]
    )
    return [
        {
            "id": job.pk,
            "kind": job.kind,
            "video_id": job.video_id,
            "title": (job.video.title or job.video.source_url) if job.video else "",
            "worker": job.worker,
            "started_at": job.started_at,
            "heartbeat_at": job.heartbeat_at,
            "progress": job.progress,
            "message": job.message,
            "attempts": job.attempts,
        }
        for job in jobs
    ]


def finished_counts(*, now: datetime | None = None) -> dict[str, dict[str, int]]:
    """``{"hour": {"completed", "failed", "cancelled"}, "day": {...}}`` by finish time."""
    now = now or timezone.now()
    hour, day = now - timedelta(hours=1), now - timedelta(days=1)
    statuses = (Status.COMPLETED, Status.FAILED, Status.CANCELLED)
    aggregates = {}
    for window, since in (("hour", hour), ("day", day)):
        for status in statuses:
            aggregates[f"{window}_{status}"] = Count(
                "id", filter=Q(status=status, finished_at__gte=since)
            )
    # The finish-time index holds status and kind: counted from the index alone.
    row = work_jobs().filter(finished_at__gte=day, status__in=statuses).aggregate(**aggregates)
    return {
        window: {status: row[f"{window}_{status}"] or 0 for status in statuses}
        for window in ("hour", "day")
    }


def percentile(sorted_values: list[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default); None when empty."""
    if not sorted_values:
        return None
    position = (len(sorted_values) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    weight = position - low
    return sorted_values[low] * (1 - weight) + sorted_values[high] * weight


def download_time_stats(
    *, now: datetime | None = None, window: timedelta = timedelta(days=1), limit: int = 5000
) -> dict:
    """Median and 95th percentile (seconds) of the downloads completed in ``window``.

    Over at most the ``limit`` most recent, computed in Python so SQLite and PostgreSQL agree.
    """
    now = now or timezone.now()
    rows = (
        Job.objects.filter(
            kind__in=kinds.names(counts_as_download=True),
            status=Status.COMPLETED,
            finished_at__gte=now - window,
            started_at__isnull=False,
        )
        .order_by("-finished_at")
        .values_list("started_at", "finished_at")[:limit]
    )
    durations = sorted(max((end - start).total_seconds(), 0.0) for start, end in rows)
    return {
        "count": len(durations),
        "median": statistics.median(durations) if durations else None,
        "p95": percentile(durations, 0.95),
        "window_hours": window.total_seconds() / 3600,
    }


# A URL, without the punctuation that ends the sentence around it.
_URL = re.compile(r"https?://\S+?(?=[.,;:!?)\]]*(?:\s|$))")

_NUMBER = re.compile(r"\b\d+(\.\d+)?\b")

_ATTEMPTS = re.compile(r"\s*Gave up after \d+ attempts\.$")


def error_reason(error: str) -> str:
    """The reason of an error, without what differs from one job to the next (URLs, numbers),
    so that the same failure on many videos groups into one line."""
    text = _ATTEMPTS.sub("", error.strip().splitlines()[0] if error.strip() else "")
    text = _URL.sub("<url>", text)
    text = _NUMBER.sub("N", text)
    return " ".join(text.split()) or "(no reason recorded)"


def recent_errors(
    *, now: datetime | None = None, window: timedelta = timedelta(days=1), limit: int = 1000
) -> list[dict]:
    """Failed jobs of the last ``window`` grouped by reason, the most frequent first:
    ``[{"reason", "count", "last_at", "job_ids" (up to 10, newest first), "example"}]``."""
    now = now or timezone.now()
    rows = (
        work_jobs()
        .filter(status=Status.FAILED, finished_at__gte=now - window)
        .order_by("-finished_at", "-id")
        .values_list("id", "error", "finished_at")[:limit]
    )
    groups: dict[str, dict] = {}
    for job_id, error, finished_at in rows:
        reason = error_reason(error)
        group = groups.setdefault(
            reason,
            {"reason": reason, "count": 0, "last_at": finished_at, "job_ids": [], "example": error},
        )
        group["count"] += 1
        if len(group["job_ids"]) < 10:
            group["job_ids"].append(job_id)
    return sorted(groups.values(), key=lambda g: (-g["count"], -g["last_at"].timestamp()))


def jobs_by_state() -> dict[tuple[str, str], int]:
    """``{(kind, status): count}`` over the job rows kept (see the jobs.retention_days setting).

    Grouped in the order of the ``job_state`` index and counted with ``*``: the database
    reads that index alone, never the rows.
    """
    rows = Job.objects.order_by().values_list("status", "kind").annotate(n=Count("*"))
    return {(kind, status): n for status, kind, n in rows}

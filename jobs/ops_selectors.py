"""Reading what operators need: queue depths, running jobs, outcomes, timings, errors, totals.

Figures come from the database (the truth for jobs) and from the broker's Redis keys (the
truth for messages). The Redis broker keeps, under its namespace ``ns``:

- ``ns:<queue>``: a list of message ids waiting for a worker;
- ``ns:<queue>.msgs``: a hash of every message not yet acknowledged (waiting, prefetched by
  a worker, or running);
- ``ns:<queue>.DQ.msgs``: the same for delayed messages (retries, deferred downloads);
- ``ns:<queue>.XQ``: a sorted set of dead-lettered message ids.
"""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import dramatiq
from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils import timezone
from dramatiq.common import dq_name, xq_name

from jobs import live
from jobs.models import Job
from jobs.queueing import ACTOR_DOWNLOAD, ACTOR_DOWNLOAD_BULK_ITEM, ACTOR_PROBE

Kind = Job.Kind
Status = Job.Status

JOB_ACTORS = frozenset({ACTOR_DOWNLOAD, ACTOR_DOWNLOAD_BULK_ITEM, ACTOR_PROBE})
# Upper bounds (seconds) of the download-duration histogram; +Inf is implied.
DURATION_BUCKETS = (5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1200.0, 1800.0, 3600.0)
PRUNED_TOTALS_KEY = "mvidarr:metrics:pruned"


def job_queues() -> list[str]:
    return [settings.QUEUE_INTERACTIVE, settings.QUEUE_BULK]


# --- the broker -------------------------------------------------------------------------
def queue_depths() -> dict[str, dict[str, int]]:
    """``{queue: {"waiting", "taken", "delayed", "dead"}}`` message counts.

    ``waiting``: no worker has it yet; ``taken``: prefetched or running in a worker;
    ``delayed``: due later (a retry's backoff, a download deferred for a busy site);
    ``dead``: dead-lettered (an actor raised), kept a day for inspection.
    """
    broker = dramatiq.get_broker()
    ns = broker.namespace
    pipe = broker.client.pipeline(transaction=False)
    queues = job_queues()
    for queue in queues:
        pipe.llen(f"{ns}:{queue}")
        pipe.hlen(f"{ns}:{queue}.msgs")
        pipe.hlen(f"{ns}:{dq_name(queue)}.msgs")
        pipe.zcard(f"{ns}:{xq_name(queue)}")
    values = pipe.execute()
    depths = {}
    for index, queue in enumerate(queues):
        waiting, unacked, delayed, dead = values[4 * index : 4 * index + 4]
        depths[queue] = {
            "waiting": int(waiting),
            "taken": max(int(unacked) - int(waiting), 0),
            "delayed": int(delayed),
            "dead": int(dead),
        }
    return depths


def job_ids_with_messages() -> set[int]:
    """Ids of the jobs that have a message in the broker (waiting, taken or delayed)."""
    broker = dramatiq.get_broker()
    ns = broker.namespace
    found: set[int] = set()
    for queue in job_queues():
        for key in (f"{ns}:{queue}.msgs", f"{ns}:{dq_name(queue)}.msgs"):
            for _, data in broker.client.hscan_iter(key, count=500):
                try:
                    message = dramatiq.Message.decode(data)
                except Exception:  # a message we cannot read is not one of ours
                    continue
                if message.actor_name in JOB_ACTORS and message.args:
                    found.add(int(message.args[0]))
    return found


# --- jobs right now ---------------------------------------------------------------------
def work_jobs() -> QuerySet[Job]:
    """Jobs that do work themselves (a bulk job only groups its children)."""
    return Job.objects.exclude(kind=Kind.BULK_VIDEO_DOWNLOAD)


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
    row = work_jobs().filter(finished_at__gte=day).aggregate(**aggregates)
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
            kind=Kind.VIDEO_DOWNLOAD,
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
    """``{(kind, status): count}`` over the job rows kept (see JOB_RETENTION_DAYS)."""
    rows = Job.objects.values_list("kind", "status").annotate(n=Count("id"))
    return {(kind, status): n for kind, status, n in rows}


# --- running totals, for metrics ----------------------------------------------------------
@dataclass
class JobTotals:
    """Sums over a set of job rows; the pruned rows' sums are kept in Redis and added back,
    so totals only grow when housekeeping deletes old rows."""

    finished: dict[tuple[str, str], int] = field(default_factory=dict)
    retries: int = 0
    downloaded_bytes: int = 0
    # Cumulative counts for DURATION_BUCKETS (same order), then count and sum in seconds.
    duration_buckets: list[int] = field(default_factory=lambda: [0] * len(DURATION_BUCKETS))
    duration_count: int = 0
    duration_sum: float = 0.0

    def __add__(self, other: JobTotals) -> JobTotals:
        finished = dict(self.finished)
        for key, value in other.finished.items():
            finished[key] = finished.get(key, 0) + value
        return JobTotals(
            finished=finished,
            retries=self.retries + other.retries,
            downloaded_bytes=self.downloaded_bytes + other.downloaded_bytes,
            duration_buckets=[
                a + b for a, b in zip(self.duration_buckets, other.duration_buckets, strict=True)
            ],
            duration_count=self.duration_count + other.duration_count,
            duration_sum=self.duration_sum + other.duration_sum,
        )

    def to_fields(self) -> dict[str, float]:
        """Flat ``{field: number}`` for a Redis hash."""
        fields: dict[str, float] = {
            "retries": self.retries,
            "downloaded_bytes": self.downloaded_bytes,
            "duration_count": self.duration_count,
            "duration_sum": self.duration_sum,
        }
        for bound, count in zip(DURATION_BUCKETS, self.duration_buckets, strict=True):
            fields[f"bucket:{bound:g}"] = count
        for (kind, status), count in self.finished.items():
            fields[f"finished:{kind}:{status}"] = count
        return fields

    @classmethod
    def from_fields(cls, fields: dict[str, str | bytes]) -> JobTotals:
        values = {(k.decode() if isinstance(k, bytes) else k): float(v) for k, v in fields.items()}
        finished = {}
        for name, value in values.items():
            if name.startswith("finished:"):
                _, kind, status = name.split(":", 2)
                finished[(kind, status)] = int(value)
        return cls(
            finished=finished,
            retries=int(values.get("retries", 0)),
            downloaded_bytes=int(values.get("downloaded_bytes", 0)),
            duration_buckets=[int(values.get(f"bucket:{b:g}", 0)) for b in DURATION_BUCKETS],
            duration_count=int(values.get("duration_count", 0)),
            duration_sum=values.get("duration_sum", 0.0),
        )


def job_totals(jobs: QuerySet[Job] | None = None) -> JobTotals:
    """Totals over ``jobs`` (every row by default), in two aggregate queries.

    Retries are attempts beyond the first of finished jobs; bytes are the file sizes of the
    videos that completed downloads produced; durations are ``finished_at - started_at`` of
    completed video downloads.
    """
    jobs = Job.objects.all() if jobs is None else jobs
    finished_statuses = list(Job.FINISHED_STATUSES)
    finished = {
        (kind, status): n
        for kind, status, n in jobs.filter(status__in=finished_statuses)
        .order_by()
        .values_list("kind", "status")
        .annotate(n=Count("id"))
    }
    downloads = Q(kind=Kind.VIDEO_DOWNLOAD, status=Status.COMPLETED, started_at__isnull=False)
    aggregates = {
        "retries": Sum(F("attempts") - 1, filter=Q(status__in=finished_statuses, attempts__gt=1)),
        "downloaded_bytes": Sum("video__file_size", filter=downloads),
        "duration_count": Count("id", filter=downloads),
        "duration_sum": Sum("duration", filter=downloads),
    }
    for index, bound in enumerate(DURATION_BUCKETS):
        aggregates[f"bucket_{index}"] = Count(
            "id", filter=downloads & Q(duration__lte=timedelta(seconds=bound))
        )
    row = jobs.annotate(
        duration=ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
    ).aggregate(**aggregates)
    duration_sum = row["duration_sum"]
    return JobTotals(
        finished=finished,
        retries=int(row["retries"] or 0),
        downloaded_bytes=int(row["downloaded_bytes"] or 0),
        duration_buckets=[int(row[f"bucket_{i}"] or 0) for i in range(len(DURATION_BUCKETS))],
        duration_count=int(row["duration_count"] or 0),
        duration_sum=duration_sum.total_seconds() if duration_sum else 0.0,
    )


def pruned_totals() -> JobTotals:
    """What the job rows that housekeeping deleted had added up to."""
    return JobTotals.from_fields(live.client().hgetall(PRUNED_TOTALS_KEY))


def all_time_totals() -> JobTotals:
    return job_totals() + pruned_totals()

"""Running totals for metrics: sums over the job rows, plus what the rows housekeeping
pruned had added up to (kept in Redis), so totals only grow."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum

from jobs import kinds, live
from jobs.models import Job

Status = Job.Status

# Upper bounds (seconds) of the download-duration histogram; +Inf is implied.
DURATION_BUCKETS = (5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1200.0, 1800.0, 3600.0)
PRUNED_TOTALS_KEY = "mvidarr:metrics:pruned"


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
    downloads = Q(
        kind__in=kinds.names(counts_as_download=True),
        status=Status.COMPLETED,
        started_at__isnull=False,
    )
    aggregates = {
        "retries": Sum(F("attempts") - 1, filter=Q(status__in=finished_statuses, attempts__gt=1)),
        "downloaded_bytes": Sum("video__file__size", filter=downloads),
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

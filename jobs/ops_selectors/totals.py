"""Running totals for metrics: sums over the job rows, plus what the rows housekeeping
pruned had added up to (kept in Redis), so totals only grow.

A scrape does not add up every row (a million of them take seconds): the rows that finished
before a moment ``through`` are rolled up once into sums kept in Redis, and a scrape adds
up only the rows since (and those not finished). ``through`` follows the clock, ``ROLL_UP_
LAG`` behind, so a row is rolled up only once it can no longer be written; the sums are
advanced by a compare-and-set, so two scrapes at once never add the same rows twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils import timezone

from jobs import kinds, live
from jobs.models import Job

Status = Job.Status

# Upper bounds (seconds) of the download-duration histogram; +Inf is implied.
DURATION_BUCKETS = (5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1200.0, 1800.0, 3600.0)
PRUNED_TOTALS_KEY = "mvidarr:metrics:pruned"
ROLLED_TOTALS_KEY = "mvidarr:metrics:rolled"
THROUGH = "through"  # the field of ROLLED_TOTALS_KEY: the epoch seconds rolled up to
# A job's row is written when it finishes, with finished_at = now: a row that finished this
# long ago is rolled up for good (a retry clears finished_at, and its next finish counts anew).
ROLL_UP_LAG = timedelta(minutes=10)

# Add the sums to the rolled-up totals and move ``through`` on, only if no one else moved it
# since it was read (ARGV[1]: the value read, "" for none; ARGV[2]: the new one).
_ADVANCE = """
local current = redis.call('hget', KEYS[1], 'through') or ''
if current ~= ARGV[1] then return 0 end
for i = 3, #ARGV, 2 do
  redis.call('hincrbyfloat', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('hset', KEYS[1], 'through', ARGV[2])
return 1
"""


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
        values.pop(THROUGH, None)
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
    """Totals over ``jobs`` (every row by default), in one aggregate query.

    Retries are attempts beyond the first of finished jobs; bytes are the file sizes of the
    videos that completed downloads produced; durations are ``finished_at - started_at`` of
    completed video downloads.
    """
    jobs = Job.objects.all() if jobs is None else jobs
    finished_statuses = list(Job.FINISHED_STATUSES)
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
    # Finished jobs by kind and state, counted in the same pass: a GROUP BY would lead
    # SQLite's planner to the state index (in its order) instead of the finish-time range.
    states = [(kind, status) for kind in kinds.names() for status in finished_statuses]
    for n, (kind, status) in enumerate(states):
        aggregates[f"finished_{n}"] = Count("id", filter=Q(kind=kind, status=status))
    row = jobs.annotate(
        duration=ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
    ).aggregate(**aggregates)
    duration_sum = row["duration_sum"]
    finished = {
        state: row[f"finished_{n}"] for n, state in enumerate(states) if row[f"finished_{n}"]
    }
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


def rolled_up_totals() -> tuple[JobTotals, datetime | None]:
    """The sums of the rows that finished before ``through``, and ``through`` (None: no row
    has been rolled up yet)."""
    fields = {
        (k.decode() if isinstance(k, bytes) else k): v
        for k, v in live.client().hgetall(ROLLED_TOTALS_KEY).items()
    }
    through = fields.get(THROUGH)
    moment = datetime.fromtimestamp(float(through), tz=UTC) if through else None
    return JobTotals.from_fields(fields), moment


def roll_up_totals(*, now: datetime | None = None) -> tuple[JobTotals, datetime | None]:
    """Roll the rows that finished since ``through`` and ``ROLL_UP_LAG`` before ``now`` into
    the sums in Redis; return the sums and ``through`` as they then are."""
    client = live.client()
    raw = client.hget(ROLLED_TOTALS_KEY, THROUGH)
    read = raw.decode() if isinstance(raw, bytes) else (raw or "")
    totals, through = rolled_up_totals()
    target = (now or timezone.now()) - ROLL_UP_LAG
    if through is not None and target <= through:
        return totals, through
    rows = Job.objects.filter(finished_at__lt=target)
    if through is not None:
        rows = rows.filter(finished_at__gte=through)
    delta = job_totals(rows)
    args: list[str] = [read, repr(target.timestamp())]
    for name, value in delta.to_fields().items():
        if value:
            args += [name, repr(float(value))]
    if client.register_script(_ADVANCE)(keys=[ROLLED_TOTALS_KEY], args=args):
        return totals + delta, datetime.fromtimestamp(target.timestamp(), tz=UTC)
    return rolled_up_totals()  # another process rolled up meanwhile: its sums are the ones


def not_rolled_up(jobs: QuerySet[Job], through: datetime | None) -> QuerySet[Job]:
    """The rows of ``jobs`` whose sums are not in the rolled-up totals (a row that has not
    finished adds nothing to them)."""
    if through is None:
        return jobs
    return jobs.filter(finished_at__gte=through)


def all_time_totals(*, now: datetime | None = None) -> JobTotals:
    """Every row's sums, the rolled-up ones and the pruned ones: bounded work per scrape."""
    rolled, through = roll_up_totals(now=now)
    return job_totals(not_rolled_up(Job.objects.all(), through)) + rolled + pruned_totals()

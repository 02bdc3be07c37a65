"""``/metrics``: Prometheus figures computed when Prometheus scrapes.

Queue depth, workers and jobs by state are gauges read from Redis and the database at scrape
time, so every web process reports the same figures and nothing is lost when one restarts.

Counters that must add up across processes and restarts (downloaded bytes, retries,
finished jobs, the download-duration histogram) are derived from the job rows too, plus what
housekeeping pruned (kept in Redis). A counter must never go down, and rows can disappear
(a deleted video takes its jobs with it) or leave a finished state (a retried job), so each
exposed value is the highest ever exposed: a high-water mark kept in Redis.

Web request latency is the only figure measured in the process itself (a histogram filled by
:mod:`mvidarr.ops.middleware`); with several web processes, sum them in PromQL.
"""

from __future__ import annotations

import logging

import redis
from django.conf import settings
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    InfoMetricFamily,
)
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString

from jobs import live
from jobs.ops_selectors import (
    DURATION_BUCKETS,
    JobTotals,
    all_time_totals,
    jobs_by_state,
    queue_depths,
)
from mvidarr.ops.health import broker_namespace
from mvidarr.ops.version import app_version, ytdlp_version
from mvidarr.ops.workers import live_workers_by_queue, read_workers

logger = logging.getLogger(__name__)

HIGH_WATER_KEY = "mvidarr:metrics:high"

# Raise each field to at least the given value; return the stored (highest) values.
_RAISE_TO = """
local out = {}
for i = 1, #ARGV, 2 do
  local stored = tonumber(redis.call('hget', KEYS[1], ARGV[i]))
  local value = tonumber(ARGV[i + 1])
  if stored == nil or value > stored then
    redis.call('hset', KEYS[1], ARGV[i], ARGV[i + 1])
    stored = value
  end
  out[#out + 1] = string.format('%.17g', stored)
end
return out
"""


def monotonic(client: redis.Redis, values: dict[str, float]) -> dict[str, float]:
    """``values`` raised to the highest value each field ever had (atomically, in Redis)."""
    if not values:
        return {}
    names = list(values)
    args: list[str] = []
    for name in names:
        args += [name, repr(float(values[name]))]
    stored = client.register_script(_RAISE_TO)(keys=[HIGH_WATER_KEY], args=args)
    return {name: float(value) for name, value in zip(names, stored, strict=True)}


def monotonic_totals(totals: JobTotals) -> JobTotals:
    fields = monotonic(live.client(), totals.to_fields())
    return JobTotals.from_fields({name: str(value) for name, value in fields.items()})


class OpsCollector(Collector):
    """Everything MVidarr knows about its queues and jobs, read at scrape time."""

    def collect(self):
        info = InfoMetricFamily("mvidarr_build", "Versions of MVidarr and yt-dlp.")
        info.add_metric([], {"version": app_version(), "yt_dlp": ytdlp_version()})
        families = [info]
        up = GaugeMetricFamily(
            "mvidarr_dependency_up",
            "Whether a dependency answered during this scrape (1) or not (0).",
            labels=["dependency"],
        )
        for dependency, part in (
            ("redis", self._redis_families),
            ("database", self._job_families),
            (None, self._total_families),  # needs both; counted under them
        ):
            try:
                families += list(part())
            except Exception:
                logger.warning("metrics: could not read %s", dependency or "totals", exc_info=True)
                if dependency:
                    up.add_metric([dependency], 0)
            else:
                if dependency:
                    up.add_metric([dependency], 1)
        families.append(up)
        return families

    def _redis_families(self):
        depth = GaugeMetricFamily(
            "mvidarr_queue_messages",
            "Messages in a queue by state: waiting (for a worker), taken (prefetched or "
            "running), delayed (due later), dead (dead-lettered).",
            labels=["queue", "state"],
        )
        for queue, states in queue_depths().items():
            for state, count in states.items():
                depth.add_metric([queue, state], count)
        yield depth

        workers = GaugeMetricFamily(
            "mvidarr_workers",
            "Workers consuming a queue with a heartbeat within READY_WORKER_WINDOW_SECONDS.",
            labels=["queue"],
        )
        records = read_workers(live.client(), broker_namespace())
        by_queue = live_workers_by_queue(
            records, list(settings.READY_QUEUES), window=settings.READY_WORKER_WINDOW_SECONDS
        )
        for queue, live_workers in by_queue.items():
            workers.add_metric([queue], len(live_workers))
        yield workers

    def _job_families(self):
        jobs = GaugeMetricFamily(
            "mvidarr_jobs",
            "Job rows kept (see the jobs.retention_days setting) by kind and state.",
            labels=["kind", "status"],
        )
        for (kind, status), count in sorted(jobs_by_state().items()):
            jobs.add_metric([kind, status], count)
        yield jobs

    def _total_families(self):
        totals = monotonic_totals(all_time_totals())
        finished = CounterMetricFamily(
            "mvidarr_jobs_finished",
            "Jobs that finished, by kind and outcome.",
            labels=["kind", "status"],
        )
        for (kind, status), count in sorted(totals.finished.items()):
            finished.add_metric([kind, status], count)
        yield finished
        yield CounterMetricFamily(
            "mvidarr_downloaded_bytes",
            "Bytes of the files that completed downloads stored in the library.",
            value=totals.downloaded_bytes,
        )
        yield CounterMetricFamily(
            "mvidarr_job_retries",
            "Attempts beyond the first, of finished jobs (transient errors, stopped workers).",
            value=totals.retries,
        )
        durations = HistogramMetricFamily(
            "mvidarr_download_duration_seconds",
            "Time from claim to completion of completed video downloads.",
        )
        buckets = [
            (floatToGoString(bound), count)
            for bound, count in zip(DURATION_BUCKETS, totals.duration_buckets, strict=True)
        ]
        buckets.append(("+Inf", totals.duration_count))
        durations.add_metric([], buckets=buckets, sum_value=totals.duration_sum)
        yield durations


class _Both:
    def __init__(self, *sources) -> None:
        self.sources = sources

    def collect(self):
        for source in self.sources:
            yield from source.collect()


def render() -> bytes:
    """The exposition text: this process's own metrics, then the collector's."""
    scrape = CollectorRegistry(auto_describe=False)
    scrape.register(OpsCollector())
    return generate_latest(_Both(REGISTRY, scrape))

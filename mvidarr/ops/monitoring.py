"""The staff monitoring page's figures, as one JSON-ready dict."""

from __future__ import annotations

import time
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from jobs import live
from jobs.ops_selectors import (
    download_time_stats,
    finished_counts,
    queue_depths,
    recent_errors,
    running_jobs,
)
from mvidarr.ops.health import broker_namespace
from mvidarr.ops.workers import read_workers


def ops_snapshot(*, now: datetime | None = None) -> dict:
    """Queues, running jobs, outcomes, download times, workers and grouped recent errors.

    Redis figures are ``None`` (with ``redis_error`` set) when Redis does not answer, so the
    page still shows what the database knows.
    """
    now = now or timezone.now()
    snapshot: dict = {
        "generated_at": now.isoformat(),
        "running": [_jsonable(job) for job in running_jobs()],
        "finished": finished_counts(now=now),
        "download_time": download_time_stats(now=now),
        "errors": [_jsonable(group) for group in recent_errors(now=now)],
        "queues": None,
        "workers": None,
        "redis_error": "",
    }
    try:
        snapshot["queues"] = queue_depths()
        epoch = time.time()
        window = settings.READY_WORKER_WINDOW_SECONDS
        workers = []
        for record in read_workers(live.client(), broker_namespace()):
            row = record.as_dict(epoch)
            row["alive"] = record.age(epoch) <= window
            row["last_seen"] = datetime.fromtimestamp(record.last_seen, tz=now.tzinfo).isoformat()
            workers.append(row)
        snapshot["workers"] = workers
    except Exception as exc:
        snapshot["redis_error"] = (
            f"Redis did not answer ({exc}); queue and worker figures are missing."
        )
    return snapshot


def _jsonable(row: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()}

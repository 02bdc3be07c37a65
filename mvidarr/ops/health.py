"""Readiness: is every dependency of MVidarr there? One dict, for ``/readyz`` and its tests.

Fatal checks (the process cannot do its work): the database, Redis, and a worker heartbeat on
every job queue. Warnings (downloads work, some worse): the JavaScript runtime yt-dlp needs
for YouTube, and ffmpeg.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import redis
from django.conf import settings

from mvidarr.config import redact
from mvidarr.ops.workers import live_workers_by_queue, read_workers
from mvidarr.services import check_database, check_redis, first_line
from videos import ytdlp
from videos.services import ytdlp_config


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str
    warning: bool = False

    def as_dict(self) -> dict:
        data: dict = {"ok": self.ok, "detail": self.detail}
        if self.warning:
            data["warning"] = True
        return data


def broker_namespace() -> str:
    return settings.DRAMATIQ_BROKER.get("OPTIONS", {}).get("namespace", "dramatiq")


def redis_client(url: str, *, timeout: float = 2.0) -> redis.Redis:
    """A short-timeout client of its own: a health check must answer even when Redis hangs."""
    return redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)


def check_workers(
    *, redis_url: str | None = None, queues: list[str] | None = None, window: float | None = None
) -> dict[str, Check]:
    """``{"worker:<queue>": Check}``: a worker heartbeat within ``window`` s on each queue."""
    url = redis_url or settings.REDIS_URL
    queues = list(queues or settings.READY_QUEUES)
    window = settings.READY_WORKER_WINDOW_SECONDS if window is None else window
    client = redis_client(url)
    try:
        records = read_workers(client, broker_namespace())
    except Exception as exc:
        detail = f"Cannot read worker heartbeats from Redis at {redact(url)} ({first_line(exc)})."
        return {f"worker:{queue}": Check(False, detail) for queue in queues}
    finally:
        client.close()
    now = time.time()
    checks = {}
    for queue, live in live_workers_by_queue(records, queues, window=window, now=now).items():
        if live:
            newest = min(record.age(now) for record in live)
            checks[f"worker:{queue}"] = Check(
                True,
                f"{len(live)} worker{'s' if len(live) != 1 else ''} on the {queue} queue; "
                f"last heartbeat {newest:.0f} s ago",
            )
        else:
            checks[f"worker:{queue}"] = Check(
                False,
                f"No worker has sent a heartbeat for the {queue} queue in the last "
                f"{window:.0f} s; start a worker that consumes it (make run, or the worker "
                "service of docker compose).",
            )
    return checks


def check_js_runtime() -> Check:
    runtime, sentence = ytdlp.js_runtime_status(ytdlp_config())
    return Check(runtime is not None, sentence, warning=True)


def check_ffmpeg() -> Check:
    try:
        path = ytdlp.ffmpeg_path(ytdlp_config())
    except Exception as exc:  # imageio-ffmpeg raises when it has no binary for this platform
        return Check(False, f"ffmpeg not found ({first_line(exc)}); set FFMPEG_PATH.", True)
    if not os.path.isfile(path) or not os.access(path, os.X_OK):
        return Check(
            False,
            f"ffmpeg not found at {path}; install it or set FFMPEG_PATH. Videos whose "
            "audio and video come separately cannot be merged without it.",
            warning=True,
        )
    return Check(True, f"ffmpeg at {path}", warning=True)


def readiness(*, database: str = "default", redis_url: str | None = None) -> dict:
    """``{"status": "ok" | "fail", "checks": {name: {"ok", "detail", "warning"?}}}``.

    ``status`` is ``fail`` when any check that is not a warning fails.
    """
    url = redis_url or settings.REDIS_URL
    db = check_database(database)
    cache = check_redis(url)
    checks: dict[str, Check] = {
        "database": Check(db.ok, db.detail),
        "redis": Check(cache.ok, cache.detail),
    }
    checks.update(check_workers(redis_url=url))
    checks["js_runtime"] = check_js_runtime()
    checks["ffmpeg"] = check_ffmpeg()
    healthy = all(check.ok for check in checks.values() if not check.warning)
    return {
        "status": "ok" if healthy else "fail",
        "checks": {name: check.as_dict() for name, check in checks.items()},
    }

"""Container health checks: ``python -m mvidarr.ops.probe worker|scheduler``.

Exit status 0 when healthy, 1 otherwise, with one line saying why (Docker keeps the last few
in ``docker inspect``). Reads settings without starting Django, so it costs little.

- ``worker``: a worker process of this container sent a heartbeat within
  READY_WORKER_WINDOW_SECONDS;
- ``scheduler``: a scheduler holds the scheduler's lock in Redis.
"""

from __future__ import annotations

import os
import socket
import sys

import redis
from django.conf import settings

from mvidarr.ops.workers import read_workers

# dramatiq-crontab's lock, held by the one running scheduler.
SCHEDULER_LOCK = "dramatiq-scheduler"


def probe_worker() -> str:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3, socket_timeout=3)
    namespace = settings.DRAMATIQ_BROKER.get("OPTIONS", {}).get("namespace", "dramatiq")
    host = socket.gethostname()
    window = settings.READY_WORKER_WINDOW_SECONDS
    mine = [r for r in read_workers(client, namespace) if r.host == host and r.age() <= window]
    if not mine:
        raise RuntimeError(f"no heartbeat from a worker on {host} in the last {window} s")
    return f"{len(mine)} worker process(es) beating on {', '.join(mine[0].queues)}"


def probe_scheduler() -> str:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3, socket_timeout=3)
    if not client.exists(SCHEDULER_LOCK):
        raise RuntimeError("no scheduler holds the scheduler lock")
    return "a scheduler is running"


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mvidarr.settings")
    what = argv[1] if len(argv) > 1 else ""
    probes = {
        "worker": probe_worker,
        "scheduler": probe_scheduler,
    }
    if what not in probes:
        print(f"unknown probe {what!r}; use one of {', '.join(probes)}", file=sys.stderr)
        return 2
    try:
        print(probes[what]())
    except Exception as exc:
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Worker heartbeats in Redis: which worker consumes which queue, and what it runs now.

Dramatiq's Redis broker keeps one heartbeat per broker connection, but not which queues a
worker consumes; :class:`mvidarr.ops.heartbeat.WorkerHeartbeat` writes, every few seconds,

- ``<namespace>:worker:<worker id>``: a hash ``{host, pid, queues, threads, last_seen,
  current_jobs}`` that expires by itself when its worker dies, and
- ``<namespace>:workers``: a sorted set of worker ids by last heartbeat, to find the hashes.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

import redis

# A worker's record outlives its last heartbeat by this many intervals, so one slow write
# does not make a live worker vanish.
TTL_INTERVALS = 3


@dataclass
class WorkerRecord:
    worker_id: str
    host: str
    pid: int
    queues: list[str]
    last_seen: float  # seconds since the epoch
    threads: int = 0
    current_jobs: list[int] = field(default_factory=list)

    def age(self, now: float | None = None) -> float:
        return max(0.0, (time.time() if now is None else now) - self.last_seen)

    def as_dict(self, now: float | None = None) -> dict:
        return {
            "worker_id": self.worker_id,
            "host": self.host,
            "pid": self.pid,
            "queues": self.queues,
            "threads": self.threads,
            "last_seen": self.last_seen,
            "age_seconds": round(self.age(now), 1),
            "current_jobs": self.current_jobs,
        }


def worker_key(namespace: str, worker_id: str) -> str:
    return f"{namespace}:worker:{worker_id}"


def index_key(namespace: str) -> str:
    return f"{namespace}:workers"


def write_heartbeat(
    client: redis.Redis, namespace: str, record: WorkerRecord, *, interval: float
) -> None:
    """Store ``record`` with a TTL of a few heartbeat intervals (at least a minute)."""
    ttl = max(60, int(interval * TTL_INTERVALS) + 1)
    key = worker_key(namespace, record.worker_id)
    pipe = client.pipeline(transaction=False)
    pipe.hset(
        key,
        mapping={
            "host": record.host,
            "pid": record.pid,
            "queues": ",".join(record.queues),
            "threads": record.threads,
            "last_seen": repr(record.last_seen),
            "current_jobs": json.dumps(record.current_jobs),
        },
    )
    pipe.expire(key, ttl)
    pipe.zadd(index_key(namespace), {record.worker_id: record.last_seen})
    # Forget index entries whose hash expired long ago (workers that died without a goodbye).
    pipe.zremrangebyscore(index_key(namespace), "-inf", record.last_seen - 86_400)
    pipe.execute()


def remove_heartbeat(client: redis.Redis, namespace: str, worker_id: str) -> None:
    pipe = client.pipeline(transaction=False)
    pipe.delete(worker_key(namespace, worker_id))
    pipe.zrem(index_key(namespace), worker_id)
    pipe.execute()


def read_workers(client: redis.Redis, namespace: str) -> list[WorkerRecord]:
    """Every worker whose record has not expired, most recent heartbeat first."""
    ids = [
        member.decode() if isinstance(member, bytes) else member
        for member in client.zrevrange(index_key(namespace), 0, -1)
    ]
    if not ids:
        return []
    pipe = client.pipeline(transaction=False)
    for worker_id in ids:
        pipe.hgetall(worker_key(namespace, worker_id))
    records = []
    for worker_id, raw in zip(ids, pipe.execute(), strict=True):
        if not raw:
            continue
        values = {
            (k.decode() if isinstance(k, bytes) else k): (v.decode() if isinstance(v, bytes) else v)
            for k, v in raw.items()
        }
        records.append(
            WorkerRecord(
                worker_id=worker_id,
                host=values.get("host", ""),
                pid=int(values.get("pid") or 0),
                queues=[q for q in values.get("queues", "").split(",") if q],
                last_seen=float(values.get("last_seen") or 0.0),
                threads=int(values.get("threads") or 0),
                current_jobs=json.loads(values.get("current_jobs") or "[]"),
            )
        )
    return records


def live_workers_by_queue(
    records: list[WorkerRecord], queues: list[str], *, window: float, now: float | None = None
) -> dict[str, list[WorkerRecord]]:
    """For each queue, the workers consuming it whose last heartbeat is within ``window`` s."""
    now = time.time() if now is None else now
    return {
        queue: [r for r in records if queue in r.queues and r.age(now) <= window]
        for queue in queues
    }

"""Live job state in Redis: progress figures, sequence numbers, cancel flags, host slots.

The database row is the truth for a job's state; Redis holds what changes every second
(percent, bytes, speed, ETA) with a TTL, so a hundred downloads need no busy database
connections.
"""

from __future__ import annotations

import functools
import json
import time

import redis
from django.conf import settings

PREFIX = "mvidarr:job"


@functools.cache
def _client(url: str) -> redis.Redis:
    # A connect that hangs (a host gone rather than a port closed) gives up in 2 s: a request
    # that reads live figures answers without them instead of waiting.
    return redis.Redis.from_url(
        url, socket_timeout=10, socket_connect_timeout=2, health_check_interval=30
    )


def client() -> redis.Redis:
    """The process's Redis client for ``settings.REDIS_URL`` (a pool shared by threads)."""
    return _client(settings.REDIS_URL)


def require_redis() -> None:
    """Raise redis' ConnectionError now when Redis is down (before anything is written).

    For what cannot be done without Redis (starting, retrying or cancelling a job): the API
    answers 503 with a sentence (mvidarr.api_errors) instead of writing a row whose message
    cannot be sent.
    """
    client().ping()


def _live_key(job_id: int) -> str:
    return f"{PREFIX}:{job_id}:live"


def _seq_key(job_id: int) -> str:
    return f"{PREFIX}:{job_id}:seq"


def _cancel_key(job_id: int) -> str:
    return f"{PREFIX}:{job_id}:cancel"


def _children_key(parent_id: int) -> str:
    return f"{PREFIX}:{parent_id}:children"


def next_seq(job_id: int) -> int:
    """A number that grows with every change of the job, across processes."""
    return int(client().incr(_seq_key(job_id)))


def write_live(job_id: int, figures: dict, *, parent_id: int | None = None) -> None:
    pipe = client().pipeline(transaction=False)
    pipe.set(_live_key(job_id), json.dumps(figures), ex=settings.JOB_LIVE_TTL_SECONDS)
    if parent_id is not None:
        pipe.hset(_children_key(parent_id), str(job_id), figures.get("progress", 0.0))
        pipe.expire(_children_key(parent_id), settings.JOB_LIVE_TTL_SECONDS)
    pipe.execute()


def clear_live(job_id: int, *, parent_id: int | None = None) -> None:
    """Forget a job's live figures and cancel flag (and its figure in its bulk job's hash)."""
    pipe = client().pipeline(transaction=False)
    pipe.delete(_live_key(job_id), _cancel_key(job_id))
    if parent_id is not None:
        pipe.hdel(_children_key(parent_id), str(job_id))
    pipe.execute()


def read_live(job_ids: list[int]) -> dict[int, dict]:
    """Live figures and seq for each job: ``{id: {"progress", "speed", "eta", ..., "seq"}}``."""
    if not job_ids:
        return {}
    pipe = client().pipeline(transaction=False)
    for job_id in job_ids:
        pipe.get(_live_key(job_id))
        pipe.get(_seq_key(job_id))
    values = pipe.execute()
    result: dict[int, dict] = {}
    for index, job_id in enumerate(job_ids):
        raw, seq = values[2 * index], values[2 * index + 1]
        figures = json.loads(raw) if raw else {}
        figures["seq"] = int(seq) if seq else 0
        result[job_id] = figures
    return result


def forget_child(job_id: int, *, parent_id: int) -> None:
    """Take a finished item's figure out of its bulk job's hash (its live figures stay)."""
    client().hdel(_children_key(parent_id), str(job_id))


def children_progress(parent_id: int) -> dict[int, float]:
    """The live progress of a bulk job's running items: ``{item id: percent}``."""
    raw = client().hgetall(_children_key(parent_id))
    return {int(k): float(v) for k, v in raw.items()}


def request_cancel(job_id: int) -> None:
    client().set(_cancel_key(job_id), "1", ex=86_400)


def cancel_requested(job_id: int) -> bool:
    return bool(client().exists(_cancel_key(job_id)))


def throttle(name: str, seconds: float) -> bool:
    """True at most once per ``seconds`` for ``name`` across every process."""
    return bool(client().set(f"mvidarr:throttle:{name}", "1", nx=True, px=int(seconds * 1000)))


def forget(job_ids: list[int]) -> None:
    """Remove everything Redis holds about these jobs (when their rows are pruned)."""
    keys = []
    for job_id in job_ids:
        keys += [_live_key(job_id), _seq_key(job_id), _cancel_key(job_id), _children_key(job_id)]
    if keys:
        client().delete(*keys)


# --- per-host limits ------------------------------------------------------------------
def _host_key(host: str) -> str:
    return f"mvidarr:host:{host}:slots"


def _host_backoff_key(host: str) -> str:
    return f"mvidarr:host:{host}:backoff"


_ACQUIRE = """
local key, member = KEYS[1], ARGV[1]
local now, stale, limit = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('zremrangebyscore', key, '-inf', now - stale)
if redis.call('zscore', key, member) then
  redis.call('zadd', key, now, member)
  return 1
end
if redis.call('zcard', key) < limit then
  redis.call('zadd', key, now, member)
  redis.call('expire', key, math.ceil(stale) + 60)
  return 1
end
return 0
"""


def acquire_host_slot(host: str, job_id: int, *, limit: int, stale_after: float) -> bool:
    """Take one of ``limit`` slots for ``host``; False when they are all taken or backed off."""
    if client().exists(_host_backoff_key(host)):
        return False
    script = client().register_script(_ACQUIRE)
    return bool(script(keys=[_host_key(host)], args=[job_id, time.time(), stale_after, limit]))


def refresh_host_slot(host: str, job_id: int) -> None:
    client().zadd(_host_key(host), {str(job_id): time.time()}, xx=True)


def release_host_slot(host: str, job_id: int) -> None:
    client().zrem(_host_key(host), str(job_id))


def back_off_host(host: str, seconds: float) -> None:
    if seconds > 0:
        client().set(_host_backoff_key(host), "1", px=int(seconds * 1000))


def host_backoff_remaining(host: str) -> float:
    ttl = client().pttl(_host_backoff_key(host))
    return max(ttl, 0) / 1000.0

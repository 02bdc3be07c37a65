"""Living through a Redis outage: which errors mean "Redis is down", and one log line per outage.

Redis holds what can be lost or rebuilt (live figures, cancel flags, host slots, messages that
housekeeping re-sends); the database holds the truth. So a call to Redis that only keeps
something live is skipped while Redis is down, and the outage is logged once when it starts
and once when it ends, not once per skipped call (a download reports every second).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
import time
from collections.abc import Iterator

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

QUEUE_DOWN = (
    "The job queue (Redis) is not reachable, so downloads cannot be started, retried or "
    "cancelled right now; try again in a minute. The library and your jobs can still be read, "
    "and running downloads go on."
)

# What redis-py raises when the server is stopped, restarting (BusyLoadingError is a
# ConnectionError) or too slow to answer.
REDIS_DOWN: tuple[type[Exception], ...] = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    ConnectionError,  # what redis.asyncio (the channel layer) may let through
)


class Outage:
    """Whether this process found Redis down, so that it says so once per outage.

    Connections pooled before a restart fail once more just after it: a failure within
    ``RELAPSE_SECONDS`` of Redis coming back is the same outage, and is not logged again.
    """

    RELAPSE_SECONDS = 30.0

    def __init__(self, url: str) -> None:
        self.url = url
        self._down = False
        self._quiet = False  # this "outage" is a relapse: neither its start nor end is logged
        self._back_at = float("-inf")
        self._lock = threading.Lock()

    @property
    def down(self) -> bool:
        return self._down

    def went_down(self, exc: BaseException, *, skipped: str) -> None:
        with self._lock:
            if self._down:
                return
            self._down = True
            self._quiet = time.monotonic() - self._back_at < self.RELAPSE_SECONDS
            if self._quiet:
                return
        logger.warning(
            "Redis is unreachable (%s): %s are skipped until it is back. Running downloads go "
            "on; jobs and their results are kept in the database.",
            exc,
            skipped,
        )

    def came_back(self) -> None:
        if not self._down:  # the common case: no lock taken
            return
        with self._lock:
            if not self._down:
                return
            self._down = False
            self._back_at = time.monotonic()
            if self._quiet:
                return
        logger.warning("Redis is reachable again; live progress and cancel checks resume.")


@functools.cache
def _outage(url: str) -> Outage:
    return Outage(url)


def outage() -> Outage:
    """This process's record of an outage of ``settings.REDIS_URL`` (one per URL)."""
    return _outage(settings.REDIS_URL)


@contextlib.contextmanager
def skipped_while_down(what: str) -> Iterator[None]:
    """Run the block; if Redis is down, skip the rest of it (logged once per outage).

    For calls whose only purpose is to keep something live: set the fallback value before
    the block, the real one inside it.
    """
    record = outage()
    try:
        yield
    except REDIS_DOWN as exc:
        record.went_down(exc, skipped=what)
    else:
        record.came_back()

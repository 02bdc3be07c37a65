"""The scheduler through a Redis restart: it waits for Redis and takes its lock again.

Redis is the test's own (``own_redis``); a restart loses every key, the lock included.
"""

from __future__ import annotations

import signal

import redis

from mvidarr.children import ROOT, Child
from mvidarr.scheduler import LOCK_NAME, SchedulerLock
from tests.processes import process_env
from tests.support import wait_until


def lock_holder(url: str) -> bytes | None:
    client = redis.Redis.from_url(url)
    try:
        return client.get(LOCK_NAME)
    except redis.exceptions.ConnectionError:
        return None
    finally:
        client.close()


def test_the_scheduler_lock_is_taken_again_after_a_redis_restart(own_redis):
    events: list[str] = []
    lock = SchedulerLock(
        own_redis.url,
        timeout=2.0,
        refresh=0.2,
        retry=0.1,
        on_acquired=lambda: events.append("acquired"),
        on_lost=lambda: events.append("lost"),
    ).start()
    try:
        wait_until(lock.owned.is_set, timeout=5, message="the lock was never taken")
        own_redis.stop()
        wait_until(lambda: not lock.owned.is_set(), timeout=10, message="the lock was kept")
        own_redis.start()
        wait_until(lock.owned.is_set, timeout=10, message="the lock was not taken again")
        assert events == ["acquired", "lost", "acquired"]
        assert lock_holder(own_redis.url) is not None
    finally:
        lock.stop()
    assert lock_holder(own_redis.url) is None  # released on stop


def test_a_second_scheduler_waits_while_the_first_holds_the_lock(own_redis):
    first = SchedulerLock(own_redis.url, timeout=2.0, refresh=0.2, retry=0.1).start()
    second = SchedulerLock(own_redis.url, timeout=2.0, refresh=0.2, retry=0.1)
    try:
        wait_until(first.owned.is_set, timeout=5)
        second.start()
        assert not second.owned.wait(1.0)
        first.stop()
        wait_until(second.owned.is_set, timeout=5, message="the second never took over")
    finally:
        first.stop()
        second.stop()


def test_the_scheduler_process_survives_a_redis_restart(own_redis, tmp_path):
    scheduler = Child(
        [str(ROOT / "bin" / "mvidarr-python"), "manage.py", "crontab", "--no-heartbeat"],
        env=process_env(REDIS_URL=own_redis.url),
        log=tmp_path / "scheduler.log",
    )
    try:
        wait_until(lambda: lock_holder(own_redis.url), timeout=30, message=scheduler.output())
        own_redis.stop()
        own_redis.start()  # empty: the lock is gone
        wait_until(lambda: lock_holder(own_redis.url), timeout=30, message=scheduler.output())
        assert scheduler.popen.poll() is None, scheduler.output()

        scheduler.popen.send_signal(signal.SIGTERM)
        assert scheduler.popen.wait(15) == 0, scheduler.output()
        assert lock_holder(own_redis.url) is None
    finally:
        scheduler.stop()

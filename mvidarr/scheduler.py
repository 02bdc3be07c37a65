"""The scheduler process (``manage.py crontab``): dramatiq-crontab's schedule, kept going
through a Redis outage.

One scheduler at a time holds a lock in Redis. dramatiq-crontab's own command exits when it
cannot renew that lock ("The lock is no longer owned by the scheduler"), which a Redis
restart causes. Here a :class:`SchedulerLock` thread holds the lock instead: while it is
held the schedule runs; when it is lost (Redis down longer than the lock lives, or restarted
without it) the schedule pauses, and the lock is taken again as soon as Redis lets it.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable

import redis
from apscheduler.events import EVENT_SCHEDULER_STARTED
from apscheduler.schedulers.base import STATE_STOPPED, BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from django.utils import timezone
from redis.exceptions import LockError

from jobs.preferences import HOUSEKEEPING_CRON
from mvidarr.redis_outage import REDIS_DOWN
from preferences.selectors import setting_get

logger = logging.getLogger(__name__)

LOCK_NAME = "dramatiq-scheduler"  # dramatiq-crontab's: a scheduler of either kind waits


class SchedulerLock:
    """Holds the scheduler lock while it can and takes it again when it was lost.

    ``on_acquired`` and ``on_lost`` are called from this object's thread. ``owned`` is set
    while the lock is held.
    """

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 10.0,
        refresh: float = 5.0,
        retry: float = 1.0,
        on_acquired: Callable[[], None] = lambda: None,
        on_lost: Callable[[], None] = lambda: None,
    ) -> None:
        self.client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
        self.lock = self.client.lock(LOCK_NAME, timeout=timeout, thread_local=False)
        self.timeout, self.refresh, self.retry = timeout, refresh, retry
        self.on_acquired, self.on_lost = on_acquired, on_lost
        self.owned = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="scheduler-lock", daemon=True)
        self._waiting_said = ""

    def start(self) -> SchedulerLock:
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)
        if self.owned.is_set():
            try:
                self.lock.release()
            except (LockError, *REDIS_DOWN):
                pass  # it expires by itself
            self.owned.clear()
        self.client.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            if not self._acquire():
                self._stop.wait(self.retry)
                continue
            logger.info("The scheduler holds its lock; the schedule runs.")
            self.owned.set()
            self.on_acquired()
            self._hold()
            if self._stop.is_set():
                return
            self.owned.clear()
            self.on_lost()
            logger.warning(
                "The scheduler lost its lock (Redis restarted or was unreachable too long); "
                "the schedule is paused until it takes the lock again."
            )

    def _acquire(self) -> bool:
        try:
            acquired = bool(self.lock.acquire(blocking=False))
        except REDIS_DOWN as exc:
            self._say_waiting(f"Redis is unreachable ({exc}); the scheduler waits for it.")
            return False
        if not acquired:
            self._say_waiting("Another scheduler holds the lock; this one waits.")
            return False
        self._waiting_said = ""
        return True

    def _hold(self) -> None:
        """Renew the lock until it is lost or this object stops."""
        renewed = time.monotonic()
        while not self._stop.wait(self.refresh):
            try:
                self.lock.extend(self.timeout, replace_ttl=True)
            except LockError:
                return  # the key is gone or someone else's
            except REDIS_DOWN as exc:
                self._say_waiting(f"Redis is unreachable ({exc}); the scheduler waits for it.")
                if time.monotonic() - renewed >= self.timeout:
                    return  # the lock has expired meanwhile
                continue
            renewed = time.monotonic()
            self._waiting_said = ""

    def _say_waiting(self, sentence: str) -> None:
        if sentence != self._waiting_said:  # once per outage, not once a second
            self._waiting_said = sentence
            logger.warning(sentence)


class ScheduleFollower:
    """Keeps the housekeeping job on the schedule the setting gives: :meth:`tick` (run at
    start and then every ``FOLLOW_SECONDS``) reschedules it when the setting has changed, so
    a change needs no restart of the scheduler."""

    FOLLOW_SECONDS = 30
    JOB_NAME = "housekeeping"  # the actor's name, which dramatiq-crontab names its job after

    def __init__(self, scheduler: BaseScheduler) -> None:
        self.scheduler = scheduler
        self.applied: str | None = None

    def tick(self) -> str | None:
        """Apply the setting if it changed; return the schedule in effect (None: no job)."""
        try:
            wanted = setting_get(HOUSEKEEPING_CRON)
        except Exception:
            logger.exception("reading the housekeeping schedule failed; it stays %s", self.applied)
            return self.applied
        if wanted == self.applied:
            return wanted
        job = next((j for j in self.scheduler.get_jobs() if j.name == self.JOB_NAME), None)
        if job is None:
            return None
        trigger = CronTrigger.from_crontab(wanted, timezone=timezone.get_default_timezone())
        job.reschedule(trigger)
        if self.applied is not None:
            logger.info("Housekeeping now runs on the schedule %r.", wanted)
        self.applied = wanted
        return wanted


def run_scheduler(scheduler: BaseScheduler, lock: SchedulerLock) -> None:
    """Run ``scheduler`` (blocking) while ``lock`` is held; return on SIGTERM, SIGINT or
    SIGHUP. The schedule starts paused and runs only while the lock is owned."""

    def resume() -> None:
        if scheduler.state != STATE_STOPPED:
            scheduler.resume()

    def pause() -> None:
        if scheduler.state != STATE_STOPPED:
            scheduler.pause()

    def stop_softly(signum, frame) -> None:
        raise KeyboardInterrupt(f"Received {signal.Signals(signum).name}, shutting down.")

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, stop_softly)
    lock.on_acquired, lock.on_lost = resume, pause
    # The lock thread starts once the scheduler runs, so that resume() finds it running.
    scheduler.add_listener(lambda event: lock.start(), EVENT_SCHEDULER_STARTED)
    try:
        scheduler.start(paused=True)
    except KeyboardInterrupt as exc:
        logger.info("%s", exc)
        scheduler.shutdown(wait=False)
    finally:
        lock.stop()

"""Dramatiq middleware that gives every worker its job context: publisher and monitor."""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import socket
import uuid
from pathlib import Path

import dramatiq
from django.conf import settings

from jobs.monitor import JobMonitor
from jobs.progress import ChannelPublisher
from jobs.worker import RunContext, recover_stale_jobs
from videos import ytdlp
from videos.services import ytdlp_config

logger = logging.getLogger(__name__)


class JobsMiddleware(dramatiq.Middleware):
    """Starts, per worker, one channel publisher and one job monitor; stops them on exit.

    On start it also recovers jobs left ``processing`` by a worker that died.
    """

    def __init__(self) -> None:
        self.context: RunContext | None = None
        self._monitor: JobMonitor | None = None

    def before_worker_boot(self, broker, worker) -> None:
        # Before the consumers start: a message may arrive the moment they do.
        config = ytdlp_config()
        runtime, sentence = ytdlp.js_runtime_status(config)
        if runtime is None:
            logger.warning(sentence)
        lower_priority(settings.WORKER_NICE)
        # The worker builds its consumers after this hook, so this takes effect.
        worker.worker_timeout = settings.WORKER_POLL_MS
        worker_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        publisher = ChannelPublisher().start()
        self.context = RunContext(publisher=publisher, worker_id=worker_id, base_config=config)
        try:
            recover_stale_jobs(publisher=publisher)
        except Exception:
            logger.exception("recovering stale jobs at start-up failed")
        self._monitor = JobMonitor(self.context).start()

    def after_worker_boot(self, broker, worker) -> None:
        # Everything loaded at start-up (yt-dlp's ~1,750 extractor classes included) stays
        # for the life of the process: keep it out of the collector's full passes, which
        # otherwise pause every thread for 60-170 ms (measured by the benchmark).
        gc.collect()
        gc.freeze()

    def before_worker_shutdown(self, broker, worker) -> None:
        # Running downloads stop at their next progress report and requeue themselves.
        if self.context is not None:
            self.context.stopping.set()

    def after_worker_shutdown(self, broker, worker) -> None:
        if self._monitor is not None:
            self._monitor.stop()
        if self.context is not None:
            self.context.publisher.stop()


def lower_priority(niceness: int) -> int:
    """Run this process at ``niceness`` at least (a lower CPU priority than the web's), every
    thread of it (Linux counts it per thread, and a middleware may have started threads
    already); threads and child processes started afterwards inherit it. Idempotent: a
    worker started from an already lowered process (Dramatiq's fork, a niced shell) is not
    lowered further. Returns the niceness it now has."""
    current = os.nice(0)
    if niceness <= current:
        return current
    try:
        reached = os.nice(niceness - current)
        for task in Path("/proc/self/task").glob("*"):
            with contextlib.suppress(OSError, ValueError):
                os.setpriority(os.PRIO_PROCESS, int(task.name), reached)
    except OSError:  # a platform or sandbox that refuses it: run at the priority we have
        logger.warning("could not lower the worker's CPU priority to niceness %d", niceness)
    return os.nice(0)


def current_context() -> RunContext:
    """The running worker's context (set when the worker booted)."""
    for middleware in dramatiq.get_broker().middleware:
        if isinstance(middleware, JobsMiddleware) and middleware.context is not None:
            return middleware.context
    raise RuntimeError("No worker context: JobsMiddleware is not installed or not booted.")

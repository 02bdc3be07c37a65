"""Dramatiq middleware: a per-queue worker heartbeat, and the job id on every log line.

Listed in ``settings.DRAMATIQ_BROKER["MIDDLEWARE"]``, so django_dramatiq builds it before the
app registry is ready: it imports no models. Each worker process gets one thread that writes
the worker's record (see :mod:`mvidarr.ops.workers`) every ``WORKER_HEARTBEAT_SECONDS``.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid

import dramatiq
from django.conf import settings
from dramatiq.common import q_name

from mvidarr.ops import logs
from mvidarr.ops.workers import WorkerRecord, remove_heartbeat, write_heartbeat
from mvidarr.redis_outage import REDIS_DOWN, outage

logger = logging.getLogger(__name__)


class WorkerHeartbeat(dramatiq.Middleware):
    """Writes ``<namespace>:worker:<id>`` with the queues this worker consumes and the job ids
    of the messages it is processing; binds each message's job id for logging."""

    def __init__(self) -> None:
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._lock = threading.Lock()
        self._running: dict[str, int | None] = {}
        self._log_tokens: dict[str, object] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._worker = None
        self._broker = None

    # --- lifecycle ------------------------------------------------------------------------
    def after_worker_boot(self, broker, worker) -> None:
        if getattr(broker, "client", None) is None:
            return  # not the Redis broker (a stub in someone's test): nothing to write to
        # A fork of the process (dramatiq --processes N) must not share the parent's id.
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._broker, self._worker = broker, worker
        self._stop.clear()
        try:
            self.beat()
        except Exception as exc:  # Redis may be starting too: the thread tries again
            logger.warning("first worker heartbeat failed (%s); trying again", exc)
        self._thread = threading.Thread(target=self._run, name="worker-heartbeat", daemon=True)
        self._thread.start()

    def before_worker_shutdown(self, broker, worker) -> None:
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join(5)
        self._thread = None
        try:
            remove_heartbeat(broker.client, broker.namespace, self.worker_id)
        except Exception:  # the record expires by itself
            logger.warning("could not remove the heartbeat of worker %s", self.worker_id)

    # --- messages -------------------------------------------------------------------------
    def before_process_message(self, broker, message) -> None:
        job_id = _job_id(message)
        # Runs in the worker thread that then runs the actor: its log lines carry the job id.
        token = logs.bind_job(job_id)
        with self._lock:
            self._running[message.message_id] = job_id
            self._log_tokens[message.message_id] = token

    def after_process_message(self, broker, message, *, result=None, exception=None) -> None:
        with self._lock:
            self._running.pop(message.message_id, None)
            token = self._log_tokens.pop(message.message_id, None)
        if token is not None:
            logs.unbind(token)

    after_skip_message = after_process_message

    # --- the heartbeat --------------------------------------------------------------------
    def record(self) -> WorkerRecord:
        worker = self._worker
        queues = sorted({q_name(name) for name in getattr(worker, "consumers", {})})
        with self._lock:
            current = sorted({job for job in self._running.values() if job is not None})
        return WorkerRecord(
            worker_id=self.worker_id,
            host=socket.gethostname(),
            pid=os.getpid(),
            queues=queues,
            last_seen=time.time(),
            threads=getattr(worker, "worker_threads", 0),
            current_jobs=current,
        )

    def beat(self) -> None:
        broker = self._broker
        write_heartbeat(
            broker.client,
            broker.namespace,
            self.record(),
            interval=settings.WORKER_HEARTBEAT_SECONDS,
        )

    def _run(self) -> None:
        while not self._stop.wait(settings.WORKER_HEARTBEAT_SECONDS):
            try:
                self.beat()
            except REDIS_DOWN as exc:
                outage().went_down(exc, skipped="worker heartbeats")
            except Exception as exc:
                logger.warning("worker heartbeat failed (%s); trying again", exc)
            else:
                outage().came_back()


def _job_id(message) -> int | None:
    """Job actors take the job id as their one argument; other actors have none."""
    args = message.args or ()
    if len(args) == 1 and isinstance(args[0], int) and not isinstance(args[0], bool):
        return args[0]
    return None

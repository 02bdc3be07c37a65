"""One thread per worker process: heartbeats for its running jobs, and recovery of others."""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections
from django.db.models import Case, CharField, FloatField, Value, When
from django.utils import timezone

from jobs import live
from jobs.models import Job
from jobs.services.queueing import send_job
from jobs.worker import RunContext, recover_stale_jobs
from mvidarr.redis_outage import REDIS_DOWN, skipped_while_down

logger = logging.getLogger(__name__)


class JobMonitor:
    """Writes every running job's heartbeat and progress in one pass every few seconds.

    Download threads hold no database connection while they download; this thread's one
    connection keeps their rows current, so a stale heartbeat really means a dead worker.
    """

    def __init__(self, context: RunContext) -> None:
        self.context = context
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="job-monitor", daemon=True)

    def start(self) -> JobMonitor:
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        interval = settings.JOB_HEARTBEAT_SECONDS
        recover_every = max(interval, settings.JOB_STALE_SECONDS / 2)
        next_recovery = 0.0
        while not self._stop.is_set():
            try:
                self.beat()
                self.send_unsent()
                if time.monotonic() >= next_recovery:
                    next_recovery = time.monotonic() + recover_every
                    recover_stale_jobs(publisher=self.context.publisher)
            except Exception:
                logger.exception("job monitor pass failed; trying again")
            finally:
                close_old_connections()
            self._stop.wait(interval)

    def beat(self) -> None:
        """One UPDATE for every running job of this process (only while still processing)."""
        reporters = list(self.context.registry.values())
        if not reporters:
            return
        progress = Case(
            *[When(pk=r.job.pk, then=Value(float(r.job.progress))) for r in reporters],
            output_field=FloatField(),
        )
        message = Case(
            *[When(pk=r.job.pk, then=Value(r.job.message[:255])) for r in reporters],
            output_field=CharField(),
        )
        Job.objects.filter(
            pk__in=[r.job.pk for r in reporters], status=Job.Status.PROCESSING
        ).update(progress=progress, message=message, heartbeat_at=timezone.now())
        with skipped_while_down("per-host limits"):
            for reporter in reporters:
                live.refresh_host_slot(reporter.host, reporter.job.pk)

    def send_unsent(self) -> list[int]:
        """Send the messages of requeued jobs that could not be sent while Redis was down;
        return the ids sent. A job no longer queued (cancelled meanwhile) needs none."""
        unsent = self.context.unsent
        sent = []
        for job_id, due in sorted(unsent.items()):
            job = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).first()
            if job is not None:
                try:
                    send_job(job, delay_ms=int(max(0.0, due - time.monotonic()) * 1000))
                except REDIS_DOWN:
                    break  # still down: the next pass tries again
                sent.append(job_id)
                logger.info("job %s: sent its message now that Redis is back", job_id)
            unsent.pop(job_id, None)
        return sent

"""Per-host limits, shared by every job that fetches from a site (downloads, indexes): at
most "downloads at once per site" (a setting, read each time a slot is taken) at once per
host, and a host that answered 429 is left alone; and the per-worker limit on downloads."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

from jobs import live
from jobs.models import Job
from jobs.preferences import PER_SITE, PER_WORKER
from jobs.worker.context import RunContext
from mvidarr.redis_outage import skipped_while_down
from preferences.selectors import setting_get
from videos import ytdlp


@contextmanager
def host_slot(host: str, job: Job, context: RunContext) -> Iterator[bool]:
    """Hold one of the host's slots for ``job`` inside the block (yields True); when they are
    all taken or the host is backed off, send the job again later (yields False).

    While Redis is down the job runs without the limit.
    """
    acquired = True
    with skipped_while_down("per-host limits"):
        acquired = live.acquire_host_slot(
            host, job.pk, limit=setting_get(PER_SITE), stale_after=settings.JOB_STALE_SECONDS
        )
    if not acquired:
        # The site is busy with our other jobs (or told us to slow down): try later,
        # without holding a worker thread and without spending an attempt.
        wait = random.uniform(0.5, 2.0)
        with skipped_while_down("per-host limits"):
            wait = max(live.host_backoff_remaining(host), wait)
        context.send_or_keep(job, delay=wait)
        yield False
        return
    try:
        yield True
    finally:
        with skipped_while_down("per-host limits"):
            live.release_host_slot(host, job.pk)


@contextmanager
def worker_slot(job: Job, context: RunContext) -> Iterator[bool]:
    """Hold one of this worker's download slots inside the block (yields True); when the
    worker already runs "downloads at once per worker" downloads (a setting, read now), send
    the job again later, spending no attempt, for another worker or a free slot (False)."""
    if not context.downloads.acquire(job.pk, limit=setting_get(PER_WORKER)):
        context.send_or_keep(job, delay=random.uniform(0.5, 2.0))
        yield False
        return
    try:
        yield True
    finally:
        context.downloads.release(job.pk)


def back_off_if_rate_limited(host: str, error: ytdlp.TransientError) -> None:
    """After a 429, leave the host alone for its Retry-After, at least HOST_BACKOFF."""
    if error.rate_limited:
        with skipped_while_down("per-host limits"):
            wait = max(error.retry_after or 0.0, settings.HOST_BACKOFF_SECONDS)
            live.back_off_host(host, wait)

"""What a worker process gives the runner, and the places and delays every job kind shares."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

from jobs.models import Job
from jobs.progress import Publisher
from jobs.services.queueing import send_job_when_possible
from videos import ytdlp
from videos.download_settings import with_download_settings
from videos.services import ytdlp_config

if TYPE_CHECKING:
    from jobs.worker.progress import ProgressReporter


class DownloadSlots:
    """The downloads this worker process runs at once; a slot is taken only while fewer than
    the limit run (0: no limit but the threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[int] = set()

    def acquire(self, job_id: int, *, limit: int) -> bool:
        with self._lock:
            if limit and len(self._running) >= limit and job_id not in self._running:
                return False
            self._running.add(job_id)
            return True

    def release(self, job_id: int) -> None:
        with self._lock:
            self._running.discard(job_id)

    def __len__(self) -> int:
        with self._lock:
            return len(self._running)


@dataclass
class RunContext:
    """What a worker process gives the runner: where to push, and who is running what."""

    publisher: Publisher
    worker_id: str = "inline"
    # The environment's part of yt-dlp's configuration; ``config`` adds the settings that
    # may change while the worker runs (proxy, cookies file).
    base_config: ytdlp.YtdlpConfig = field(default_factory=ytdlp_config)
    registry: dict[int, ProgressReporter] = field(default_factory=dict)
    # Set when the worker is stopping: running downloads stop at their next progress report
    # and go back to the queue (Dramatiq's Shutdown exception alone can arrive too late).
    stopping: threading.Event = field(default_factory=threading.Event)
    # Jobs back in the queue whose message could not be sent (Redis was down): job id → when
    # it is due (monotonic). The monitor sends them when Redis is back (jobs.monitor).
    unsent: dict[int, float] = field(default_factory=dict)
    # The downloads running in this worker process (the "downloads at once per worker" limit).
    downloads: DownloadSlots = field(default_factory=lambda: DownloadSlots())

    @property
    def config(self) -> ytdlp.YtdlpConfig:
        """yt-dlp's configuration for a job starting now (the proxy and cookies file as the
        settings say now)."""
        return with_download_settings(self.base_config)

    def send_or_keep(self, job: Job, *, delay: float = 0.0) -> None:
        """Send the job's message, or keep it for the monitor to send when Redis is back."""
        if not send_job_when_possible(job, delay_ms=int(delay * 1000)):
            self.unsent[job.pk] = time.monotonic() + delay


def incoming_dir(job_id: int) -> Path:
    return Path(settings.LIBRARY_ROOT) / ".incoming" / str(job_id)


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff with full jitter, capped: attempt 1 waits up to base, 2 up to 2x…"""
    ceiling = min(
        settings.JOB_BACKOFF_MAX_SECONDS, settings.JOB_BACKOFF_BASE_SECONDS * 2 ** (attempts - 1)
    )
    return random.uniform(ceiling / 2, ceiling)

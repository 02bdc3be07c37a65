"""A running job's progress: yt-dlp's figures as throttled pushes, and "should I stop?"."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from django.conf import settings

from jobs import live
from jobs.models import Job
from jobs.progress import Publisher, publish_job
from jobs.transitions import bulk_summary
from mvidarr.redis_outage import skipped_while_down
from mvidarr.units import format_rate
from videos import ytdlp

if TYPE_CHECKING:
    from jobs.worker.context import RunContext


class ProgressReporter:
    """Turns yt-dlp's progress into throttled pushes and answers "should I stop?"."""

    def __init__(self, job: Job, context: RunContext, *, host: str = "") -> None:
        self.job = job
        self.context = context
        self.host = host
        self.figures: dict = {"progress": job.progress}
        self._last_push = 0.0
        self._last_cancel_check = 0.0
        self._cancelled = False

    def on_progress(self, progress: ytdlp.Progress) -> None:
        percent = max(self.job.progress, min(round(progress.percent, 1), 100.0))
        self.job.progress = percent
        self.job.message = describe(progress)
        self.figures = {
            "progress": percent,
            "downloaded_bytes": progress.downloaded_bytes,
            "total_bytes": progress.total_bytes,
            "speed": progress.speed,
            "eta": progress.eta,
            "phase": progress.phase,
        }
        now = time.monotonic()
        if now - self._last_push >= settings.JOB_PROGRESS_INTERVAL_SECONDS:
            self._last_push = now
            self.push()

    def push(self) -> None:
        # While Redis is down the download goes on unseen: the monitor still writes its
        # progress to the row.
        with skipped_while_down("progress pushes"):
            live.write_live(self.job.pk, self.figures, parent_id=self.job.parent_id)
            publish_job(self.job, publisher=self.context.publisher, figures=self.figures)
            if self.job.parent_id and live.throttle(f"bulk:{self.job.parent_id}", 1.0):
                publish_bulk_progress(self.job.parent_id, self.context.publisher)

    def should_cancel(self) -> bool:
        if self.context.stopping.is_set():
            return True
        now = time.monotonic()
        if not self._cancelled and now - self._last_cancel_check >= 0.5:
            self._last_cancel_check = now
            self._cancelled = cancel_flag(self.job.pk)
        return self._cancelled


def cancel_flag(job_id: int) -> bool:
    """Whether a cancel was asked for; False while Redis is down (cancelling then answers
    503, so no request is missed)."""
    flag = False
    with skipped_while_down("cancel checks"):
        flag = live.cancel_requested(job_id)
    return flag


def describe(progress: ytdlp.Progress) -> str:
    """What the download is doing, beside its progress bar: the bar and its label say how
    far it is, so the message does not say it again ("Downloading at 1.2 MB/s")."""
    if progress.phase == "merging":
        return "Merging video and audio"
    text = "Downloading"
    if progress.speed:
        text += f" at {format_rate(progress.speed)}"
    return text


def publish_bulk_progress(parent_id: int, publisher: Publisher) -> None:
    parent = Job.objects.filter(pk=parent_id).first()
    if parent is None or parent.status not in Job.ACTIVE_STATUSES:
        return
    summary = bulk_summary(parent.item_counts, live.children_progress(parent_id))
    parent.progress = max(parent.progress, summary.progress)
    parent.message = summary.message  # pushed, not written: the row is written per item
    publish_job(parent, publisher=publisher, figures={"progress": parent.progress})

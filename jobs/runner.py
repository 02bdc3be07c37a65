"""Running jobs: the plain functions behind the actors.

``run_download(job_id, context=…)`` and ``run_probe(job_id, context=…)`` claim the job by a
conditional UPDATE (a duplicate or redelivered message finds nothing to claim), do the work
through :mod:`videos.ytdlp`, and always end the job in a clear state. The runner owns
retries: a transient fault puts the row back to ``queued`` with a delayed message.
"""

from __future__ import annotations

import errno
import logging
import random
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import F
from django.utils import timezone
from dramatiq.middleware import Shutdown, TimeLimitExceeded

from jobs import live
from jobs.bulk import bulk_summary
from jobs.models import Job
from jobs.progress import Publisher, publish_job
from jobs.queueing import send_job_when_possible
from jobs.services import bulk_refresh
from mvidarr.ops.logs import job_log_context
from mvidarr.redis_outage import skipped_while_down
from videos import ytdlp
from videos.models import Video
from videos.services import (
    DuplicateVideo,
    InvalidSourceUrl,
    video_apply_probe,
    video_import_entry,
    video_set_status,
    video_store_download,
    ytdlp_config,
)

logger = logging.getLogger(__name__)

Status = Job.Status


@dataclass
class RunContext:
    """What a worker process gives the runner: where to push, and who is running what."""

    publisher: Publisher
    worker_id: str = "inline"
    config: ytdlp.YtdlpConfig = field(default_factory=ytdlp_config)
    registry: dict[int, ProgressReporter] = field(default_factory=dict)
    # Set when the worker is stopping: running downloads stop at their next progress report
    # and go back to the queue (Dramatiq's Shutdown exception alone can arrive too late).
    stopping: threading.Event = field(default_factory=threading.Event)
    # Jobs back in the queue whose message could not be sent (Redis was down): job id → when
    # it is due (monotonic). The monitor sends them when Redis is back (jobs.monitor).
    unsent: dict[int, float] = field(default_factory=dict)

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
        self.job.message = describe(progress, percent)
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


def describe(progress: ytdlp.Progress, percent: float) -> str:
    if progress.phase == "merging":
        return "Merging video and audio"
    text = f"Downloading {percent:.0f} %"
    if progress.speed:
        text += f" at {human_rate(progress.speed)}"
    return text


def human_rate(bytes_per_second: float) -> str:
    value = float(bytes_per_second)
    for unit in ("B/s", "kB/s", "MB/s", "GB/s"):
        if value < 1000 or unit == "GB/s":
            return f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB/s"


def publish_bulk_progress(parent_id: int, publisher: Publisher) -> None:
    parent = Job.objects.filter(pk=parent_id).first()
    if parent is None or parent.status not in Job.ACTIVE_STATUSES:
        return
    children = list(parent.children.only("id", "status", "progress", "error", "video_id"))
    summary = bulk_summary(children, live.children_progress(parent_id))
    parent.progress = max(parent.progress, summary.progress)
    parent.message = summary.message  # pushed, not written: the row is written per item
    publish_job(parent, publisher=publisher, figures={"progress": parent.progress})


def claim(job_id: int, *, worker_id: str) -> Job | None:
    """Take a queued job for this worker; None when someone else has it or it is gone."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.PROCESSING,
        started_at=now,
        heartbeat_at=now,
        worker=worker_id[:128],
        attempts=F("attempts") + 1,
        message="Starting",
    )
    if claimed != 1:
        return None
    return Job.objects.select_related("video__artist", "user").get(pk=job_id)


def run_download(job_id: int, *, context: RunContext) -> None:
    """Download one video job to its end state (or back to the queue for a retry)."""
    job = Job.objects.filter(pk=job_id).select_related("video").first()
    if job is None or job.status != Status.QUEUED or job.video is None:
        return  # already handled, cancelled or deleted: a duplicate message is harmless
    with job_log_context(job_id=job_id, video_id=job.video_id):
        _run_download(job, context=context)


def _run_download(job: Job, *, context: RunContext) -> None:
    job_id = job.pk
    host = urlsplit(job.video.source_url).hostname or "unknown"
    acquired = True  # while Redis is down, without the per-host limit
    with skipped_while_down("per-host limits"):
        acquired = live.acquire_host_slot(
            host, job_id, limit=settings.PER_HOST_LIMIT, stale_after=settings.JOB_STALE_SECONDS
        )
    if not acquired:
        # The site is busy with our other downloads (or told us to slow down): try later,
        # without holding a worker thread and without spending an attempt.
        wait = random.uniform(0.5, 2.0)
        with skipped_while_down("per-host limits"):
            wait = max(live.host_backoff_remaining(host), wait)
        context.send_or_keep(job, delay=wait)
        return
    try:
        job = claim(job_id, worker_id=context.worker_id)
        if job is not None:
            _download_claimed(job, host=host, context=context)
    finally:
        with skipped_while_down("per-host limits"):
            live.release_host_slot(host, job_id)


def _download_claimed(job: Job, *, host: str, context: RunContext) -> None:
    incoming = incoming_dir(job.pk)
    context.registry[job.pk] = ProgressReporter(job, context, host=host)
    try:
        end = _download_into_library(job, incoming, host=host, context=context)
    finally:
        # Partial files go before the final state is written: whoever sees the job
        # finished finds nothing left behind.
        context.registry.pop(job.pk, None)
        shutil.rmtree(incoming, ignore_errors=True)
    end()
    with skipped_while_down("live figures"):
        live.clear_live(job.pk)


def _download_into_library(
    job: Job, incoming: Path, *, host: str, context: RunContext
) -> Callable[[], None]:
    """Do the download; return what writes the job's outcome (run after the cleanup)."""
    video = job.video
    reporter = context.registry[job.pk]
    try:
        video_set_status(video=video, status=Video.Status.DOWNLOADING)
        job.progress = 0.0
        publish_job(job, publisher=context.publisher)
        _check_free_space()
        shutil.rmtree(incoming, ignore_errors=True)
        incoming.mkdir(parents=True)
        # A download holds no database connection: a hundred of them must not need a
        # hundred; the process's monitor writes heartbeats for all of them at once.
        connection.close()
        result = ytdlp.download(
            video.source_url,
            incoming,
            job.options.get("quality", "best"),
            config=context.config,
            on_progress=reporter.on_progress,
            should_cancel=reporter.should_cancel,
        )
        close_old_connections()
        video.refresh_from_db()
        if cancel_flag(job.pk):
            raise ytdlp.Cancelled()
        try:
            video_store_download(video=video, result=result)
        except OSError as exc:
            raise _disk_error(exc) from exc
        return partial(
            _finish, job, Status.COMPLETED, context, message=_done_message(video), progress=100.0
        )
    except ytdlp.Cancelled:
        if context.stopping.is_set() and not cancel_flag(job.pk):
            return partial(_requeue, job, video, context, delay=0.0, reason="", refund_attempt=True)
        return partial(_end_cancelled, job, video, context)
    except ytdlp.TransientError as exc:
        if exc.rate_limited:
            with skipped_while_down("per-host limits"):
                wait = max(exc.retry_after or 0.0, settings.HOST_BACKOFF_SECONDS)
                live.back_off_host(host, wait)
        return partial(_retry_or_fail, job, video, context, reason=exc.message)
    except ytdlp.PermanentError as exc:
        return partial(_fail, job, video, context, reason=exc.message)
    except Shutdown:
        # The worker is stopping (SIGTERM): give the job back, spending no attempt.
        return partial(_requeue, job, video, context, delay=0.0, reason="", refund_attempt=True)
    except TimeLimitExceeded:
        reason = (
            f"The download took longer than the time limit ({settings.JOB_TIME_LIMIT_SECONDS} s)"
            " and was stopped; retry it, or raise MVIDARR_JOB_TIME_LIMIT."
        )
        return partial(_fail, job, video, context, reason=reason)
    except OSError as exc:
        return partial(_fail, job, video, context, reason=_disk_error(exc).message)
    except Exception as exc:
        logger.exception("job %s: unexpected error", job.pk)
        reason = f"Unexpected error: {exc}. This is a bug; report it."
        return partial(_fail, job, video, context, reason=reason)


def _done_message(video: Video) -> str:
    size = f"{video.file_size / 1_000_000:.1f} MB" if video.file_size else "done"
    height = f", {video.height}p" if video.height else ""
    return f"Downloaded ({size}{height})"


def _check_free_space() -> None:
    root = Path(settings.LIBRARY_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(root).free
    if free < settings.MIN_FREE_BYTES:
        raise ytdlp.PermanentError(
            f"Not enough disk space: {free // (1024 * 1024)} MB free in the library, and at "
            f"least {settings.MIN_FREE_BYTES // (1024 * 1024)} MB are required; free some "
            "space and retry."
        )


def _disk_error(exc: OSError) -> ytdlp.PermanentError:
    if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return ytdlp.PermanentError(
            "Not enough disk space to finish the download; free some space in the library "
            "and retry."
        )
    return ytdlp.PermanentError(
        f"Could not write the file into the library ({exc.strerror or exc}); check that "
        "the library folder is writable."
    )


def _finish(
    job: Job,
    status: str,
    context: RunContext,
    *,
    message: str,
    error: str = "",
    progress: float | None = None,
) -> bool:
    """Write a final state once; False when the job was no longer ours."""
    fields = {
        "status": status,
        "finished_at": timezone.now(),
        "heartbeat_at": timezone.now(),
        "message": message[:255],
        "error": error,
    }
    if progress is not None:
        fields["progress"] = progress
    updated = Job.objects.filter(pk=job.pk, status=Status.PROCESSING).update(**fields)
    if not updated:
        return False
    job.refresh_from_db()
    publish_job(job, publisher=context.publisher)
    if job.parent_id:
        bulk_refresh(parent_id=job.parent_id, publisher=context.publisher)
    return True


def _restore_video_status(video: Video | None, status: str) -> None:
    if video is None:
        return
    video.refresh_from_db(fields=["file_path", "status"])
    if video.file_path:
        status = Video.Status.DOWNLOADED  # a failed re-download keeps the file we had
    video_set_status(video=video, status=status)


def _end_cancelled(job: Job, video: Video | None, context: RunContext) -> None:
    close_old_connections()
    _restore_video_status(video, Video.Status.WANTED)
    _finish(job, Status.CANCELLED, context, message="Cancelled")


def _fail(job: Job, video: Video | None, context: RunContext, *, reason: str) -> None:
    close_old_connections()
    logger.info("job %s failed: %s", job.pk, reason)
    _restore_video_status(video, Video.Status.FAILED)
    _finish(job, Status.FAILED, context, message="Failed", error=reason)


def _retry_or_fail(job: Job, video: Video | None, context: RunContext, *, reason: str) -> None:
    close_old_connections()
    job.refresh_from_db(fields=["attempts"])
    if job.attempts >= settings.JOB_MAX_ATTEMPTS:
        _fail(
            job,
            video,
            context,
            reason=f"{reason} Gave up after {job.attempts} attempts.",
        )
        return
    _requeue(job, video, context, delay=backoff_seconds(job.attempts), reason=reason)


def _requeue(
    job: Job,
    video: Video | None,
    context: RunContext,
    *,
    delay: float,
    reason: str,
    refund_attempt: bool = False,
) -> None:
    close_old_connections()
    message = (
        f"Retrying in {delay:.0f} s (attempt {job.attempts + 1} of "
        f"{settings.JOB_MAX_ATTEMPTS}): {reason}"
        if reason
        else "Waiting for a worker (its worker stopped)"
    )
    fields = {
        "status": Status.QUEUED,
        "message": message[:255],
        "error": reason,
        "worker": "",
        "heartbeat_at": None,
        "cancel_requested": False,
    }
    if refund_attempt:
        fields["attempts"] = F("attempts") - 1
    if not Job.objects.filter(pk=job.pk, status=Status.PROCESSING).update(**fields):
        return
    if video is not None and job.kind == Job.Kind.VIDEO_DOWNLOAD:
        _restore_video_status(video, Video.Status.QUEUED)
    job.refresh_from_db()
    context.send_or_keep(job, delay=delay)
    publish_job(job, publisher=context.publisher)


# --- probes ---------------------------------------------------------------------------
def run_probe(job_id: int, *, context: RunContext) -> None:
    """Fill a video's metadata, or import every entry of a playlist or feed."""
    job = claim(job_id, worker_id=context.worker_id)
    if job is None:
        return
    with job_log_context(job_id=job.pk, video_id=job.video_id):
        _run_probe(job, context=context)


def _run_probe(job: Job, *, context: RunContext) -> None:
    video = job.video
    try:
        publish_job(job, publisher=context.publisher)
        url = video.source_url if video is not None else job.options.get("url", "")
        result = ytdlp.probe(url, config=context.config)
        close_old_connections()
        message = _apply_probe(video, result) if video is not None else _import(job, result)
        _finish(job, Status.COMPLETED, context, message=message, progress=100.0)
    except ytdlp.TransientError as exc:
        _retry_or_fail(job, None, context, reason=exc.message)
    except (ytdlp.PermanentError, DuplicateVideo) as exc:
        _fail(job, None, context, reason=str(exc))
    except Shutdown:
        _requeue(job, None, context, delay=0.0, reason="", refund_attempt=True)
    except Exception as exc:
        logger.exception("job %s: unexpected error", job.pk)
        _fail(job, None, context, reason=f"Unexpected error: {exc}. This is a bug; report it.")


def _apply_probe(video: Video, result) -> str:
    if isinstance(result, ytdlp.PlaylistResult):
        raise ytdlp.PermanentError(
            f"This URL is a playlist of {len(result.entries)} videos — import it instead."
        )
    video_apply_probe(video=video, result=result)
    return f"Found “{video.title}”"


def _import(job: Job, result) -> str:
    entries = result.entries if isinstance(result, ytdlp.PlaylistResult) else [result]
    added, skipped, refused = [], 0, 0
    for entry in entries:
        try:
            video, created = video_import_entry(entry=entry)
        except InvalidSourceUrl as exc:
            logger.warning("job %s: %s", job.pk, exc)
            refused += 1
            continue
        if created:
            added.append(video.pk)
        else:
            skipped += 1
    Job.objects.filter(pk=job.pk).update(
        options={**job.options, "video_ids": added, "skipped": skipped, "refused": refused}
    )
    text = f"Added {len(added)} video{'s' if len(added) != 1 else ''}"
    if skipped:
        text += f", skipped {skipped} already in the library"
    if refused:
        addresses = "address is" if refused == 1 else "addresses are"
        text += f", refused {refused} whose {addresses} not http:// or https://"
    return text

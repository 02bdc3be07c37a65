"""Downloading a video: ``run_download(job_id, context=…)``, the plain function behind the
download actors.

The job is claimed by a conditional UPDATE (a duplicate or redelivered message finds nothing
to claim), the file is downloaded through :mod:`videos.ytdlp` into the job's incoming folder
and stored in the library, and the job always ends in a clear state.
"""

from __future__ import annotations

import errno
import logging
import shutil
from collections.abc import Callable
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from dramatiq.middleware import Shutdown, TimeLimitExceeded

from jobs import live
from jobs.models import Job
from jobs.preferences import MIN_FREE_MB
from jobs.services.resolve import source_died
from jobs.transitions import job_claim, job_finish, video_status_refresh
from jobs.worker.context import RunContext, incoming_dir
from jobs.worker.hosts import back_off_if_rate_limited, host_slot, worker_slot
from jobs.worker.outcomes import complete, end_cancelled, fail, requeue, retry_or_fail
from jobs.worker.progress import ProgressReporter, cancel_flag
from mvidarr.ops.logs import job_log_context
from mvidarr.redis_outage import skipped_while_down
from mvidarr.units import format_bytes
from preferences.selectors import setting_get
from videos import ytdlp
from videos.library import run_post_store_steps
from videos.models import VideoFile
from videos.services import video_store_download

logger = logging.getLogger(__name__)

Status = Job.Status


def run_download(job_id: int, *, context: RunContext) -> None:
    """Download one video job to its end state (or back to the queue for a retry)."""
    job = Job.objects.filter(pk=job_id).select_related("video").first()
    if job is None or job.status != Status.QUEUED or job.video is None:
        return  # already handled, cancelled or deleted: a duplicate message is harmless
    with job_log_context(job_id=job_id, video_id=job.video_id):
        _run_download(job, context=context)


def _run_download(job: Job, *, context: RunContext) -> None:
    host = urlsplit(job.video.source_url).hostname or "unknown"
    with worker_slot(job, context) as acquired:
        if not acquired:
            return
        with host_slot(host, job, context) as acquired:
            if not acquired:
                return
            job = job_claim(job_id=job.pk, worker_id=context.worker_id, publisher=context.publisher)
            if job is not None:
                _download_claimed(job, host=host, context=context)


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
        if not video.source_url:
            raise ytdlp.PermanentError(
                "This video has no source yet; look for one (or choose a candidate) first."
            )
        _check_free_space()
        shutil.rmtree(incoming, ignore_errors=True)
        incoming.mkdir(parents=True)
        # A download holds no database connection: a hundred of them must not need a
        # hundred; the process's monitor writes heartbeats for all of them at once.
        connection.close()
        result = ytdlp.download(
            video.source_url,
            incoming,
            ytdlp.plan_from_options(job.options),
            config=context.config,
            on_progress=reporter.on_progress,
            should_cancel=reporter.should_cancel,
        )
        close_old_connections()
        video.refresh_from_db()
        if cancel_flag(job.pk):
            raise ytdlp.Cancelled()
        try:
            video_file = video_store_download(video=video, result=result)
        except OSError as exc:
            raise _disk_error(exc) from exc
        video_status_refresh(video=video)  # it has its file: the steps see it downloaded
        # The download is stored: a failing step is told in the message, not a failed job.
        failures = run_post_store_steps(video=video, video_file=video_file)
        message = "; ".join([_done_message(video_file), *failures])
        return partial(complete, job, context, message=message)
    except ytdlp.Cancelled:
        if context.stopping.is_set() and not cancel_flag(job.pk):
            return partial(requeue, job, context, delay=0.0, reason="", refund_attempt=True)
        return partial(end_cancelled, job, context)
    except ytdlp.TransientError as exc:
        back_off_if_rate_limited(host, exc)
        return partial(retry_or_fail, job, context, reason=exc.message)
    except ytdlp.PermanentError as exc:
        if exc.gone:
            return partial(
                _fail_source_gone, job, context, reason=exc.message, url=video.source_url
            )
        return partial(fail, job, context, reason=exc.message)
    except Shutdown:
        # The worker is stopping (SIGTERM): give the job back, spending no attempt.
        return partial(requeue, job, context, delay=0.0, reason="", refund_attempt=True)
    except TimeLimitExceeded:
        reason = (
            f"The download took longer than the time limit ({settings.JOB_TIME_LIMIT_SECONDS} s)"
            " and was stopped; retry it, or raise MVIDARR_JOB_TIME_LIMIT."
        )
        return partial(fail, job, context, reason=reason)
    except OSError as exc:
        return partial(fail, job, context, reason=_disk_error(exc).message)
    except Exception as exc:
        logger.exception("job %s: unexpected error", job.pk)
        reason = f"Unexpected error: {exc}. This is a bug; report it."
        return partial(fail, job, context, reason=reason)


def _fail_source_gone(job: Job, context: RunContext, *, reason: str, url: str) -> None:
    """The source is gone: the job fails and, in the same transaction, a video added by
    artist and title is looked for again, once, or waits for a person
    (:func:`jobs.services.resolve.source_died`); no one sees it failed with a dead link."""
    close_old_connections()
    logger.info("job %s failed, its source is gone: %s", job.pk, reason)
    with transaction.atomic():
        failed = job_finish(
            job=job,
            status=Status.FAILED,
            message="Failed",
            error=reason,
            publisher=context.publisher,
        )
        if failed:
            source_died(video_id=job.video_id, url=url, reason=reason, job=job)


def _done_message(video_file: VideoFile) -> str:
    size = format_bytes(video_file.size) if video_file.size else "done"
    height = f", {video_file.height}p" if video_file.height else ""
    return f"Downloaded ({size}{height})"


def _check_free_space() -> None:
    root = Path(settings.LIBRARY_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(root).free
    minimum = setting_get(MIN_FREE_MB) * 1_000_000  # MB, as mvidarr.units writes them
    if free < minimum:
        raise ytdlp.PermanentError(
            f"Not enough disk space: {format_bytes(free)} free in the library, and at "
            f"least {format_bytes(minimum)} are required (Settings: minimum free space); free some "
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

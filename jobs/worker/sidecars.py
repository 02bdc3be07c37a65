"""Writing a video's sidecars and tags again: ``run_sidecars(job_id, context=…)``, the plain
function behind the ``sidecars_write`` and ``tags_write`` actors.

``sidecars_write`` runs the post-store steps again (artwork, thumbnail, NFO, artist files,
tags — each as its setting says) after the video's metadata changed; ``tags_write`` writes
the tags into the file whatever the setting says (a person asked). A step that fails fails
the job with its sentence (a person can retry it); the media file is never left half
written (:mod:`videos.library.tags`).
"""

from __future__ import annotations

import logging

from django.db import close_old_connections
from dramatiq.middleware import Shutdown

from jobs import kinds
from jobs.models import Job
from jobs.transitions import job_claim
from jobs.worker.context import RunContext
from jobs.worker.outcomes import complete, fail, requeue
from mvidarr.ops.logs import job_log_context
from videos.library import StepFailed, media_path, post_store_report, tags_write
from videos.models import Video

logger = logging.getLogger(__name__)

NO_FILE = (
    "The video's file is not in the library, so there is nothing to write beside it; "
    "download the video again."
)


def run_sidecars(job_id: int, *, context: RunContext) -> None:
    """Write the sidecars (or the tags) of the job's video, to the job's end state."""
    job = job_claim(job_id=job_id, worker_id=context.worker_id, publisher=context.publisher)
    if job is None:
        return
    with job_log_context(job_id=job.pk, video_id=job.video_id):
        _run(job, context=context)


def _run(job: Job, *, context: RunContext) -> None:
    try:
        video = Video.objects.select_related("artist", "file").filter(pk=job.video_id).first()
        video_file = video.current_file if video is not None else None
        if video_file is None or media_path(video_file) is None:
            fail(job, context, reason=NO_FILE)
            return
        if job.kind == kinds.TAGS_WRITE:
            tags_write(video=video, video_file=video_file, cover=job.options.get("cover", True))
            close_old_connections()
            complete(job, context, message=f"Tags written into {media_path(video_file).name}")
            return
        report = post_store_report(video=video, video_file=video_file)
        close_old_connections()
        if report.failures:
            fail(job, context, reason=" ".join(report.sentences))
        else:
            complete(job, context, message="; ".join(["Sidecars written", *report.notes]))
    except StepFailed as exc:
        fail(job, context, reason=str(exc))
    except Shutdown:
        requeue(job, context, delay=0.0, reason="", refund_attempt=True)
    except Exception as exc:
        logger.exception("job %s: unexpected error", job.pk)
        fail(job, context, reason=f"Unexpected error: {exc}. This is a bug; report it.")

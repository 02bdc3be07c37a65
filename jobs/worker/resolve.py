"""Finding a source: ``run_resolve(job_id, context=…)``, the plain function behind the
``source_resolve`` actor.

The job asks every active source finder (:mod:`videos.finders`) for candidates, scores them
against the video wanted (:mod:`videos.scoring`) and hands them to
:func:`jobs.services.resolve.resolve_apply`, which takes the best or leaves the video for a
person. A finder's transient fault retries the job as a download's does.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import close_old_connections
from dramatiq.middleware import Shutdown

from jobs.models import Job
from jobs.services.resolve import resolve_apply
from jobs.transitions import job_claim
from jobs.worker.context import RunContext
from jobs.worker.outcomes import complete, end_cancelled, fail, requeue, retry_or_fail
from jobs.worker.progress import cancel_flag
from mvidarr.ops.logs import job_log_context
from videos import ytdlp
from videos.finders import active_finders, search_terms
from videos.models import Video
from videos.scoring import Candidate, Wanted, rank
from videos.services import video_store_candidates

logger = logging.getLogger(__name__)


def run_resolve(job_id: int, *, context: RunContext) -> None:
    """Look for a video's source; the job ends completed (whatever was found), failed (the
    search failed), or back in the queue (a transient fault)."""
    job = job_claim(job_id=job_id, worker_id=context.worker_id, publisher=context.publisher)
    if job is None:
        return
    with job_log_context(job_id=job.pk, video_id=job.video_id):
        _run_resolve(job, context=context)


def wanted_of(video: Video) -> Wanted:
    """What is looked for: the video's artist, title and known length."""
    artist = video.artist.name if video.artist_id and video.artist else ""
    imvdb_id = str((video.provider_ids or {}).get("imvdb") or "")
    return Wanted(artist=artist, title=video.title, duration=video.duration, imvdb_id=imvdb_id)


def _run_resolve(job: Job, *, context: RunContext) -> None:
    video = job.video
    if video is None:
        fail(job, context, reason="The video was deleted before its source was looked for.")
        return
    wanted = wanted_of(video)
    try:
        candidates: list[Candidate] = []
        for finder in active_finders(search_url=settings.SEARCH_URL):
            candidates += finder.find(wanted, config=context.config)
        close_old_connections()
        if cancel_flag(job.pk):
            end_cancelled(job, context)
            return
        message = resolve_apply(
            job=job, scored=rank(candidates, wanted), searched=search_terms(wanted)
        )
        complete(job, context, message=message)
    except ytdlp.TransientError as exc:
        retry_or_fail(job, context, reason=exc.message)
        _note_if_failed(job, video)
    except ytdlp.PermanentError as exc:
        fail(job, context, reason=exc.message)
        _note_if_failed(job, video)
    except Shutdown:
        requeue(job, context, delay=0.0, reason="", refund_attempt=True)
    except Exception as exc:
        logger.exception("job %s: unexpected error", job.pk)
        fail(job, context, reason=f"Unexpected error: {exc}. This is a bug; report it.")


def _note_if_failed(job: Job, video: Video) -> None:
    """A search that failed for good is said on the video, which still needs a source."""
    job.refresh_from_db(fields=["status", "error"])
    if job.status != Job.Status.FAILED:
        return
    video = Video.objects.filter(pk=video.pk, source_url="").first()
    if video is not None:
        note = f"Looking for a source failed: {job.error} Look again, or give the video's link."
        video_store_candidates(video=video, candidates=video.source_candidates, note=note)

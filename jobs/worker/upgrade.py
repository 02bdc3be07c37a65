"""Checking one video for an upgrade: ``run_upgrade_check(job_id, context=…)``, the plain
function behind the ``check_upgrade`` actor.

The video's source is probed again (within the host's limits, as a download is); when it
offers a quality its profile allows that ranks above its file's, a forced re-download
narrowed to those qualities is queued (:func:`jobs.services.upgrades.upgrade_download_submit`):
the file is replaced only once the new one is whole, and a failed download keeps it. The
check itself ends completed with what it found, or failed with the reason the probe gave.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from urllib.parse import urlsplit

from django.db import close_old_connections, connection
from dramatiq.middleware import Shutdown

from jobs import kinds
from jobs.models import Job
from jobs.services.upgrades import upgrade_download_submit
from jobs.transitions import job_claim
from jobs.worker.context import RunContext
from jobs.worker.hosts import back_off_if_rate_limited, host_slot
from jobs.worker.outcomes import complete, fail, requeue, retry_or_fail
from jobs.worker.progress import ProgressReporter
from mvidarr.ops.logs import job_log_context
from mvidarr.redis_outage import REDIS_DOWN
from videos import quality, ytdlp
from videos.models import Video
from videos.selectors import profile_for_artist
from videos.wanted import file_quality_name, with_file_quality

logger = logging.getLogger(__name__)

Status = Job.Status


def run_upgrade_check(job_id: int, *, context: RunContext) -> None:
    """Probe one video for a better format than its file's; queue the upgrade when offered."""
    job = Job.objects.filter(pk=job_id, kind=kinds.UPGRADE_CHECK).select_related("video").first()
    if job is None or job.status != Status.QUEUED or job.video is None:
        return  # already handled, cancelled or deleted: a duplicate message is harmless
    with job_log_context(job_id=job.pk, video_id=job.video_id):
        host = urlsplit(job.video.source_url).hostname or "unknown"
        with host_slot(host, job, context) as acquired:
            if not acquired:
                return
            claimed = job_claim(
                job_id=job.pk, worker_id=context.worker_id, publisher=context.publisher
            )
            if claimed is None:
                return
            # Registered, so the process's monitor writes its heartbeat and keeps its slot.
            context.registry[claimed.pk] = ProgressReporter(claimed, context, host=host)
            try:
                end = _check(claimed, host=host, context=context)
            finally:
                context.registry.pop(claimed.pk, None)
            end()


def _check(job: Job, *, host: str, context: RunContext) -> Callable[[], None]:
    """Probe and decide; return what ends the job (run once the host's slot is let go)."""
    video = (
        with_file_quality(Video.objects.filter(pk=job.video_id, file__isnull=False))
        .select_related("artist__quality_profile", "file")
        .first()
    )
    if video is None:
        return partial(complete, job, context, message="The video has no file: nothing to upgrade.")
    if video.cutoff_rank <= video.file_rank or not video.upgrade_allowed:
        return partial(
            complete, job, context, message="Its file meets its profile's cutoff now: no upgrade."
        )
    have = file_quality_name(video)
    profile = profile_for_artist(video.artist)
    try:
        connection.close()  # the probe holds no database connection, as a download holds none
        result = ytdlp.probe(video.source_url, config=context.config)
        close_old_connections()
        if isinstance(result, ytdlp.PlaylistResult):
            raise ytdlp.PermanentError(
                "The video's link is now a playlist, not one video; correct its link."
            )
        better = quality.better_on_offer(
            allowed=list(profile.qualities), offered_heights=result.heights, have=have
        )
        if not better:
            offers = _offers(result.heights)
            return partial(
                complete,
                job,
                context,
                message=f"No better source: nothing above its {have or 'file'} is on offer "
                f"({offers}).",
            )
        download = upgrade_download_submit(
            video=video,
            profile=profile,
            better=better,
            from_quality=have,
            user=job.user,
            origin=job.origin,
        )
        if download is None:
            message = f"{better[0]} is on offer, but a download of it is already under way."
        else:
            message = (
                f"{better[0]} is on offer, better than its {have or 'file'}: "
                f"upgrade queued (job #{download.pk})."
            )
        return partial(complete, job, context, message=message)
    except ytdlp.TransientError as exc:
        back_off_if_rate_limited(host, exc)
        return partial(retry_or_fail, job, context, reason=exc.message)
    except ytdlp.PermanentError as exc:
        return partial(fail, job, context, reason=exc.message)
    except REDIS_DOWN as exc:
        return partial(retry_or_fail, job, context, reason=f"Redis was unreachable ({exc}).")
    except Shutdown:
        return partial(requeue, job, context, delay=0.0, reason="", refund_attempt=True)
    except Exception as exc:
        logger.exception("job %s: unexpected error", job.pk)
        reason = f"Unexpected error: {exc}. This is a bug; report it."
        return partial(fail, job, context, reason=reason)


def _offers(heights: list[int]) -> str:
    offered = sorted(
        {quality.quality_of(height=height) for height in heights} - {None},
        key=quality.rank,
        reverse=True,
    )
    return "it offers " + ", ".join(offered) if offered else "no height is known"

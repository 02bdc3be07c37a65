"""Probing: ``run_probe(job_id, context=…)`` fills a video's metadata, or imports every entry
of a playlist or feed."""

from __future__ import annotations

import logging

from django.db import close_old_connections, transaction
from dramatiq.middleware import Shutdown
from redis.exceptions import RedisError

from jobs.history import Event, history_event, history_record_many
from jobs.models import Job
from jobs.services.errors import JobError
from jobs.services.providers import metadata_refresh_after_probe
from jobs.services.sidecars import sidecars_submit
from jobs.transitions import job_claim
from jobs.worker.context import RunContext
from jobs.worker.outcomes import complete, fail, requeue, retry_or_fail
from mvidarr.ops.logs import job_log_context
from mvidarr.redis_outage import REDIS_DOWN
from videos import ytdlp
from videos.models import Video
from videos.selectors import ignored_keys
from videos.services import (
    DuplicateVideo,
    InvalidSourceUrl,
    video_apply_probe,
    video_artwork_refresh,
    video_import_entry,
)

logger = logging.getLogger(__name__)


def run_probe(job_id: int, *, context: RunContext) -> None:
    """Fill a video's metadata, or import every entry of a playlist or feed."""
    job = job_claim(job_id=job_id, worker_id=context.worker_id, publisher=context.publisher)
    if job is None:
        return
    with job_log_context(job_id=job.pk, video_id=job.video_id):
        _run_probe(job, context=context)
        _refresh_after(job)


def _refresh_after(job: Job) -> None:
    """The providers' refresh that follows the probe (the setting allowing): never a reason
    for the probe to fail, so a refusal is only logged."""
    close_old_connections()
    try:
        metadata_refresh_after_probe(probe_id=job.pk)
    except (JobError, RedisError, *REDIS_DOWN) as exc:
        logger.warning("job %s: the metadata refresh could not be started: %s", job.pk, exc)


def _run_probe(job: Job, *, context: RunContext) -> None:
    video = job.video
    try:
        url = video.source_url if video is not None else job.options.get("url", "")
        result = ytdlp.probe(url, config=context.config)
        close_old_connections()
        message = _apply_probe(job, video, result) if video is not None else _import(job, result)
        complete(job, context, message=message)
    except ytdlp.TransientError as exc:
        retry_or_fail(job, context, reason=exc.message)
    except (ytdlp.PermanentError, DuplicateVideo) as exc:
        fail(job, context, reason=str(exc))
    except Shutdown:
        requeue(job, context, delay=0.0, reason="", refund_attempt=True)
    except Exception as exc:
        logger.exception("job %s: unexpected error", job.pk)
        fail(job, context, reason=f"Unexpected error: {exc}. This is a bug; report it.")


def _apply_probe(job: Job, video: Video, result) -> str:
    if isinstance(result, ytdlp.PlaylistResult):
        # Kept on the job: the add page offers "import all" or "follow as a source" live.
        options = {
            **job.options,
            "playlist": {"url": video.source_url, "entries": len(result.entries)},
        }
        Job.objects.filter(pk=job.pk).update(options=options)
        raise ytdlp.PermanentError(
            f"This URL is a playlist of {len(result.entries)} videos — import it instead."
        )
    video_apply_probe(video=video, result=result)
    # The pages show MVidarr's own copy of the artwork, also before any download.
    note = video_artwork_refresh(video=video)
    close_old_connections()
    # A video already downloaded gets its sidecars written again with what was found.
    sidecars_submit(
        video=video, user=None, origin=Job.Origin.SYSTEM, batch=bool(job.options.get("batch"))
    )
    return "; ".join(text for text in (f"Found “{video.title}”", note) if text)


def _import(job: Job, result) -> str:
    entries = result.entries if isinstance(result, ytdlp.PlaylistResult) else [result]
    added, skipped, refused, ignored = [], 0, 0, 0
    ignored_sources, ignored_urls = ignored_keys()
    for entry in entries:
        if (entry.extractor, entry.source_id) in ignored_sources or entry.url in ignored_urls:
            ignored += 1
            continue
        try:
            video, created = video_import_entry(entry=entry)
        except InvalidSourceUrl as exc:
            logger.warning("job %s: %s", job.pk, exc)
            refused += 1
            continue
        if created:
            added.append(video)
        else:
            skipped += 1
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(
            options={
                **job.options,
                "video_ids": [video.pk for video in added],
                "skipped": skipped,
                "refused": refused,
                "ignored": ignored,
            }
        )
        history_record_many(history_event(Event.ADDED, video=video, job=job) for video in added)
    text = f"Added {len(added)} video{'s' if len(added) != 1 else ''}"
    if skipped:
        text += f", skipped {skipped} already in the library"
    if ignored:
        text += f", skipped {ignored} on the ignore list"
    if refused:
        addresses = "address is" if refused == 1 else "addresses are"
        text += f", refused {refused} whose {addresses} not http:// or https://"
    return text

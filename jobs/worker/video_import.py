"""Adding one video from a provider: ``run_video_import(job_id, context=…)``, the plain
function behind the ``import_video`` actor (the IMVDb page's "Add video").

The video is asked for once and added as an artist import adds each video of a videography
(:func:`videos.provider_metadata.video_add_from_provider`: its metadata, the provider's
primary source as its link or none, so it is ``wanted`` or ``needs_source``), to the artist
the provider names first. A video already in the library is not added again: it gets the
provider's id and fills from the provider. The job then points at the video, so the pages
link it. A transient fault retries; a permanent one fails with the provider's sentence.
"""

from __future__ import annotations

import logging

from django.db import close_old_connections, transaction

from jobs import kinds
from jobs.history import history_event, history_record_many
from jobs.models import HistoryEvent, Job
from jobs.transitions import videos_status_refresh
from jobs.worker.context import RunContext
from jobs.worker.outcomes import complete, end_cancelled
from jobs.worker.progress import cancel_flag
from jobs.worker.provider_run import run_provider_job
from videos.provider_metadata import video_add_from_provider
from videos.providers.base import PermanentError
from videos.providers.registry import provider_get
from videos.services import artist_get_or_create

logger = logging.getLogger(__name__)


def run_video_import(job_id: int, *, context: RunContext) -> None:
    run_provider_job(
        job_id,
        kind=kinds.VIDEO_IMPORT,
        context=context,
        body=_import_video,
    )


def _import_video(job: Job, context: RunContext) -> None:
    options = dict(job.options)
    name, provider_id = options["provider"], options["provider_id"]
    provider = provider_get(name)
    details = provider.video(provider_id)
    if not details.artist:
        raise PermanentError(
            f"{provider.label} names no artist for video {provider_id}, so it was not added."
        )
    close_old_connections()
    if cancel_flag(job.pk):
        end_cancelled(job, context)
        return
    with transaction.atomic():
        artist = artist_get_or_create(name=details.artist)
        video, created = video_add_from_provider(provider=name, details=details, artist=artist)
        if created:
            videos_status_refresh(video_ids=[video.pk])
            history_record_many([history_event(HistoryEvent.Event.ADDED, video=video, job=job)])
        options.update(video=video.pk, artist=artist.pk, created=created)
        Job.objects.filter(pk=job.pk).update(options=options, video=video)
        job.options, job.video = options, video
    if created:
        message = f"Added “{video.title}” by {artist.name} from {provider.label}"
    else:
        message = f"“{video.title}” by {artist.name} was already in the library"
    complete(job, context, message=message[:255])

"""Adding an artist from a provider: ``run_artist_import(job_id, context=…)``, the plain
function behind the ``import_artist`` actor.

Each message reads the artist's whole videography (cached: one request per page once) and
adds the next ``IMPORT_PAGE`` of its videos, each with its metadata, as one transaction with
their "added" history and the job's offset; then the job goes back to the queue for the
next page, as an index does. A video already in the library (by the provider's id, its
YouTube source, or its artist and title) is not added again, so running the import twice
adds nothing. A provider's transient fault retries the job from the same offset; a
permanent one fails it with the provider's sentence, the videos added so far kept.
"""

from __future__ import annotations

import logging

from django.db import close_old_connections, transaction

from jobs import kinds
from jobs.history import history_event, history_record_many
from jobs.models import HistoryEvent, Job
from jobs.transitions import job_requeue, videos_status_refresh
from jobs.worker.artist_details import ArtistAnswer, artist_apply, artist_files_update, ask_artist
from jobs.worker.context import RunContext
from jobs.worker.outcomes import complete, end_cancelled
from jobs.worker.progress import cancel_flag
from jobs.worker.provider_run import run_provider_job
from videos.models import Artist
from videos.provider_metadata import artist_for_provider, video_add_from_provider
from videos.providers.base import ArtistHit, PermanentError, TransientError
from videos.providers.registry import provider_get

logger = logging.getLogger(__name__)

IMPORT_PAGE = 20  # videos per message: each is one request at the provider's rate
Event = HistoryEvent.Event


def run_artist_import(job_id: int, *, context: RunContext) -> None:
    run_provider_job(
        job_id,
        kind=kinds.ARTIST_IMPORT,
        context=context,
        body=_import_page,
    )


def _import_page(job: Job, context: RunContext) -> None:
    options = dict(job.options)
    name, provider_id = options["provider"], options["provider_id"]
    offset = int(options.get("offset") or 0)
    provider = provider_get(name)
    artist_hit = provider.artist(provider_id)
    hits = provider.artist_videos(provider_id)
    page = hits[offset : offset + IMPORT_PAGE]
    details = [provider.video(hit.id) for hit in page]
    close_old_connections()
    if cancel_flag(job.pk):
        end_cancelled(job, context)
        return
    counts = {"found": len(hits), "added": 0, "existing": 0, **options.get("counts", {})}
    with transaction.atomic():
        artist = artist_for_provider(provider=name, artist_id=provider_id, name=artist_hit.name)
        added = []
        for item in details:
            video, created = video_add_from_provider(provider=name, details=item, artist=artist)
            if created:
                added.append(video)
        videos_status_refresh(video_ids=[video.pk for video in added])
        history_record_many(history_event(Event.ADDED, video=video, job=job) for video in added)
        counts["found"] = len(hits)
        counts["added"] += len(added)
        counts["existing"] += len(details) - len(added)
        options.update(offset=offset + len(page), counts=counts, artist=artist.pk)
        progress = 100.0 * min(1.0, (offset + len(page)) / len(hits)) if hits else 100.0
        Job.objects.filter(pk=job.pk).update(options=options, progress=min(99.0, progress))
        job.options = options
    summary = (
        f"{artist.name}: {counts['found']} videos at {provider.label}, {counts['added']} added, "
        f"{counts['existing']} already in the library"
    )
    if offset == 0:
        notes = _artist_details(artist, name, artist_hit)
        summary = "; ".join([summary, *notes])[:255]
    if offset + len(page) >= len(hits):
        complete(job, context, message=summary)
        return
    requeued = job_requeue(
        job=job, message=f"{summary}; the next page follows", refund_attempt=True,
        publisher=context.publisher,
    )  # fmt: skip
    if requeued:
        context.send_or_keep(job, delay=0.0)


def _artist_details(artist: Artist, provider: str, hit: ArtistHit) -> list[str]:
    """The artist's ids and picture (:mod:`jobs.worker.artist_details`), once per import:
    the provider's picture, and MusicBrainz' id for the artist's name. MusicBrainz failing
    does not stop the import: the sentence says so, an artist refresh asks again."""
    answers = [ArtistAnswer(provider, hit.id, hit.image_url)]
    notes = []
    if provider != "musicbrainz":
        try:
            answers += ask_artist([provider_get("musicbrainz")], artist)
        except (TransientError, PermanentError) as exc:
            logger.warning("artist %s: MusicBrainz was not asked: %s", artist.pk, exc)
            notes.append(f"MusicBrainz could not be asked for the artist's id: {exc.message}")
    changed = artist_apply(artist.pk, answers)
    return [*notes, *artist_files_update(artist.pk, changed=changed)]

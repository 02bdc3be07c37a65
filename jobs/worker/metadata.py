"""Refreshing metadata: ``run_metadata_refresh(job_id, context=…)``, the plain function
behind the ``refresh_metadata`` actor.

One message takes the next ``REFRESH_PAGE`` videos of the job's scope (a video, an artist's
videos, the videos a job added or imported, the library; by id, after
``options["after"]``), asks the providers for each (IMVDb first when a key is set, then
MusicBrainz: by the ids the video has, else by artist and title), and only once every
answer is in writes the page in one transaction: the fields a person did not set, a
``metadata_changed`` history row per video that changed, the job's position. A provider's
outage (a transient fault) or refusal (a wrong key) therefore changes nothing of the page:
the job retries it or fails with the provider's sentence.
A video the provider does not know (404) is skipped. Then the next page follows, as an
index's does; the job resumes where it stopped after a restart.

A downloaded video whose fields changed has its post-store steps run again
(:func:`rewrite_sidecars`): the sidecar and tag writers of ``videos.library.poststore``
rewrite what media servers read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import close_old_connections, transaction

from jobs import kinds
from jobs.history import history_event, history_record_many
from jobs.models import HistoryEvent, Job
from jobs.transitions import job_requeue
from jobs.worker.artist_details import (
    ArtistAnswer,
    artist_apply,
    artist_files_update,
    ask_artist,
    same_name,
)
from jobs.worker.context import RunContext
from jobs.worker.outcomes import complete, end_cancelled
from jobs.worker.progress import cancel_flag
from jobs.worker.provider_run import run_provider_job
from videos.library.poststore import run_post_store_steps
from videos.models import Artist, Video
from videos.provider_metadata import video_metadata_from_provider
from videos.providers.base import PermanentError, Provider, VideoDetails
from videos.providers.registry import provider_get, providers_configured

logger = logging.getLogger(__name__)

REFRESH_PAGE = 25
Event = HistoryEvent.Event


@dataclass
class Found:
    video: Video
    answers: list[tuple[str, VideoDetails]]


def run_metadata_refresh(job_id: int, *, context: RunContext) -> None:
    run_provider_job(
        job_id,
        kind=kinds.METADATA_REFRESH,
        context=context,
        body=_refresh_page,
        after_fault="Nothing was changed.",
    )


def scope_videos(options: dict):
    """The videos of the job's scope, by id."""
    videos = Video.objects.select_related("artist").order_by("pk")
    if options["scope"] == "video":
        return videos.filter(pk=options["target"])
    if options["scope"] == "artist":
        return videos.filter(artist_id=options["target"])
    if options["scope"] == "added":  # what an index or an import added: its history says
        added = HistoryEvent.objects.filter(
            job_id=options["target"], event__in=(Event.ADDED, Event.IMPORTED)
        )
        return videos.filter(pk__in=added.values("video_id"))
    return videos


def _refresh_page(job: Job, context: RunContext) -> None:
    options = dict(job.options)
    after = int(options.get("after") or 0)
    page = list(scope_videos(options).filter(pk__gt=after)[:REFRESH_PAGE])
    remaining = scope_videos(options).filter(pk__gt=after).count()
    providers = [provider_get(name) for name in providers_configured()]
    found = [Found(video, []) for video in page]
    for item in found:
        for provider in providers:
            details = _ask(provider, item.video)
            if details is not None:
                item.answers.append((provider.name, details))
    # An artist's refresh asks for the artist's own ids and picture too, once.
    artist = _scope_artist(options) if not after else None
    artist_answers = ask_artist(providers, artist) if artist is not None else []
    close_old_connections()
    if cancel_flag(job.pk):
        end_cancelled(job, context)
        return
    counts = {"checked": 0, "changed": 0, **options.get("counts", {})}
    with transaction.atomic():
        changed, artists_changed = _apply(job, found)
        if artist is not None and artist_apply(artist.pk, artist_answers):
            artists_changed.add(artist.pk)
        counts["checked"] += len(page)
        counts["changed"] += len(changed)
        options.update(after=page[-1].pk if page else after, counts=counts)
        Job.objects.filter(pk=job.pk).update(options=options)
        job.options = options
    notes = [note for video in changed for note in rewrite_sidecars(video)]
    # The refreshed artist's picture is fetched when it is new, whatever else changed.
    artist_ids = artists_changed | ({artist.pk} if artist is not None else set())
    for artist_id in sorted(artist_ids):
        notes += artist_files_update(artist_id, changed=artist_id in artists_changed)
    summary = f"{counts['checked']} videos checked, {counts['changed']} changed"
    if notes:
        summary += "; " + " ".join(notes)
    if remaining <= len(page):
        complete(job, context, message=summary[:255])
        return
    requeued = job_requeue(
        job=job, message=f"{summary}; the next page follows", refund_attempt=True,
        publisher=context.publisher,
    )  # fmt: skip
    if requeued:
        context.send_or_keep(job, delay=0.0)


def _ask(provider: Provider, video: Video) -> VideoDetails | None:
    """The provider's entry for ``video`` (by its id there, else by artist and title);
    None when it has none. Transient faults and refusals propagate."""
    known = (video.provider_ids or {}).get(provider.name)
    try:
        if known:
            return provider.video(str(known))
        artist = video.artist.name if video.artist_id else ""
        if not artist or not video.title:
            return None
        return provider.find_video(artist=artist, title=video.title)
    except PermanentError as exc:
        if exc.gone:
            logger.info("%s does not know video %s any more: %s", provider.label, video.pk, exc)
            return None
        raise


def _scope_artist(options: dict) -> Artist | None:
    if options["scope"] != "artist":
        return None
    return Artist.objects.filter(pk=options["target"]).first()


def _apply(job: Job, found: list[Found]) -> tuple[list[Video], set[int]]:
    """Write what the providers said; return the videos that changed and the artists whose
    ids changed (MusicBrainz names the artist of a recording it knows)."""
    changed, rows, artist_ids = [], [], {}
    for item in found:
        video = (
            Video.objects.select_for_update(of=("self",))
            .select_related("artist")
            .get(pk=item.video.pk)
        )
        changes: dict[str, dict] = {}
        by: list[str] = []
        for name, details in item.answers:
            mine = video_metadata_from_provider(video=video, provider=name, fields=details.fields)
            if mine:
                by.append(name)
                changes.update(mine)
            credited = details.extra.get("artist_ids") or []
            if (
                name == "musicbrainz"
                and credited
                and video.artist_id is not None
                and same_name(details.artist, video.artist.name)
            ):
                artist_ids.setdefault(video.artist_id, credited[0])
        if not changes:
            continue
        video.save(update_fields=[*changes, "field_sources", "updated_at"])
        changed.append(video)
        rows.append(
            history_event(
                Event.METADATA_CHANGED, video=video, job=job,
                data={"providers": by, "changes": changes},
            )
        )  # fmt: skip
    history_record_many(rows)
    artists_changed = {
        artist_id
        for artist_id, mbid in artist_ids.items()
        if artist_apply(artist_id, [ArtistAnswer("musicbrainz", mbid)])
    }
    return changed, artists_changed


def rewrite_sidecars(video: Video) -> list[str]:
    """The hook for files beside a downloaded video: its post-store steps (sidecars, tags)
    run again with the new fields; a sentence per step that failed."""
    video_file = video.current_file
    if video_file is None:
        return []
    return run_post_store_steps(video=video, video_file=video_file)

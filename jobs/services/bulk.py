"""Bulk downloads: starting one. What a bulk job says about its items, and when it ends,
follows from them (:mod:`jobs.transitions.bulk`)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from jobs import kinds, live
from jobs.history import Event, download_data, history_event, history_record_many
from jobs.models import Job
from jobs.progress import publish_after_commit
from jobs.services.errors import JobError
from jobs.services.queueing import send_jobs_on_commit
from jobs.services.shared import check_origin, check_quality, download_options
from jobs.transitions import videos_status_refresh
from videos.models import IgnoredEntry, Video
from videos.selectors import profiles_for_artists, video_list

Kind = Job.Kind

Status = Job.Status

# The most videos one bulk download takes (by ids or by a filter; Wanted's too).
BULK_MAX = 10_000


class TooManyVideos(JobError):
    """More videos than one bulk download takes (:data:`BULK_MAX`)."""


def bulk_download_filtered(
    *,
    user,
    status: str = "",
    artist_id: int | None = None,
    search: str = "",
    quality: str | None = None,
    force: bool = False,
    origin: str = Job.Origin.USER,
) -> Job:
    """One bulk download of the videos the library's filter selects (``status``,
    ``artist_id``, ``search`` as :func:`videos.selectors.video_list`), as
    :func:`bulk_download_submit`. Raises :class:`TooManyVideos` over :data:`BULK_MAX`."""
    matching = video_list(status=status, artist_id=artist_id, search=search).order_by("pk")
    ids = list(matching.values_list("pk", flat=True)[: BULK_MAX + 1])
    if len(ids) > BULK_MAX:
        raise TooManyVideos(
            f"This filter selects more than {BULK_MAX:,} videos, the most one bulk download "
            "takes; narrow it (by status, artist or title) and download the rest in a "
            "second bulk."
        )
    if not ids:
        raise JobError("No video matches this filter; change it and try again.")
    chosen = {"status": status, "artist": artist_id, "search": search}
    return bulk_download_submit(
        videos=[Video(pk=pk) for pk in ids],
        user=user,
        quality=quality,
        force=force,
        origin=origin,
        selection={key: value for key, value in chosen.items() if value},
    )


@transaction.atomic
def bulk_download_submit(
    *,
    videos: Iterable[Video],
    user,
    quality: str | None = None,
    force: bool = False,
    origin: str = Job.Origin.USER,
    selection: dict | None = None,
) -> Job:
    """One ``bulk_video_download`` job whose children download each video (at most
    :data:`BULK_MAX`, else :class:`TooManyVideos`); ``selection`` is the filter that chose
    them, kept in its options.

    ``quality`` None: each video follows its artist's quality profile, else the default
    profile; a quality overrides the profiles for every child.

    Videos already downloaded (unless ``force``) or already being downloaded are skipped,
    and so are videos on the ignore list and videos without a source yet (added by artist
    and title: look for their source first); the bulk job's message counts them. Each child is
    its own message on the bulk queue.
    """
    check_quality(quality)
    check_origin(user=user, origin=origin)
    ids = list(dict.fromkeys(v.pk for v in videos))
    if len(ids) > BULK_MAX:
        raise TooManyVideos(
            f"A bulk download takes at most {BULK_MAX:,} videos and {len(ids):,} were "
            "chosen; download them in several bulks."
        )
    videos = list(Video.objects.select_for_update().filter(pk__in=ids))
    if not videos:
        raise JobError("Choose at least one video to download.")
    live.require_redis()
    now = timezone.now()
    ignored_ids = set(
        IgnoredEntry.objects.filter(video__in=videos).values_list("video_id", flat=True)
    )
    ignored = [video for video in videos if video.pk in ignored_ids]
    busy_ids = set(
        Job.objects.filter(
            video__in=videos,
            kind__in=kinds.names(holds_video_slot=True),
            status__in=Job.ACTIVE_STATUSES,
        ).values_list("video_id", flat=True)
    )  # one query for all, not one per video
    sourceless = [v for v in videos if v.pk not in ignored_ids and not v.source_url]
    skipped = [
        video
        for video in videos
        if video.pk not in ignored_ids
        and video.source_url
        and ((video.status == Video.Status.DOWNLOADED and not force) or video.pk in busy_ids)
    ]
    left_out = ignored_ids | {video.pk for video in [*skipped, *sourceless]}
    chosen = [video for video in videos if video.pk not in left_out]
    parts = [f"{len(chosen)} video{'s' if len(chosen) != 1 else ''} to download"]
    if skipped:
        parts.append(f"{len(skipped)} skipped (already downloaded or being downloaded)")
    if ignored:
        parts.append(f"{len(ignored)} skipped (on the ignore list)")
    if sourceless:
        parts.append(_sourceless_said(len(sourceless)))
    # Created in its state: running while it has items, else already completed.
    parent = Job.objects.create(
        kind=Kind.BULK_VIDEO_DOWNLOAD,
        user=user,
        origin=origin,
        status=Status.PROCESSING if chosen else Status.COMPLETED,
        started_at=now,
        finished_at=None if chosen else now,
        progress=0.0 if chosen else 100.0,
        message="; ".join(parts),
        # Counts, not the ids: the options travel in every push of the job.
        options={
            "quality": quality,
            "force": force,
            "requested": len(videos),
            "ignored": len(ignored),
            **({"filter": selection} if selection else {}),
        },
        items_queued=len(chosen),
    )
    profiles = profiles_for_artists(v.artist_id for v in chosen) if quality is None else {}
    # One INSERT for all children: the videos are locked and have no active download, so
    # the one-active-download constraint cannot refuse any of them.
    children = Job.objects.bulk_create(
        [
            Job(
                kind=Kind.VIDEO_DOWNLOAD,
                video=video,
                user=user,
                origin=origin,
                parent=parent,
                options=download_options(
                    quality=quality, profile=profiles.get(video.artist_id), force=force
                ),
                message="Waiting for a worker",
                # Its message's id now, so that no second UPDATE of every row records it.
                message_id=str(uuid.uuid4()),
            )
            for video in chosen
        ]
    )
    videos_status_refresh(video_ids=[v.pk for v in chosen])
    history_record_many(
        history_event(Event.GRABBED, video=child.video, job=child, data=download_data(child))
        for child in children
    )
    send_jobs_on_commit(children)
    publish_after_commit(parent)
    return parent


def _sourceless_said(count: int) -> str:
    """The part of a bulk job's message about videos left out for want of a source."""
    if count == 1:
        return (
            "1 left out: it has no source yet (look for one on its page, "
            "or download it from Wanted, which looks first)"
        )
    return (
        f"{count} left out: they have no source yet (look for theirs on their pages, "
        "or download them from Wanted, which looks first)"
    )

"""Bulk downloads: starting one. What a bulk job says about its items, and when it ends,
follows from them (:mod:`jobs.transitions.bulk`)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from jobs import kinds, live
from jobs.history import download_options_data, history_record_grabs, history_title
from jobs.models import Job
from jobs.progress import publish_after_commit
from jobs.services.errors import JobError
from jobs.services.queueing import send_items_on_commit
from jobs.services.shared import check_origin, check_quality, download_options
from jobs.transitions import videos_status_refresh
from mvidarr.rows import rows_insert
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
    file_quality: str = "",
    video_type: str = "",
    site: str = "",
    quality: str | None = None,
    force: bool = False,
    origin: str = Job.Origin.USER,
) -> Job:
    """One bulk download of the videos the library's filter selects (``status``,
    ``artist_id``, ``search``, ``file_quality``, ``video_type``, ``site`` as
    :func:`videos.selectors.video_list` takes them, the file's quality as its ``quality``),
    at ``quality``, as :func:`bulk_download_submit`. Raises :class:`TooManyVideos` over
    :data:`BULK_MAX`."""
    matching = video_list(
        status=status,
        artist_id=artist_id,
        search=search,
        quality=file_quality,
        video_type=video_type,
        site=site,
    ).order_by("pk")
    ids = list(matching.values_list("pk", flat=True)[: BULK_MAX + 1])
    if len(ids) > BULK_MAX:
        raise TooManyVideos(
            f"This filter selects more than {BULK_MAX:,} videos, the most one bulk download "
            "takes; narrow it (by status, artist or title) and download the rest in a "
            "second bulk."
        )
    if not ids:
        raise JobError("No video matches this filter; change it and try again.")
    chosen = {
        "status": status,
        "artist": artist_id,
        "search": search,
        "quality": file_quality,
        "video_type": video_type,
        "source": site,
    }
    return bulk_download_submit(
        video_ids=ids,
        user=user,
        quality=quality,
        force=force,
        origin=origin,
        selection={key: value for key, value in chosen.items() if value},
    )


@transaction.atomic
def bulk_download_submit(
    *,
    videos: Iterable[Video] = (),
    video_ids: Iterable[int] = (),
    user,
    quality: str | None = None,
    force: bool = False,
    origin: str = Job.Origin.USER,
    selection: dict | None = None,
) -> Job:
    """One ``bulk_video_download`` job whose children download each video of ``videos``
    and ``video_ids`` (at most :data:`BULK_MAX`, else :class:`TooManyVideos`);
    ``selection`` is the filter that chose them, kept in its options.

    ``quality`` None: each video follows its artist's quality profile, else the default
    profile; a quality overrides the profiles for every child.

    Videos already downloaded (unless ``force``) or already being downloaded are skipped,
    and so are videos on the ignore list and videos without a source yet (added by artist
    and title: look for their source first); the bulk job's message counts them. Each child is
    its own message on the bulk queue.

    A bulk of 10,000 is one request (issue 19: under 2 s): the videos are read as values,
    the children and their history rows written without a model instance each
    (:mod:`mvidarr.rows`), the videos' status by one UPDATE, the messages sent to Redis
    1,000 to a round trip.
    """
    check_quality(quality)
    check_origin(user=user, origin=origin)
    ids = list(dict.fromkeys([*(v.pk for v in videos), *video_ids]))
    if len(ids) > BULK_MAX:
        raise TooManyVideos(
            f"A bulk download takes at most {BULK_MAX:,} videos and {len(ids):,} were "
            "chosen; download them in several bulks."
        )
    # Locked on PostgreSQL (SQLite has one writer at a time already).
    found = list(
        Video.objects.select_for_update()
        .filter(pk__in=ids)
        .values_list(
            "id", "artist_id", "status", "source_url", "title", "indexed_from_id", named=True
        )
    )
    if not found:
        raise JobError("Choose at least one video to download.")
    live.require_redis()
    now = timezone.now()
    ignored_ids = set(
        IgnoredEntry.objects.filter(video_id__in=ids).values_list("video_id", flat=True)
    )
    busy_ids = set(
        Job.objects.filter(
            video_id__in=ids,
            kind__in=kinds.names(holds_video_slot=True),
            status__in=Job.ACTIVE_STATUSES,
        ).values_list("video_id", flat=True)
    )  # one query for all, not one per video
    ignored = [video for video in found if video.id in ignored_ids]
    sourceless = [v for v in found if v.id not in ignored_ids and not v.source_url]
    skipped = [
        video
        for video in found
        if video.id not in ignored_ids
        and video.source_url
        and ((video.status == Video.Status.DOWNLOADED and not force) or video.id in busy_ids)
    ]
    left_out = ignored_ids | {video.id for video in [*skipped, *sourceless]}
    chosen = [video for video in found if video.id not in left_out]
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
            "requested": len(found),
            "ignored": len(ignored),
            **({"filter": selection} if selection else {}),
        },
        items_queued=len(chosen),
    )
    if chosen:
        _items_create(parent, chosen, quality=quality, force=force)
    publish_after_commit(parent)
    return parent


def _items_create(parent: Job, chosen: list, *, quality: str | None, force: bool) -> None:
    """The bulk job's items for the ``chosen`` videos (rows of :func:`bulk_download_submit`),
    their videos' status, their ``grabbed`` history and their messages (after the commit)."""
    # One plan per profile, shared by the items that follow it.
    if quality is None:
        profiles = profiles_for_artists(v.artist_id for v in chosen)
        plans: dict[object, dict] = {}
        options = {}
        for artist_id, profile in profiles.items():
            # Artists' profiles are an object each; the default may be unsaved (no pk).
            key = profile.pk if profile.pk is not None else id(profile)
            if key not in plans:
                plans[key] = download_options(quality=None, profile=profile, force=force)
            options[artist_id] = plans[key]
    else:
        plan = download_options(quality=quality, profile=None, force=force)
        options = {v.artist_id: plan for v in chosen}
    # One INSERT for all: the videos are locked and have no active download, so the
    # one-active-download constraint cannot refuse any of them. Each item's message id is
    # written with it, so that no second UPDATE of every row records it.
    rows_insert(
        Job,
        [
            {
                "video_id": video.id,
                "options": options[video.artist_id],
                "message_id": str(uuid.uuid4()),
            }
            for video in chosen
        ],
        common={
            "kind": Kind.VIDEO_DOWNLOAD,
            "status": Status.QUEUED,
            "user_id": parent.user_id,
            "origin": parent.origin,
            "parent_id": parent.pk,
            "message": "Waiting for a worker",
        },
    )
    written = Job.objects.filter(parent_id=parent.pk)
    items = list(written.order_by("id").values_list("id", "video_id", "message_id"))
    videos_status_refresh(video_ids=written.values("video_id"))
    said = {id(plan): download_options_data(plan) for plan in options.values()}
    by_id = {video.id: video for video in chosen}
    history_record_grabs(
        [
            {
                "video_id": video_id,
                "title": history_title(by_id[video_id].title, by_id[video_id].source_url),
                "artist_id": by_id[video_id].artist_id,
                "source_id": by_id[video_id].indexed_from_id,
                "job_id": job_id,
                "data": said[id(options[by_id[video_id].artist_id])],
            }
            for job_id, video_id, _ in items
        ],
        user_id=parent.user_id,
        origin=parent.origin,
    )
    send_items_on_commit(
        kind=Kind.VIDEO_DOWNLOAD, items=[(job_id, message_id) for job_id, _, message_id in items]
    )


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

"""Doing things with jobs: submit, cancel, retry, hide. Called by the API, pages and admin.

Each service writes the rows and sends the Dramatiq message once the transaction commits,
then returns at once: no caller ever waits on a download. Those that start, retry or cancel
a job raise redis' ConnectionError first when Redis is down (the API answers 503), so no row
is written that could not be acted on.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Exists, Q
from django.utils import timezone

from jobs import live
from jobs.bulk import bulk_summary
from jobs.models import Job
from jobs.progress import DirectPublisher, publish_job
from jobs.queueing import send_job_on_commit, send_jobs_on_commit
from mvidarr.redis_outage import skipped_while_down
from videos.models import Video
from videos.services import artist_get_or_create, video_create, video_delete, video_set_status
from videos.ytdlp import QUALITIES

Kind = Job.Kind
Status = Job.Status


class JobError(Exception):
    """A request about jobs that cannot be done; the message is for a person."""


class JobConflict(JobError):
    """Another job is in the way, or the video needs no download."""


class JobStateError(JobError):
    """The job is not in a state that allows this."""


class JobPermissionError(JobError):
    """The user may not act on this job."""


def _can_act(user, job: Job) -> bool:
    return bool(user.is_staff or (job.user_id is not None and job.user_id == user.pk))


def _check_quality(quality: str) -> None:
    if quality not in QUALITIES:
        raise JobError(f"Unknown quality {quality!r}; choose one of {', '.join(QUALITIES)}.")


def _publish_after_commit(job: Job) -> None:
    transaction.on_commit(lambda: publish_job(job, publisher=DirectPublisher()))


def _active_download(video: Video) -> Job | None:
    active = Job.objects.filter(
        video=video, kind=Kind.VIDEO_DOWNLOAD, status__in=Job.ACTIVE_STATUSES
    ).first()
    if active is not None:
        active.video = video  # the caller's row: no second query, no join on every submit
    return active


@transaction.atomic
def submit_video_download(
    *, video: Video, user, quality: str = "best", force: bool = False
) -> tuple[Job, bool]:
    """Start downloading ``video``; return ``(job, created)``.

    When this user already has an active download of the video, that job is returned with
    ``created`` False. Raises :class:`JobConflict` when another user's job is active for it,
    or when it is already downloaded and ``force`` is False.
    """
    _check_quality(quality)
    video = Video.objects.select_for_update().get(pk=video.pk)
    active = _active_download(video)
    if active is not None:
        if active.user_id == user.pk:
            return active, False
        raise JobConflict(
            "Another user is already downloading this video; wait for that job to finish."
        )
    if video.status == Video.Status.DOWNLOADED and not force:
        raise JobConflict(
            "This video is already downloaded; ask for a forced re-download to replace it."
        )
    live.require_redis()
    job = _create_download(video=video, user=user, quality=quality, force=force, parent=None)
    return job, True


def _create_download(*, video, user, quality, force, parent) -> Job:
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=Kind.VIDEO_DOWNLOAD,
                video=video,
                user=user,
                parent=parent,
                options={"quality": quality, "force": force},
                message="Waiting for a worker",
            )
    except IntegrityError:
        raise JobConflict("This video is already being downloaded.") from None
    if video.status != Video.Status.DOWNLOADED:
        video_set_status(video=video, status=Video.Status.QUEUED)
    job.video = video
    send_job_on_commit(job)
    _publish_after_commit(job)
    return job


@transaction.atomic
def submit_bulk_download(
    *, videos: Iterable[Video], user, quality: str = "best", force: bool = False
) -> Job:
    """One ``bulk_video_download`` job whose children download each video.

    Videos already downloaded (unless ``force``) or already being downloaded are skipped
    and named in the bulk job's message; each child is its own message on the bulk queue.
    """
    _check_quality(quality)
    videos = list(Video.objects.select_for_update().filter(pk__in=[v.pk for v in videos]))
    if not videos:
        raise JobError("Choose at least one video to download.")
    live.require_redis()
    now = timezone.now()
    parent = Job.objects.create(
        kind=Kind.BULK_VIDEO_DOWNLOAD,
        user=user,
        status=Status.PROCESSING,
        started_at=now,
        options={"quality": quality, "force": force, "video_ids": [v.pk for v in videos]},
    )
    skipped = [
        video
        for video in videos
        if (video.status == Video.Status.DOWNLOADED and not force) or _active_download(video)
    ]
    chosen = [video for video in videos if video not in skipped]
    # One INSERT for all children: the videos are locked and have no active download, so
    # the one-active-download constraint cannot refuse any of them.
    children = Job.objects.bulk_create(
        [
            Job(
                kind=Kind.VIDEO_DOWNLOAD,
                video=video,
                user=user,
                parent=parent,
                options={"quality": quality, "force": force},
                message="Waiting for a worker",
            )
            for video in chosen
        ]
    )
    Video.objects.filter(pk__in=[v.pk for v in chosen]).exclude(
        status=Video.Status.DOWNLOADED
    ).update(status=Video.Status.QUEUED, updated_at=now)
    send_jobs_on_commit(children)
    created = len(children)
    parts = [f"{created} video{'s' if created != 1 else ''} to download"]
    if skipped:
        parts.append(f"{len(skipped)} skipped (already downloaded or being downloaded)")
    parent.message = "; ".join(parts)
    if created == 0:
        parent.status = Status.COMPLETED
        parent.progress = 100.0
        parent.finished_at = now
    parent.save(update_fields=["message", "status", "progress", "finished_at"])
    _publish_after_commit(parent)
    return parent


@transaction.atomic
def submit_probe(*, user, video: Video | None = None, url: str | None = None) -> Job:
    """Probe ``video`` to fill its metadata, or import every entry of ``url``."""
    if (video is None) == (url is None):
        raise JobError("Give either a video to probe or a URL to import.")
    live.require_redis()
    options = {"import": True, "url": url} if url else {}
    job = Job.objects.create(
        kind=Kind.METADATA_PROBE,
        user=user,
        video=video,
        options=options,
        message="Waiting for a worker",
    )
    send_job_on_commit(job)
    _publish_after_commit(job)
    return job


class VideoAlreadyAdded(JobConflict):
    """The URL is already a video of the library."""


class VideoBusy(JobConflict):
    """The video has a download in progress."""


@transaction.atomic
def add_video(*, url: str, user, title: str = "", artist_name: str = "") -> tuple[Video, Job]:
    """Add a video by URL and start the probe that fills in what was not given."""
    existing = Video.objects.filter(source_url=url).first()
    if existing is not None:
        raise VideoAlreadyAdded(
            f"This URL is already in the library as video #{existing.pk} "
            f"({existing.title or 'untitled'})."
        )
    name = artist_name.strip()
    artist = artist_get_or_create(name=name) if name else None
    video = video_create(url=url, title=title.strip(), artist=artist)
    return video, submit_probe(user=user, video=video)


def remove_video(*, video: Video, delete_file: bool) -> None:
    """Delete a video (and its file, if asked); refused while it is being downloaded."""
    if video.status in (Video.Status.QUEUED, Video.Status.DOWNLOADING) or _active_download(video):
        raise VideoBusy("This video is being downloaded; cancel the download, then delete it.")
    video_delete(video=video, delete_file=delete_file)


def cancel_job(*, job: Job, user) -> Job:
    """Cancel a job: a queued one at once, a running one at its next progress report."""
    if not _can_act(user, job):
        raise JobPermissionError("You can only cancel your own jobs.")
    live.require_redis()  # a running download hears of its cancel through Redis
    with transaction.atomic():
        if job.kind == Kind.BULK_VIDEO_DOWNLOAD:
            return _cancel_bulk(job)
        job = _cancel_one(job)
    return job


def _cancel_one(job: Job) -> Job:
    now = timezone.now()
    if Job.objects.filter(pk=job.pk, status=Status.QUEUED).update(
        status=Status.CANCELLED, finished_at=now, message="Cancelled"
    ):
        job.refresh_from_db()
        if job.video_id and job.kind == Kind.VIDEO_DOWNLOAD:
            video = job.video
            video_set_status(
                video=video,
                status=Video.Status.DOWNLOADED if video.file_path else Video.Status.WANTED,
            )
        _publish_after_commit(job)
        if job.parent_id:
            transaction.on_commit(lambda: bulk_refresh(parent_id=job.parent_id))
        return job
    if Job.objects.filter(pk=job.pk, status=Status.PROCESSING).update(
        cancel_requested=True, message="Cancelling…"
    ):
        transaction.on_commit(lambda: live.request_cancel(job.pk))
        job.refresh_from_db()
        _publish_after_commit(job)
        return job
    job.refresh_from_db()
    raise JobStateError(f"This job has already finished ({job.get_status_display().lower()}).")


def _cancel_bulk(parent: Job) -> Job:
    if parent.status not in Job.ACTIVE_STATUSES:
        raise JobStateError(
            f"This job has already finished ({parent.get_status_display().lower()})."
        )
    for child in parent.children.filter(status__in=Job.ACTIVE_STATUSES).select_related("video"):
        with contextlib.suppress(JobStateError):  # it finished meanwhile
            _cancel_one(child)
    Job.objects.filter(pk=parent.pk, status__in=Job.ACTIVE_STATUSES).update(
        status=Status.CANCELLED, finished_at=timezone.now(), message="Cancelled"
    )
    parent.refresh_from_db()
    _publish_after_commit(parent)
    return parent


def retry_job(*, job: Job, user) -> Job:
    """Run a failed or cancelled job again (a bulk job: its failed and cancelled children)."""
    if not _can_act(user, job):
        raise JobPermissionError("You can only retry your own jobs.")
    if job.status not in (Status.FAILED, Status.CANCELLED):
        raise JobStateError(
            f"Only failed or cancelled jobs can be retried; this one is "
            f"{job.get_status_display().lower()}."
        )
    live.require_redis()
    with transaction.atomic():
        if job.kind == Kind.BULK_VIDEO_DOWNLOAD:
            children = job.children.filter(
                status__in=(Status.FAILED, Status.CANCELLED)
            ).select_related("video")
            for child in children:
                with contextlib.suppress(JobConflict), transaction.atomic():
                    _requeue_for_retry(child, reopen_parent=False)
            _reopen_bulk(job.pk)
        else:
            _requeue_for_retry(job)
            return job  # as retried (queued): a worker may claim it the moment this commits
    job.refresh_from_db()  # after the commit, so a bulk job's summary is the new one
    return job


def _requeue_for_retry(job: Job, *, reopen_parent: bool = True) -> None:
    try:
        updated = Job.objects.filter(
            pk=job.pk, status__in=(Status.FAILED, Status.CANCELLED)
        ).update(
            status=Status.QUEUED,
            attempts=0,
            progress=0.0,
            error="",
            message="Waiting for a worker",
            cancel_requested=False,
            started_at=None,
            finished_at=None,
            heartbeat_at=None,
            worker="",
        )
    except IntegrityError:
        raise JobConflict(
            "This video is being downloaded by another job; retry when it has finished."
        ) from None
    if not updated:
        raise JobStateError("This job changed while you were retrying it; reload and try again.")
    job.refresh_from_db()
    if job.video_id and job.kind == Kind.VIDEO_DOWNLOAD and job.video.status != "downloaded":
        video_set_status(video=job.video, status=Video.Status.QUEUED)
    transaction.on_commit(lambda: live.clear_live(job.pk, parent_id=job.parent_id))
    send_job_on_commit(job)
    _publish_after_commit(job)
    if job.parent_id and reopen_parent:
        _reopen_bulk(job.parent_id)


def _reopen_bulk(parent_id: int) -> None:
    """A retried item makes its finished bulk job run again; its summary is recomputed."""
    Job.objects.filter(pk=parent_id).exclude(status__in=Job.ACTIVE_STATUSES).update(
        status=Status.PROCESSING, finished_at=None, error="", cancel_requested=False
    )
    transaction.on_commit(lambda: bulk_refresh(parent_id=parent_id))


def hide_job(*, job: Job, user) -> Job:
    """Hide a finished job from lists (it stays in the database and the admin)."""
    if not _can_act(user, job):
        raise JobPermissionError("You can only hide your own jobs.")
    if job.is_active:
        raise JobStateError("Cancel this job before hiding it; it has not finished yet.")
    Job.objects.filter(Q(pk=job.pk) | Q(parent_id=job.pk)).update(hidden=True)
    job.hidden = True
    _publish_after_commit(job)
    return job


def bulk_refresh(*, parent_id: int, publisher=None) -> Job | None:
    """Recompute a bulk job from its children (see :func:`jobs.bulk.bulk_summary`) and
    finish it when they have all finished. Safe to call from any process at any time.
    """
    parent = Job.objects.filter(pk=parent_id).first()
    if parent is None:
        return None
    children = list(parent.children.select_related("video").order_by("id"))
    if not children:
        return parent
    bulk_write_summary(parent=parent, children=children, publisher=publisher)
    return parent


def bulk_write_summary(*, parent: Job, children: list[Job], publisher=None) -> bool:
    """Write what ``children`` (as read) say about their bulk job; True when it was written.

    A conditional update on an active parent, so two children finishing together finish it
    once; the final state only while no child has changed since ``children`` were read (a
    child retried meanwhile reopened the parent: a stale "failed" must not close it again).
    """
    live_progress: dict[int, float] = {}
    with skipped_while_down("live figures"):
        live_progress = live.children_progress(parent.pk)
    summary = bulk_summary(children, live_progress)
    fields: dict = {"progress": summary.progress, "message": summary.message}
    target = Job.objects.filter(pk=parent.pk, status__in=Job.ACTIVE_STATUSES)
    if summary.status is not None:
        fields.update(status=summary.status, error=summary.error, finished_at=timezone.now())
        changed = Q(status__in=Job.ACTIVE_STATUSES)
        latest = max((c.finished_at for c in children if c.finished_at), default=None)
        if latest is not None:
            changed |= Q(finished_at__gt=latest)
        target = target.exclude(Exists(Job.objects.filter(changed, parent_id=parent.pk)))
    if not target.update(**fields):
        return False
    parent.refresh_from_db()
    publish_job(parent, publisher=publisher or DirectPublisher())
    return True

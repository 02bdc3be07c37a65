"""Starting a job: a video's download, a probe or an import."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from jobs import live
from jobs.history import Event, download_data, history_record
from jobs.models import Job
from jobs.progress import publish_after_commit
from jobs.services.errors import JobConflict, JobError, VideoIgnored, VideoNeedsSource
from jobs.services.queueing import send_job_on_commit, send_jobs_on_commit
from jobs.services.shared import active_download, check_origin, check_quality, download_options
from jobs.transitions import video_status_refresh
from videos.models import Video
from videos.selectors import profile_for_artist, video_is_ignored

Kind = Job.Kind


@transaction.atomic
def download_submit(
    *,
    video: Video,
    user,
    quality: str | None = None,
    force: bool = False,
    origin: str = Job.Origin.USER,
) -> tuple[Job, bool]:
    """Start downloading ``video``; return ``(job, created)``.

    ``quality`` None: the video's artist's quality profile decides, else the default
    profile; a quality (``best``, ``720p`` …, ``audio``) overrides the profile for this job.

    ``user`` is None for a job the scheduler or MVidarr starts (``origin``). When this user
    already has an active download of the video, that job is returned with ``created``
    False. Raises :class:`JobConflict` when another user's job is active for it,
    or when it is already downloaded and ``force`` is False, and :class:`VideoIgnored`
    when it is on the ignore list, :class:`VideoNeedsSource` when it has no source yet.
    """
    check_quality(quality)
    check_origin(user=user, origin=origin)
    video = Video.objects.select_for_update().get(pk=video.pk)
    if video_is_ignored(video):
        raise VideoIgnored()
    if not video.source_url:
        raise VideoNeedsSource()
    active = active_download(video)
    if active is not None:
        if active.user_id == getattr(user, "pk", None):
            return active, False
        raise JobConflict(
            "Another user is already downloading this video; wait for that job to finish."
        )
    if video.status == Video.Status.DOWNLOADED and not force:
        raise JobConflict(
            "This video is already downloaded; ask for a forced re-download to replace it."
        )
    live.require_redis()
    profile = profile_for_artist(video.artist) if quality is None else None
    options = download_options(quality=quality, profile=profile, force=force)
    job = download_create(video=video, user=user, origin=origin, options=options)
    return job, True


def download_create(*, video: Video, user, origin: str, options: dict) -> Job:
    """Write a download job of ``video`` with ``options`` (the caller has locked the video and
    checked that nothing is in the way), its ``grabbed`` history, and send it on commit."""
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=Kind.VIDEO_DOWNLOAD,
                video=video,
                user=user,
                origin=origin,
                options=options,
                message="Waiting for a worker",
            )
    except IntegrityError:
        raise JobConflict("This video is already being downloaded.") from None
    video_status_refresh(video=video)
    job.video = video
    history_record(Event.GRABBED, video=video, job=job, data=download_data(job))
    send_job_on_commit(job)
    publish_after_commit(job)
    return job


@transaction.atomic
def probe_submit(
    *,
    user,
    video: Video | None = None,
    url: str | None = None,
    origin: str = Job.Origin.USER,
) -> Job:
    """Probe ``video`` to fill its metadata, or import every entry of ``url``.

    ``user`` is None for a probe the scheduler or MVidarr starts (``origin``).
    """
    if (video is None) == (url is None):
        raise JobError("Give either a video to probe or a URL to import.")
    if video is not None and not video.source_url:
        raise VideoNeedsSource("This video has no link to look up yet; look for its source first.")
    check_origin(user=user, origin=origin)
    live.require_redis()
    options = {"import": True, "url": url} if url else {}
    job = Job.objects.create(
        kind=Kind.METADATA_PROBE,
        user=user,
        origin=origin,
        video=video,
        options=options,
        message="Waiting for a worker",
    )
    send_job_on_commit(job)
    publish_after_commit(job)
    return job


def probes_submit_batch(
    *, videos: list[Video], user, origin: str, index: int | None = None
) -> list[Job]:
    """Probe many videos (an index's new ones) on the bulk queue: one INSERT, and the
    messages once the transaction commits. Batched probes wait behind each other, not in
    front of what a person asked for on the interactive queue.

    With ``index`` (the index job that found them) the rows are made but no message is
    sent: on the bulk queue the index's own next pages would wait behind thousands of its
    probes. :func:`probes_send_for_index` sends them when the index ends, and housekeeping's
    ``resend_lost_jobs`` sends them should that index never end.
    """
    check_origin(user=user, origin=origin)
    options = {"batch": True} if index is None else {"batch": True, "index": index}
    jobs = Job.objects.bulk_create(
        [
            Job(
                kind=Kind.METADATA_PROBE,
                user=user,
                origin=origin,
                video=video,
                options=options,
                message="Waiting for a worker" if index is None else "Waiting for the index",
            )
            for video in videos
        ]
    )
    if index is None:
        send_jobs_on_commit(jobs)
    return jobs


def probes_send_for_index(index: int) -> int:
    """Send the messages of the probes an index made (see :func:`probes_submit_batch`) once
    the transaction commits; return how many."""
    jobs = list(
        Job.objects.filter(
            kind=Kind.METADATA_PROBE, status=Job.Status.QUEUED, options__index=index
        ).filter(message_id="")
    )
    if jobs:
        Job.objects.filter(pk__in=[job.pk for job in jobs]).update(message="Waiting for a worker")
        send_jobs_on_commit(jobs)
    return len(jobs)

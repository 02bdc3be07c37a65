"""Writing a video's sidecars again (after its metadata changed) and its tags (a person
asked): one job each, in a worker, never in the request.

A video has at most one waiting rewrite: a second change while one is queued finds that
one (it reads the metadata when it runs). Tags are written by one job at a time per video.
"""

from __future__ import annotations

from django.db import transaction

from jobs import kinds, live
from jobs.models import Job
from jobs.progress import publish_after_commit
from jobs.services.errors import JobConflict, VideoBusy
from jobs.services.queueing import send_job_on_commit
from jobs.services.shared import active_download, check_origin
from videos.library import media_path
from videos.models import Video

Status = Job.Status


class TagsBeingWritten(JobConflict):
    def __init__(self, job: Job) -> None:
        super().__init__(
            f"The tags of this video are already being written (job #{job.pk}); wait for it "
            "to finish."
        )
        self.job = job


def _has_file(video: Video) -> bool:
    video_file = video.current_file
    return video_file is not None and media_path(video_file) is not None


@transaction.atomic
def sidecars_submit(
    *, video: Video, user, origin: str = Job.Origin.USER, batch: bool = False
) -> Job | None:
    """Rewrite ``video``'s sidecars in a worker; return the queued job.

    None when there is nothing to rewrite: the video has no file, or a download is queued
    or running (it writes them when it stores the file). The rewrite already waiting for
    the video is returned rather than a second one. When Redis is down the job waits in the
    database and is sent when Redis is back: a metadata change never fails for its sidecars.
    """
    check_origin(user=user, origin=origin)
    video = Video.objects.select_for_update(of=("self",)).select_related("file").get(pk=video.pk)
    if not _has_file(video) or active_download(video) is not None:
        return None
    waiting = Job.objects.filter(
        video=video, kind=kinds.SIDECARS_WRITE, status=Status.QUEUED
    ).first()
    if waiting is not None:
        return waiting
    job = Job.objects.create(
        kind=kinds.SIDECARS_WRITE,
        video=video,
        user=user,
        origin=origin,
        options={"batch": True} if batch else {},
        message="Waiting for a worker",
    )
    send_job_on_commit(job)
    publish_after_commit(job)
    return job


@transaction.atomic
def tags_submit(*, video: Video, user, cover: bool = True) -> Job:
    """Write ``video``'s tags (and its artwork as the cover unless ``cover`` is False) into
    its file in a worker; return the queued job.

    Raises :class:`JobConflict` when the video has no file, :class:`VideoBusy` while it is
    being downloaded, :class:`TagsBeingWritten` while its tags are already being written.
    """
    video = Video.objects.select_for_update(of=("self",)).select_related("file").get(pk=video.pk)
    if not _has_file(video):
        raise JobConflict("This video has no file in the library yet; download it first.")
    if active_download(video) is not None:
        raise VideoBusy(
            "This video is being downloaded; its tags are written when the download ends if "
            "tags are switched on, or write them once it is done."
        )
    running = Job.objects.filter(
        video=video, kind=kinds.TAGS_WRITE, status__in=Job.ACTIVE_STATUSES
    ).first()
    if running is not None:
        raise TagsBeingWritten(running)
    live.require_redis()
    job = Job.objects.create(
        kind=kinds.TAGS_WRITE,
        video=video,
        user=user,
        options={"cover": bool(cover)},
        message="Waiting for a worker",
    )
    send_job_on_commit(job)
    publish_after_commit(job)
    return job

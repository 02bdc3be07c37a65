"""Renaming the library to the naming templates: :func:`library_rename_submit` starts the
``library_rename`` job (:mod:`jobs.worker.rename`) that moves each file whose name differs;
:func:`artist_files_submit` starts one for a renamed artist's files alone, which also writes
their sidecars again (the NFOs and artist.nfo carry the artist's name), and
:func:`video_file_submit` one for an edited video's file (its title, artist, year … may be in
its name).

The job remembers the templates it was started with, so it does what the preview showed
even if the settings change while it runs. One rename of the whole library at a time: a
second is a conflict. A rename of an artist's files may be queued meanwhile; renames run one
after another, oldest first (the worker waits for an older one), so two never plan names at
once.
"""

from __future__ import annotations

from django.db import transaction

from jobs import kinds, live
from jobs.models import Job
from jobs.progress import publish_after_commit
from jobs.services.errors import JobConflict
from jobs.services.queueing import send_job_on_commit
from jobs.services.shared import active_download, check_origin
from videos.library.templates import NamingTemplate
from videos.models import Artist, Video, VideoFile
from videos.naming import naming_template


class LibraryRenameRunning(JobConflict):
    """A rename of the library is already queued or running."""

    def __init__(self, job: Job) -> None:
        super().__init__(
            f"The library is already being renamed (job #{job.pk}); wait for it to finish.",
            job=job.pk,
        )
        self.job = job


def active_rename_job() -> Job | None:
    """The library's queued or running rename (of the whole library), if there is one."""
    active = Job.objects.filter(kind=kinds.LIBRARY_RENAME, status__in=Job.ACTIVE_STATUSES)
    return next((job for job in active.order_by("pk") if not is_scoped_rename(job)), None)


def is_scoped_rename(job: Job) -> bool:
    """Whether a ``library_rename`` job renames one artist's files or one video's only."""
    options = job.options or {}
    return bool(options.get("artist") or options.get("video"))


@transaction.atomic
def library_rename_submit(*, template: NamingTemplate, user, origin: str = Job.Origin.USER) -> Job:
    """Start renaming the library's files to ``template``; return the queued job. Raises
    :class:`LibraryRenameRunning` (a conflict) while another rename is queued or running."""
    check_origin(user=user, origin=origin)
    running = active_rename_job()
    if running is not None:
        raise LibraryRenameRunning(running)
    live.require_redis()
    job = Job.objects.create(
        kind=kinds.LIBRARY_RENAME,
        user=user,
        origin=origin,
        options={
            "artist_folder": template.artist_folder,
            "file": template.file,
            "after": 0,
            "round": 1,
            "total": VideoFile.objects.count(),
        },
        message="Waiting for a worker",
    )
    send_job_on_commit(job)
    publish_after_commit(job)
    return job


@transaction.atomic
def artist_files_submit(*, artist: Artist, user, origin: str = Job.Origin.USER) -> Job | None:
    """After ``artist`` was renamed: move its videos' files to the names the naming
    templates now give them (the artist's folder with them: its artist.nfo and folder.jpg
    follow) and write each video's sidecars again; return the queued job.

    None when none of its videos has a file. The rename already waiting for this artist is
    returned rather than a second one (it reads the artist's name when it runs). When Redis
    is down the job waits in the database and is sent when Redis is back: renaming an artist
    never fails for its files.
    """
    check_origin(user=user, origin=origin)
    total = VideoFile.objects.filter(video__artist=artist).count()
    if not total:
        return None
    return _scoped_rename(
        user=user,
        origin=origin,
        scope="artist",
        pk=artist.pk,
        label=("artist_name", artist.name),
        total=total,
    )


@transaction.atomic
def video_file_submit(*, video: Video, user, origin: str = Job.Origin.USER) -> Job | None:
    """After ``video``'s details changed: move its file to the name the naming templates now
    give it (when that differs) and write its sidecars again; return the queued job, or None
    when the video has no file or a download of it is queued or running (that download
    stores the file under the new name and writes its sidecars). A rename already waiting
    for this video is returned rather than a second one (it reads the video's fields when it
    runs)."""
    check_origin(user=user, origin=origin)
    video = Video.objects.select_for_update(of=("self",)).get(pk=video.pk)
    if not VideoFile.objects.filter(video=video).exists() or active_download(video) is not None:
        return None
    return _scoped_rename(
        user=user,
        origin=origin,
        scope="video",
        pk=video.pk,
        label=("video_title", video.title),
        total=1,
    )


def _scoped_rename(
    *, user, origin: str, scope: str, pk: int, label: tuple[str, str], total: int
) -> Job:
    """The ``library_rename`` job of one artist's or one video's files (``scope`` is the
    option naming it): the one already waiting for it, its label brought up to date (it
    reads the names when it runs), or a new one with the naming templates of now."""
    key, value = label
    waiting = Job.objects.filter(kind=kinds.LIBRARY_RENAME, status=Job.Status.QUEUED)
    for job in waiting.order_by("pk"):
        if (job.options or {}).get(scope) == pk and not job.options.get("examined"):
            job.options = {**job.options, key: value}
            Job.objects.filter(pk=job.pk).update(options=job.options)
            return job
    template = naming_template()
    job = Job.objects.create(
        kind=kinds.LIBRARY_RENAME,
        user=user,
        origin=origin,
        options={
            "artist_folder": template.artist_folder,
            "file": template.file,
            scope: pk,
            key: value,
            "after": 0,
            "round": 1,
            "total": total,
        },
        message="Waiting for a worker",
    )
    send_job_on_commit(job)
    publish_after_commit(job)
    return job

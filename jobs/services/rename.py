"""Renaming the library to the naming templates: :func:`library_rename_submit` starts the
``library_rename`` job (:mod:`jobs.worker.rename`) that moves each file whose name differs.

The job remembers the templates it was started with, so it does what the preview showed
even if the settings change while it runs. One rename at a time: a second is a conflict.
"""

from __future__ import annotations

from django.db import transaction

from jobs import kinds, live
from jobs.models import Job
from jobs.progress import publish_after_commit
from jobs.services.errors import JobConflict
from jobs.services.queueing import send_job_on_commit
from jobs.services.shared import check_origin
from videos.library.templates import NamingTemplate
from videos.models import VideoFile


class LibraryRenameRunning(JobConflict):
    """A rename of the library is already queued or running."""

    def __init__(self, job: Job) -> None:
        super().__init__(
            f"The library is already being renamed (job #{job.pk}); wait for it to finish.",
            job=job.pk,
        )
        self.job = job


def active_rename_job() -> Job | None:
    """The library's queued or running rename, if there is one."""
    active = Job.objects.filter(kind=kinds.LIBRARY_RENAME, status__in=Job.ACTIVE_STATUSES)
    return active.order_by("pk").first()


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

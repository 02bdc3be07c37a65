"""Jobs that ask the metadata providers: adding an artist's whole videography
(``artist_import``) and refreshing videos' metadata (``metadata_refresh``) for a video, an
artist or the whole library. Both run in a worker, never in a request."""

from __future__ import annotations

import re

from django.db import transaction

from jobs import kinds, live
from jobs.models import Job
from jobs.progress import publish_after_commit
from jobs.services.errors import JobConflict, JobError
from jobs.services.queueing import send_job_on_commit
from jobs.services.shared import check_origin
from mvidarr import errors
from videos.models import Artist, Video

IMPORT_PROVIDERS = ("imvdb",)
_IMVDB_ID = re.compile(r"^[0-9]{1,20}$")


class ProviderJobRunning(JobConflict):
    def __init__(self, job: Job, what: str) -> None:
        super().__init__(f"{what} is already queued or running (job #{job.pk}).", job=job.pk)
        self.job = job


def _active(kind: str, **options) -> Job | None:
    for job in Job.objects.filter(kind=kind, status__in=Job.ACTIVE_STATUSES).only(
        "pk", "options", "kind", "status"
    ):
        if all(job.options.get(key) == value for key, value in options.items()):
            return job
    return None


def check_import_target(provider: str, provider_id) -> str:
    """The provider's artist id as text; Invalid (a 400 naming the field) otherwise."""
    if provider not in IMPORT_PROVIDERS:
        raise errors.Invalid(
            f"Artists can be added from {', '.join(IMPORT_PROVIDERS)}, not {provider!r}.",
            field="provider",
        )
    text = str(provider_id if provider_id is not None else "").strip()
    if isinstance(provider_id, bool) or not _IMVDB_ID.match(text):
        raise errors.Invalid("Give the artist's IMVDb id (digits).", field="id")
    return text


@transaction.atomic
def artist_import_submit(*, provider: str, provider_id, user, origin: str = Job.Origin.USER) -> Job:
    """Start adding the artist ``provider_id`` of ``provider`` and every video of its
    videography; return the queued ``artist_import`` job. Raises Invalid for an unknown
    provider or id, and a conflict while the same artist is being added."""
    check_origin(user=user, origin=origin)
    provider_id = check_import_target(provider, provider_id)
    running = _active(kinds.ARTIST_IMPORT, provider=provider, provider_id=provider_id)
    if running is not None:
        raise ProviderJobRunning(running, "Adding this artist")
    live.require_redis()
    job = Job.objects.create(
        kind=kinds.ARTIST_IMPORT,
        user=user,
        origin=origin,
        options={"provider": provider, "provider_id": provider_id, "offset": 0, "counts": {}},
        message="Waiting for a worker",
    )
    send_job_on_commit(job)
    publish_after_commit(job)
    return job


@transaction.atomic
def metadata_refresh_submit(
    *,
    user,
    origin: str = Job.Origin.USER,
    video: Video | None = None,
    artist: Artist | None = None,
) -> Job:
    """Start refreshing the metadata of ``video``, of ``artist``'s videos, or (neither
    given) of the whole library; return the queued ``metadata_refresh`` job. A conflict
    while a refresh of the same scope is queued or running."""
    check_origin(user=user, origin=origin)
    if video is not None and artist is not None:
        raise JobError("Refresh a video or an artist, not both at once.")
    if video is not None:
        scope = {"scope": "video", "target": video.pk}
    elif artist is not None:
        scope = {"scope": "artist", "target": artist.pk}
    else:
        scope = {"scope": "library", "target": None}
    running = _active(kinds.METADATA_REFRESH, **scope)
    if running is not None:
        raise ProviderJobRunning(running, "A metadata refresh of the same videos")
    live.require_redis()
    job = Job.objects.create(
        kind=kinds.METADATA_REFRESH,
        user=user,
        origin=origin,
        video=video,
        options={**scope, "after": 0, "counts": {}},
        message="Waiting for a worker",
    )
    send_job_on_commit(job)
    publish_after_commit(job)
    return job

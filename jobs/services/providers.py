"""Jobs that ask the metadata providers: adding an artist's whole videography
(``artist_import``) and refreshing videos' metadata (``metadata_refresh``) for a video, an
artist or the whole library. Both run in a worker, never in a request."""

from __future__ import annotations

import re

from django.db import transaction

from jobs import kinds, live
from jobs.models import HistoryEvent, Job
from jobs.progress import publish_after_commit
from jobs.services.errors import JobConflict, JobError
from jobs.services.queueing import send_job_on_commit
from jobs.services.shared import check_origin
from mvidarr import errors
from preferences.selectors import setting_get
from videos.models import Artist, Video
from videos.providers.registry import providers_configured
from videos.providers.settings import REFRESH_AFTER_PROBE

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
    added_by: Job | None = None,
) -> Job:
    """Start refreshing the metadata of ``video``, of ``artist``'s videos, of the videos
    the job ``added_by`` added or imported (an index, a URL import, a folder import), or
    (none given) of the whole library; return the queued ``metadata_refresh`` job. A
    conflict while a refresh of the same scope is queued or running."""
    check_origin(user=user, origin=origin)
    if sum(target is not None for target in (video, artist, added_by)) > 1:
        raise JobError("Refresh a video, an artist or what a job added, one at a time.")
    if video is not None:
        scope = {"scope": "video", "target": video.pk}
    elif artist is not None:
        scope = {"scope": "artist", "target": artist.pk}
    elif added_by is not None:
        scope = {"scope": "added", "target": added_by.pk}
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


# --- the refresh that follows an addition -----------------------------------------------------
def refresh_after_probe_enabled() -> bool:
    """Whether videos are refreshed once they are added: the setting, and a provider to ask."""
    return bool(setting_get(REFRESH_AFTER_PROBE)) and bool(providers_configured())


def metadata_refresh_after_probe(*, probe_id: int) -> Job | None:
    """Start what follows the probe ``probe_id`` once it ended (the probe worker calls
    this): for a video's probe that completed, a refresh of that video; for a URL import,
    one refresh of the videos it added; for the probes of an index's new videos, ONE
    refresh of all of them, started by whichever probe ends last. Returns the refresh
    started, or None (the setting is off, nothing to refresh, one already runs)."""
    probe = Job.objects.filter(pk=probe_id, kind=kinds.METADATA_PROBE).first()
    if probe is None or not refresh_after_probe_enabled():
        return None
    index = probe.options.get("index")
    if index:
        return _after_index_probes(int(index))
    if probe.status != Job.Status.COMPLETED:
        return None
    if probe.video_id is not None:
        return _submit_once(video=probe.video)
    if probe.options.get("video_ids"):
        return _submit_once(added_by=probe)
    return None


def metadata_refresh_after_import(*, job: Job) -> Job | None:
    """One refresh of the videos a folder import (``import_apply``) imported."""
    if not refresh_after_probe_enabled():
        return None
    imported = HistoryEvent.objects.filter(job_id=job.pk, event=HistoryEvent.Event.IMPORTED)
    return _submit_once(added_by=job) if imported.exists() else None


@transaction.atomic
def _after_index_probes(index: int) -> Job | None:
    # The index's row is the lock: of two probes ending at once, the second waits here and
    # then finds the refresh the first started (SQLite's IMMEDIATE transactions serialize).
    parent = Job.objects.select_for_update().filter(pk=index).first()
    if parent is None or parent.status in Job.ACTIVE_STATUSES:
        return None  # the index sends its probes when it ends; the last of those starts it
    pending = Job.objects.filter(
        kind=kinds.METADATA_PROBE, options__index=index, status__in=Job.ACTIVE_STATUSES
    )
    started = Job.objects.filter(
        kind=kinds.METADATA_REFRESH, options__scope="added", options__target=index
    )
    if pending.exists() or started.exists():
        return None
    return _submit_once(added_by=parent)


def _submit_once(**target) -> Job | None:
    try:
        return metadata_refresh_submit(user=None, origin=Job.Origin.SYSTEM, **target)
    except ProviderJobRunning:
        return None


@transaction.atomic
def video_import_submit(*, provider: str, provider_id, user, origin: str = Job.Origin.USER) -> Job:
    """Start adding the one video ``provider_id`` of ``provider`` (with its metadata and the
    provider's primary source); return the queued ``video_import`` job. Raises Invalid for
    an unknown provider or id, and a conflict while the same video is being added."""
    check_origin(user=user, origin=origin)
    if provider not in IMPORT_PROVIDERS:
        raise errors.Invalid(
            f"Videos can be added from {', '.join(IMPORT_PROVIDERS)}, not {provider!r}.",
            field="provider",
        )
    text = str(provider_id if provider_id is not None else "").strip()
    if isinstance(provider_id, bool) or not _IMVDB_ID.match(text):
        raise errors.Invalid("Give the video's IMVDb id (digits).", field="id")
    running = _active(kinds.VIDEO_IMPORT, provider=provider, provider_id=text)
    if running is not None:
        raise ProviderJobRunning(running, "Adding this video")
    live.require_redis()
    job = Job.objects.create(
        kind=kinds.VIDEO_IMPORT,
        user=user,
        origin=origin,
        options={"provider": provider, "provider_id": text},
        message="Waiting for a worker",
    )
    send_job_on_commit(job)
    publish_after_commit(job)
    return job

"""Videos known by artist and title: adding one, finding its source (``source_resolve``),
taking what was found or what a person chose, and a source that died.

The resolver's job (:mod:`jobs.worker.resolve`) searches and scores; what it does with the
candidates is :func:`resolve_apply`: at or above ``MVIDARR_RESOLVE_THRESHOLD`` the best is
taken and downloaded in the artist's profile, below it the video waits for a person with the
candidates kept. These live in ``jobs`` because each also starts a job.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from redis.exceptions import RedisError

from jobs import kinds, live
from jobs.history import Event, history_record
from jobs.models import Job
from jobs.progress import publish_after_commit
from jobs.services.errors import (
    JobConflict,
    JobError,
    JobPermissionError,
    VideoAlreadyAdded,
    VideoBusy,
    VideoIgnored,
)
from jobs.services.queueing import send_job_on_commit
from jobs.services.shared import active_download, check_origin
from jobs.services.submit import download_submit
from jobs.services.videos import video_url_change_allowed
from jobs.transitions import job_cancel_queued, video_status_refresh
from mvidarr.redis_outage import REDIS_DOWN
from videos.models import Video
from videos.scoring import Scored
from videos.selectors import video_find_by_url, video_is_ignored
from videos.services import (
    check_source_url,
    video_create_by_name,
    video_drop_dead_source,
    video_set_found_source,
    video_store_candidates,
)

logger = logging.getLogger(__name__)

Status = Job.Status
# The candidates kept per video: what the page and GET candidates show.
KEPT_CANDIDATES = 20


class SourceResolveRunning(JobConflict):
    """A search for this video's source is already queued or running."""

    def __init__(self, job: Job) -> None:
        super().__init__(
            f"A source is already being looked for (job #{job.pk}); wait for it to finish.",
            job=job.pk,
        )
        self.job = job


def active_resolve(video: Video) -> Job | None:
    """The video's queued or running ``source_resolve`` job, if any."""
    return Job.objects.filter(
        video=video, kind=kinds.SOURCE_RESOLVE, status__in=Job.ACTIVE_STATUSES
    ).first()


def _check_may_look(video: Video) -> None:
    """Raise unless a source may be looked for or chosen now: not ignored, not downloaded,
    no download waiting or running."""
    if video_is_ignored(video):
        raise VideoIgnored(
            "This video is on the ignore list; take it off the list to look for its source."
        )
    if active_download(video) is not None:
        raise VideoBusy("This video is being downloaded; cancel the download first.")
    if video.status == Video.Status.DOWNLOADED:
        raise JobConflict("This video is already downloaded; it needs no other source.")


@transaction.atomic
def video_add_by_name(*, artist_name: str, title: str, user) -> tuple[Video, Job]:
    """Add a video known by artist and title, without a URL, and start looking for its
    source at once; returns ``(video, source_resolve job)``.

    Raises :class:`videos.services.VideoNameTaken` (a conflict naming the video) when the
    artist already has a video of this title, ignoring case.
    """
    live.require_redis()  # nothing is added that could not be looked for
    video = video_create_by_name(artist_name=artist_name, title=title)
    video_status_refresh(video=video)
    job = resolve_submit(video=video, user=user)
    history_record(Event.ADDED, video=video, job=job, user=user)
    return video, job


@transaction.atomic
def resolve_submit(*, video: Video, user, origin: str = Job.Origin.USER) -> Job:
    """Start looking for ``video``'s source (a ``source_resolve`` job); return the job.

    ``user`` is None for a search the scheduler or MVidarr starts (``origin``). Raises
    :class:`SourceResolveRunning` (a conflict) when one is already queued or running for the
    video, :class:`VideoIgnored`, :class:`VideoBusy` or :class:`JobConflict` when the video
    is ignored, being downloaded or already downloaded, and :class:`JobError` (invalid) when
    it has no title to look for.
    """
    check_origin(user=user, origin=origin)
    video = Video.objects.select_for_update().get(pk=video.pk)
    running = active_resolve(video)
    if running is not None:
        raise SourceResolveRunning(running)
    _check_may_look(video)
    if not video.title.strip():
        raise JobError("This video has no title to look for; give it a title first.")
    live.require_redis()
    job = Job.objects.create(
        kind=kinds.SOURCE_RESOLVE,
        video=video,
        user=user,
        origin=origin,
        message="Waiting for a worker",
    )
    send_job_on_commit(job)
    publish_after_commit(job)
    return job


def _candidate_note(best: Scored | None, *, searched: str, threshold: float) -> str:
    if best is None:
        return (
            f"No source was found: the search for “{searched}” found nothing usable. "
            "Give the video's link, or look again later."
        )
    channel = f" on {best.candidate.channel}" if best.candidate.channel else ""
    return (
        f"No candidate scored {threshold:.2f} or more: the best, “{best.candidate.title}”"
        f"{channel}, scored {best.score:.2f}. Choose one of the candidates, or give the "
        "video's link."
    )


@transaction.atomic
def resolve_apply(*, job: Job, scored: list[Scored], searched: str) -> str:
    """What a search found, applied to the job's video; returns the job's message.

    Dead sources are left out and the candidates kept (best first). At or above the
    threshold the best candidate not already another video's source is taken (history
    ``resolved``) and downloaded in the artist's profile (by the job's user and origin);
    below it the video stays ``needs_source`` with a note saying why (history ``failed``).
    A video that got a source meanwhile (a person chose one) only keeps the candidates.
    """
    video = Video.objects.select_for_update().filter(pk=job.video_id).first()
    if video is None:
        return "The video was deleted meanwhile"
    dead = set(video.dead_source_urls)
    scored = [item for item in scored if item.candidate.url not in dead][:KEPT_CANDIDATES]
    candidates = [item.as_dict() for item in scored]
    threshold = settings.RESOLVE_THRESHOLD
    if video.source_url:
        video_store_candidates(video=video, candidates=candidates, note=video.source_note)
        return f"Found {len(candidates)} candidates; the video has a source already"
    elsewhere = _urls_of_other_videos(video, [item.candidate.url for item in scored])
    for item, stored in zip(scored, candidates, strict=True):
        if item.candidate.url in elsewhere:
            stored["reasons"].append(
                f"It is already in the library as video #{elsewhere[item.candidate.url]}."
            )
    eligible = [item for item in scored if item.candidate.url not in elsewhere]
    best = eligible[0] if eligible else None
    if best is None or best.score < threshold:
        note = _candidate_note(best, searched=searched, threshold=threshold)
        video_store_candidates(video=video, candidates=candidates, note=note)
        history_record(Event.FAILED, video=video, job=job, data={"reason": note})
        if best is None:
            return "No source found: it needs a person"
        return f"Best candidate scored {best.score:.2f}: a person chooses"
    video_store_candidates(video=video, candidates=candidates, note="")
    _take(video, best, job=job, automatic=True)
    return f"Found “{best.candidate.title}” (score {best.score:.2f}); {_download(video, job)}"


def _urls_of_other_videos(video: Video, urls: list[str]) -> dict[str, int]:
    return dict(
        Video.objects.filter(source_url__in=urls)
        .exclude(pk=video.pk)
        .values_list("source_url", "pk")
    )


def _take(video: Video, best: Scored, *, job: Job | None, automatic: bool, user=None) -> None:
    how = "found automatically" if automatic else "chosen"
    note = f"“{best.candidate.title}” was {how} (score {best.score:.2f})."
    video_set_found_source(
        video=video,
        url=best.candidate.url,
        resolved=automatic,
        duration=best.candidate.duration,
        note=note,
    )
    data = {"url": best.candidate.url, "score": best.score, "automatic": automatic}
    history_record(Event.RESOLVED, video=video, job=job, user=user, data=data)


def _download(video: Video, job: Job) -> str:
    """Start the video's download in its artist's profile; what became of it, in words."""
    try:
        with transaction.atomic():
            download_submit(video=video, user=job.user, origin=job.origin, quality=None)
    except JobError as exc:
        return f"not downloaded: {exc}"
    except (RedisError, *REDIS_DOWN) as exc:
        logger.warning("job %s: the download could not be queued: %s", job.pk, exc)
        return "the download could not be queued; download it from its page"
    return "downloading it"


@transaction.atomic
def source_choose(*, video: Video, url: str, user) -> Job:
    """A person chooses ``video``'s source (a candidate, or any link): it is taken and
    downloaded in the artist's profile; returns the download job.

    Raises :class:`JobPermissionError` (see :func:`jobs.services.videos.video_url_change_allowed`),
    :class:`videos.services.InvalidSourceUrl` for a link that is not http(s),
    :class:`VideoAlreadyAdded` when another video has this link, and the refusals of
    :func:`resolve_submit` (ignored, downloading, downloaded).
    """
    if not video_url_change_allowed(user=user, video=video):
        raise JobPermissionError("Only staff, or whoever added this video, can choose its source.")
    check_source_url(url)
    video = Video.objects.select_for_update().get(pk=video.pk)
    _check_may_look(video)
    existing = video_find_by_url(url)
    if existing is not None and existing.pk != video.pk:
        raise VideoAlreadyAdded(
            f"This URL is already in the library as video #{existing.pk} "
            f"({existing.title or 'untitled'}).",
            video=existing.pk,
        )
    live.require_redis()
    for queued in Job.objects.filter(video=video, kind=kinds.SOURCE_RESOLVE, status=Status.QUEUED):
        job_cancel_queued(job=queued, message="Cancelled: a source was chosen")
    known = {item["url"]: item for item in video.source_candidates}
    chosen = known.get(url, {})
    video_set_found_source(
        video=video,
        url=url,
        resolved=False,
        duration=chosen.get("duration"),
        note="Chosen by a person.",
    )
    data = {"url": url, "score": chosen.get("score"), "automatic": False}
    history_record(Event.RESOLVED, video=video, user=user, data=data)
    job, _created = download_submit(video=video, user=user, quality=None)
    return job


@transaction.atomic
def source_died(*, video_id: int, url: str, reason: str, job: Job) -> Job | None:
    """A download of ``url`` failed because the source is gone (404, removed).

    For a video added by artist and title: the source is remembered as dead and dropped.
    When the resolver had taken it and no source of the video died before, the video is
    looked for again, once (a ``source_resolve`` job started by MVidarr, returned); else it
    goes back to ``needs_source`` with the reason. A video added by its link keeps it (and
    its failed status), as before.
    """
    video = Video.objects.select_for_update().filter(pk=video_id).first()
    if video is None or not video.added_without_url or video.source_url != url:
        return None
    again = video.source_resolved and not video.dead_source_urls
    if again:
        note = f"The source found is gone: {reason} Looking for another one, once."
    elif video.source_resolved:
        note = (
            f"The source found is gone: {reason} It was looked for again once already: "
            "choose one of the candidates, or give the video's link."
        )
    else:
        note = (
            f"The source chosen is gone: {reason} Choose another candidate, or give the "
            "video's link."
        )
    video_drop_dead_source(video=video, note=note)
    video_status_refresh(video=video)
    if not again:
        return None
    try:
        with transaction.atomic():
            return resolve_submit(video=video, user=job.user, origin=Job.Origin.SYSTEM)
    except (JobError, RedisError, *REDIS_DOWN) as exc:
        logger.warning("video %s: its source could not be looked for again: %s", video.pk, exc)
        return None

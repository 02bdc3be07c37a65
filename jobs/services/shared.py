"""Small rules the jobs services share: who may act on a job, which qualities exist, what a
download asks yt-dlp for, and a video's active download."""

from __future__ import annotations

from jobs import kinds
from jobs.models import Job
from jobs.services.errors import JobError
from videos.models import QualityProfile, Video
from videos.profiles import profile_plan
from videos.ytdlp import QUALITIES


def may_act_on(user, job: Job) -> bool:
    """Staff may act on any job; a user, on their own (jobs without a user, started by the
    scheduler or by MVidarr itself, are staff's)."""
    return bool(user.is_staff or (job.user_id is not None and job.user_id == user.pk))


def check_origin(*, user, origin: str) -> None:
    """Raise :class:`JobError` unless a job started by a person names them."""
    if origin == Job.Origin.USER and user is None:
        raise JobError("A job a person starts needs that person; give the user.")


def check_quality(quality: str | None) -> None:
    """Raise :class:`JobError` unless ``quality`` is one yt-dlp is configured for (or None:
    the profile decides)."""
    if quality is not None and quality not in QUALITIES:
        raise JobError(f"Unknown quality {quality!r}; choose one of {', '.join(QUALITIES)}.")


def active_download(video: Video) -> Job | None:
    """The video's queued or running download job (of a kind that holds the video's slot),
    if it has one."""
    active = Job.objects.filter(
        video=video, kind__in=kinds.names(holds_video_slot=True), status__in=Job.ACTIVE_STATUSES
    ).first()
    if active is not None:
        active.video = video  # the caller's row: no second query, no join on every submit
    return active


def download_options(
    *, quality: str | None, profile: QualityProfile | None, force: bool
) -> dict[str, object]:
    """A download job's options: the plan yt-dlp follows, fixed when the job is submitted
    (editing the profile later does not change a queued job).

    A ``quality`` overrides the profile for this job (its selector is fixed in code, so the
    quality alone says it, as before profiles); None: ``profile`` decides.
    """
    if quality is not None or profile is None:
        return {"quality": quality or "best", "force": force}
    plan = profile_plan(profile)
    return {"quality": None, "profile": profile.pk, **plan.as_options(), "force": force}

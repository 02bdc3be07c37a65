"""Correcting a video's link: who may, and the probe that looks the video up again.

A jobs service because it changes the library and starts a job; the API (``PATCH
/api/videos/<id>/`` with ``url``) and the video page call it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from jobs.models import Job
from jobs.services import JobPermissionError, VideoAlreadyAdded, VideoBusy, submit_probe
from videos.models import Video
from videos.services import video_set_source

Kind = Job.Kind
Status = Job.Status


def may_change_video_url(*, user, video: Video) -> bool:
    """Staff may change any video's link; a user, the links of the videos they added."""
    if user.is_staff:
        return True
    added_by = (
        Job.objects.filter(video=video, kind=Kind.METADATA_PROBE)
        .order_by("id")
        .values_list("user_id", flat=True)
        .first()
    )
    return added_by is not None and added_by == user.pk


@transaction.atomic
def change_video_url(*, video: Video, url: str, user) -> Job:
    """Point ``video`` at ``url`` (an http(s) URL the caller validated) and probe it again.

    Returns the new probe job. Raises :class:`JobPermissionError` (see
    :func:`may_change_video_url`), :class:`VideoBusy` while the video is being downloaded,
    and :class:`VideoAlreadyAdded` when another video has this link.
    """
    if not may_change_video_url(user=user, video=video):
        raise JobPermissionError("Only staff, or whoever added this video, can change its link.")
    video = Video.objects.select_for_update().get(pk=video.pk)
    downloading = Job.objects.filter(
        video=video, kind=Kind.VIDEO_DOWNLOAD, status__in=Job.ACTIVE_STATUSES
    ).exists()
    if downloading or video.status in (Video.Status.QUEUED, Video.Status.DOWNLOADING):
        raise VideoBusy(
            "This video is being downloaded; cancel the download, then change its link."
        )
    existing = Video.objects.filter(source_url=url).exclude(pk=video.pk).first()
    if existing is not None:
        raise VideoAlreadyAdded(
            f"This URL is already in the library as video #{existing.pk} "
            f"({existing.title or 'untitled'})."
        )
    # A probe still waiting (or waiting to retry) would look up the old link.
    Job.objects.filter(video=video, kind=Kind.METADATA_PROBE, status=Status.QUEUED).update(
        status=Status.CANCELLED, finished_at=timezone.now(), message="Cancelled: the link changed"
    )
    video_set_source(video=video, url=url)
    return submit_probe(user=user, video=video)

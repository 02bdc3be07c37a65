"""Services that change the library and start a job together: adding a video (and its
probe), removing one (refused while it downloads), and correcting its link (and probing it
again). ``videos`` never imports ``jobs``, so these live here.
"""

from __future__ import annotations

from django.db import transaction

from jobs.history import Event, history_record
from jobs.models import Job
from jobs.services.errors import JobPermissionError, VideoAlreadyAdded, VideoBusy
from jobs.services.rename import video_file_submit
from jobs.services.shared import active_download
from jobs.services.submit import probe_submit
from jobs.transitions import job_cancel_queued
from videos.models import Video
from videos.services import (
    artist_get_or_create,
    video_create,
    video_delete,
    video_ignore,
    video_set_source,
    video_update,
)

Kind = Job.Kind
Status = Job.Status


@transaction.atomic
def video_add_and_probe(
    *, url: str, user, title: str = "", artist_name: str = ""
) -> tuple[Video, Job]:
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
    probe = probe_submit(user=user, video=video)
    history_record(Event.ADDED, video=video, job=probe, user=user)
    return video, probe


@transaction.atomic
def video_remove(
    *, video: Video, delete_file: bool, user=None, ignore: bool = False, reason: str = ""
) -> None:
    """Delete a video (and its file, if asked); refused while it is being downloaded.

    With ``ignore`` its ignore-list entry stays (by its source, else its URL), so that it is
    never downloaded nor added again. History keeps the video's title.
    """
    video = Video.objects.select_related("artist").select_for_update(of=("self",)).get(pk=video.pk)
    if video.status in (Video.Status.QUEUED, Video.Status.DOWNLOADING) or active_download(video):
        raise VideoBusy("This video is being downloaded; cancel the download, then delete it.")
    if ignore:
        already = hasattr(video, "ignore_entry")
        video_ignore(video=video, user=user, reason=reason)
        if not already:
            history_record(
                Event.IGNORED, video=video, user=user, data={"reason": reason} if reason else {}
            )
    data = {"delete_file": delete_file, **({"ignored": True} if ignore else {})}
    history_record(Event.DELETED, video=video, user=user, data=data)
    video_delete(video=video, delete_file=delete_file)


def video_url_change_allowed(*, user, video: Video) -> bool:
    """Staff may change any video's link (or look for and choose its source); a user, those
    of the videos they added (who started its first probe, or its first search for a
    source when it was added by artist and title)."""
    if user.is_staff:
        return True
    added_by = (
        Job.objects.filter(video=video, kind__in=(Kind.METADATA_PROBE, Kind.SOURCE_RESOLVE))
        .order_by("id")
        .values_list("user_id", flat=True)
        .first()
    )
    return added_by is not None and added_by == user.pk


@transaction.atomic
def video_url_change(*, video: Video, url: str, user) -> Job:
    """Point ``video`` at ``url`` (an http(s) URL the caller validated) and probe it again.

    Returns the new probe job. Raises :class:`JobPermissionError` (see
    :func:`video_url_change_allowed`), :class:`VideoBusy` while the video is being downloaded,
    and :class:`VideoAlreadyAdded` when another video has this link.
    """
    if not video_url_change_allowed(user=user, video=video):
        raise JobPermissionError("Only staff, or whoever added this video, can change its link.")
    video = Video.objects.select_for_update().get(pk=video.pk)
    downloading = active_download(video) is not None
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
    for probe in Job.objects.filter(video=video, kind=Kind.METADATA_PROBE, status=Status.QUEUED):
        job_cancel_queued(job=probe, message="Cancelled: the link changed")
    video_set_source(video=video, url=url)
    return probe_submit(user=user, video=video)


@transaction.atomic
def video_edit(*, video: Video, user, data: dict) -> tuple[Video, Job | None]:
    """Change a video's ``title``, ``artist`` and ``url`` (whichever ``data`` has).

    A ``url``, even the same link again, is looked up again (:func:`video_url_change`, with
    its refusals); returns the video as changed and that probe job, or None without a url.
    A downloaded video's file then moves to the name the naming templates give it now (its
    title, artist, year … may be in it) and its sidecars are written again, by a job (never
    in the request).
    """
    data = dict(data)
    url = data.pop("url", None)
    probe = None
    if url is not None:
        probe = video_url_change(video=video, url=url, user=user)
        video.refresh_from_db()
    video = video_update(video=video, data=data)
    if data and probe is None:  # a probe writes the sidecars once it has looked the link up
        video_file_submit(video=video, user=user)
    return video, probe

"""The ignore list, as the jobs side sees it: ignoring a video is refused while it downloads,
its status follows the entry (:mod:`jobs.transitions.video`), and each change is history.

``videos`` keeps the entries (:func:`videos.services.video_ignore`); these services add what
needs jobs: the check for an active download, the status rule and the history row.
"""

from __future__ import annotations

from django.db import transaction

from jobs.history import Event, history_record
from jobs.services.errors import VideoBusy
from jobs.services.shared import active_download
from jobs.transitions import video_status_refresh
from videos.models import IgnoredEntry, Video
from videos.selectors import video_find_by_url
from videos.services import ignore_remove, url_ignore, video_ignore


def _reason_data(reason: str) -> dict:
    return {"reason": reason} if reason else {}


@transaction.atomic
def video_ignore_and_refresh(*, video: Video, user, reason: str = "") -> tuple[IgnoredEntry, bool]:
    """Put ``video`` on the ignore list and keep it, with status ``ignored``; return
    ``(entry, created)`` (ignoring twice returns the same entry, created False).

    Raises :class:`VideoBusy` while a download of it waits or runs.
    """
    video = Video.objects.select_for_update().get(pk=video.pk)
    existing = IgnoredEntry.objects.filter(video_id=video.pk).first()
    if existing is not None:
        return existing, False
    if active_download(video) is not None:
        raise VideoBusy("This video is being downloaded; cancel the download, then ignore it.")
    entry = video_ignore(video=video, user=user, reason=reason)
    video_status_refresh(video=video)
    history_record(Event.IGNORED, video=video, user=user, data=_reason_data(reason))
    return entry, True


@transaction.atomic
def ignore_add(
    *, user, video: Video | None = None, url: str | None = None, reason: str = ""
) -> tuple[IgnoredEntry, bool]:
    """Ignore a video of the library, or a URL (the library's video with that URL, if it
    has one; else an entry by URL alone); return ``(entry, created)``."""
    if video is None and url is not None:
        video = video_find_by_url(url)
    if video is not None:
        return video_ignore_and_refresh(video=video, user=user, reason=reason)
    existed = IgnoredEntry.objects.filter(url=url).exists()
    entry = url_ignore(url=url, user=user, reason=reason)
    if not existed:
        history_record(Event.IGNORED, user=user, title=url, data=_reason_data(reason))
    return entry, not existed


@transaction.atomic
def ignore_remove_and_refresh(*, entry: IgnoredEntry) -> None:
    """Take ``entry`` off the ignore list; the video it kept gets its status back by the rule
    (wanted, downloaded …)."""
    video = ignore_remove(entry=entry)
    if video is not None:
        video_status_refresh(video=video)

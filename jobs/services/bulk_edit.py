"""Editing the videos chosen in the library at once: set their artist, ignore them, delete
them or refresh their metadata, each through the service that does it for one video, so each
video is refused (or not) for its own reasons and the others go ahead. Re-downloading at a
quality is the bulk download's (the same selection's "Download chosen").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from jobs import live
from jobs.services.errors import JobPermissionError
from jobs.services.ignore import video_ignore_and_refresh
from jobs.services.providers import metadata_refresh_submit
from jobs.services.videos import video_edit, video_remove
from mvidarr import errors
from videos.models import Video

SET_ARTIST = "set_artist"
IGNORE = "ignore"
DELETE = "delete"
REFRESH_METADATA = "refresh_metadata"

# What each action is called, as the result says it ("Set the artist of 3 videos").
ACTIONS = {
    SET_ARTIST: "Set the artist of",
    IGNORE: "Ignored",
    DELETE: "Deleted",
    REFRESH_METADATA: "Refreshing the metadata of",
}
STAFF_ONLY = {IGNORE, DELETE, REFRESH_METADATA}


@dataclass
class BulkEdited:
    """The videos the action was done to, and those refused with the sentence why."""

    done: list[Video] = field(default_factory=list)
    refused: list[tuple[Video, str]] = field(default_factory=list)


@transaction.atomic
def videos_bulk_edit(
    *,
    videos: Iterable[Video],
    user,
    action: str,
    artist_name: str = "",
    reason: str = "",
    delete_file: bool = False,
) -> BulkEdited:
    """Do ``action`` to each of ``videos``: ``SET_ARTIST`` (``artist_name``; empty: none) as
    the video page's edit does (set by hand), and for staff ``IGNORE`` (with ``reason``),
    ``DELETE`` (its file too with ``delete_file``) and ``REFRESH_METADATA`` (a job each).

    A video's refusal (being downloaded, a refresh already running …) is kept in the result
    and the others go ahead. Raises ``errors.Invalid`` for an unknown action,
    :class:`JobPermissionError` for a staff action by anyone else, and Redis'
    ConnectionError (nothing changed) when Redis is down.
    """
    if action not in ACTIONS:
        raise errors.Invalid(
            f"Unknown action {action!r}; choose one of {', '.join(ACTIONS)}.", field="action"
        )
    if action in STAFF_ONLY and not user.is_staff:
        raise JobPermissionError("Only staff can ignore, delete or refresh videos.")
    live.require_redis()
    result = BulkEdited()
    for video in videos:
        try:
            with transaction.atomic():
                _apply(video, action, user=user, artist_name=artist_name, reason=reason,
                       delete_file=delete_file)  # fmt: skip
        except errors.ServiceError as exc:
            result.refused.append((video, exc.message))
        else:
            result.done.append(video)
    return result


def _apply(video: Video, action: str, *, user, artist_name: str, reason: str, delete_file: bool):
    if action == SET_ARTIST:
        video_edit(video=video, user=user, data={"artist": artist_name.strip() or None})
    elif action == IGNORE:
        video_ignore_and_refresh(video=video, user=user, reason=reason)
    elif action == DELETE:
        video_remove(video=video, delete_file=delete_file, user=user)
    else:
        metadata_refresh_submit(user=user, video=video)

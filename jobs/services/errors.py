"""What the jobs services refuse, as exceptions whose message is for a person.

Each is a service error of its kind (:mod:`mvidarr.errors`), so the API's one exception
handler and the pages' one helper answer it without knowing it.
"""

from __future__ import annotations

from mvidarr import errors


class JobError(errors.ServiceError):
    """A request about jobs that cannot be done; the message is for a person."""


class JobConflict(JobError, errors.Conflict):
    """Another job is in the way, or the video needs no download."""


class JobStateError(JobError, errors.StateError):
    """The job is not in a state that allows this."""


class JobPermissionError(JobError, errors.PermissionDenied):
    """The user may not act on this job."""


class VideoAlreadyAdded(JobConflict):
    """The URL is already a video of the library."""


class VideoBusy(JobConflict):
    """The video has a download in progress."""


class VideoIgnored(JobConflict):
    """The video is on the ignore list: it is not downloaded."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message or "This video is on the ignore list; remove it from the list to download it."
        )


class VideoNeedsSource(JobConflict):
    """The video has no source yet (added by artist and title): nothing to download."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message or "This video has no source yet; look for one (or choose a candidate) first."
        )

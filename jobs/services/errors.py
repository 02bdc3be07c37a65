"""What the jobs services refuse, as exceptions whose message is for a person."""

from __future__ import annotations


class JobError(Exception):
    """A request about jobs that cannot be done; the message is for a person."""


class JobConflict(JobError):
    """Another job is in the way, or the video needs no download."""


class JobStateError(JobError):
    """The job is not in a state that allows this."""


class JobPermissionError(JobError):
    """The user may not act on this job."""


class VideoAlreadyAdded(JobConflict):
    """The URL is already a video of the library."""


class VideoBusy(JobConflict):
    """The video has a download in progress."""

"""What a service refuses to do, as one family of exceptions with a sentence for a person.

Services raise these (or their app's subclasses: ``JobConflict``, ``VideoBusy``,
``DuplicateVideo`` …); the faces do not map them one by one. The API's exception handler
(:mod:`mvidarr.api_errors`) turns each kind into its status code, and the pages show the
sentence (:func:`mvidarr.page_errors.refused`). Nothing here knows about HTTP.
"""

from __future__ import annotations


class ServiceError(Exception):
    """A request a service cannot do; ``str(error)`` says why and what to do instead.

    ``field`` names the input the sentence is about, when there is one (a form puts the
    sentence next to it; the API answers as for an invalid field). ``extra`` is what a
    client may want besides the sentence (for instance the id of the video in the way).
    """

    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None, **extra) -> None:
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field
        self.extra = extra


class Invalid(ServiceError):
    """What was asked for does not make sense (an unknown quality, a taken name)."""


class PermissionDenied(ServiceError):
    """The user may not do this to this thing."""


class NotFound(ServiceError):
    """The thing asked about does not exist (or the user may not know it exists)."""


class Conflict(ServiceError):
    """Something else is in the way: another job, a video already in the library."""


class StateError(Conflict):
    """The thing is not in a state that allows this (a finished job cancelled)."""

"""The one DRF exception handler (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``).

DRF answers its own exceptions; this adds what a service lets through from below:

- a service's refusal (:mod:`mvidarr.errors`) is answered with the status code of its kind
  and its sentence, ``{"detail": sentence, **extra}``, or ``{field: [sentence]}`` when it
  is about one field of the input (the shape of DRF's own validation errors);
- Redis being down is a 503 with a sentence, not an HTML 500. Reads do not need Redis (the
  job rows are the truth), so only what starts, retries or cancels a job meets this.
"""

from __future__ import annotations

from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from mvidarr import errors
from mvidarr.redis_outage import QUEUE_DOWN, REDIS_DOWN, outage

REDIS_RETRY_AFTER_SECONDS = 30

# The most specific kind in an error's MRO decides (StateError is a Conflict: 409).
STATUS_CODES: dict[type[errors.ServiceError], int] = {
    errors.Invalid: status.HTTP_400_BAD_REQUEST,
    errors.PermissionDenied: status.HTTP_403_FORBIDDEN,
    errors.NotFound: status.HTTP_404_NOT_FOUND,
    errors.Conflict: status.HTTP_409_CONFLICT,
    errors.ServiceError: status.HTTP_400_BAD_REQUEST,  # a refusal of no finer kind
}


class QueueUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = QUEUE_DOWN
    default_code = "queue_unavailable"


class ServiceRefused(APIException):
    """A service error as DRF answers it, with the status code of its kind."""

    def __init__(self, message: str, *, status_code: int) -> None:
        super().__init__(message)
        self.status_code = status_code


def status_code_for(exc: errors.ServiceError) -> int:
    return next(STATUS_CODES[kind] for kind in type(exc).__mro__ if kind in STATUS_CODES)


def service_error_response(exc: errors.ServiceError, context) -> Response:
    code = status_code_for(exc)
    if exc.field is not None and code == status.HTTP_400_BAD_REQUEST:
        return drf_exception_handler(ValidationError({exc.field: [exc.message]}), context)
    response = drf_exception_handler(ServiceRefused(exc.message, status_code=code), context)
    response.data = {"detail": exc.message, **exc.extra}  # extra keeps its types (an id)
    return response


def exception_handler(exc, context):
    if isinstance(exc, errors.ServiceError):
        return service_error_response(exc, context)
    if isinstance(exc, REDIS_DOWN):
        outage().went_down(exc, skipped="requests that start, retry or cancel jobs")
        response = drf_exception_handler(QueueUnavailable(), context)
        response["Retry-After"] = str(REDIS_RETRY_AFTER_SECONDS)
        return response
    return drf_exception_handler(exc, context)

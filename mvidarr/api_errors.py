"""The one DRF exception handler (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``).

DRF answers its own exceptions; this adds what a service may let through from below: Redis
being down is a 503 with a sentence, not an HTML 500. Reads do not need Redis (the job rows
are the truth), so only what starts, retries or cancels a job meets this.
"""

from __future__ import annotations

from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.views import exception_handler as drf_exception_handler

from mvidarr.redis_outage import QUEUE_DOWN, REDIS_DOWN, outage

REDIS_RETRY_AFTER_SECONDS = 30


class QueueUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = QUEUE_DOWN
    default_code = "queue_unavailable"


def exception_handler(exc, context):
    if isinstance(exc, REDIS_DOWN):
        outage().went_down(exc, skipped="requests that start, retry or cancel jobs")
        response = drf_exception_handler(QueueUnavailable(), context)
        response["Retry-After"] = str(REDIS_RETRY_AFTER_SECONDS)
        return response
    return drf_exception_handler(exc, context)

"""Deliveries: ``run_notify(job_id, context=…)`` sends one event to one connection,
``run_media_refresh(job_id, context=…)`` asks one media server to look at one folder again
once its refresh window has closed (:mod:`jobs.deliveries` starts both).

A transient fault (a 5xx, a timeout, a refused connection) retries the job with the runner's
backoff, as a download's does; a permanent one (a 4xx) fails it with the reason. The
connection keeps the outcome of its last delivery either way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction
from dramatiq.middleware import Shutdown

from connections.clients import DeliveryError
from connections.delivery import deliver, refresh
from connections.models import Connection, PendingRefresh
from connections.services import connection_record_outcome
from jobs.models import Job
from jobs.transitions import job_claim
from jobs.worker.context import RunContext
from jobs.worker.outcomes import complete, fail, requeue, retry_or_fail
from mvidarr.ops.logs import job_log_context

logger = logging.getLogger(__name__)

Outcome = Connection.Outcome


def run_notify(job_id: int, *, context: RunContext) -> None:
    """Deliver the job's event to its connection."""
    job = job_claim(job_id=job_id, worker_id=context.worker_id, publisher=context.publisher)
    if job is None:
        return
    options = job.options or {}
    event = options.get("event", "")
    with job_log_context(job_id=job.pk, video_id=job.video_id):
        _run(job, context, event, lambda connection: deliver(connection, event, options["payload"]))


def run_media_refresh(job_id: int, *, context: RunContext) -> None:
    """Send the pending refresh of the job's folder (every change of its window at once)."""
    job = job_claim(job_id=job_id, worker_id=context.worker_id, publisher=context.publisher)
    if job is None:
        return
    with job_log_context(job_id=job.pk, video_id=None):
        options = _take_pending(job)
        folder, update_type = options["folder"], options.get("update_type")
        if update_type is None:
            complete(job, context, message="Nothing to refresh: another job sent it.")
            return
        _run(
            job,
            context,
            "Refresh",
            lambda connection: refresh(connection, folder=folder, update_type=update_type),
        )


def _take_pending(job: Job) -> dict:
    """The job's options with the pending row's update type, the row removed (the first
    attempt takes it; a retry finds it in the options). Changes made from now on start a
    refresh of their own."""
    options = dict(job.options or {})
    if "update_type" in options:
        return options
    with transaction.atomic():
        pending = (
            PendingRefresh.objects.select_for_update().filter(pk=options.get("pending")).first()
        )
        if pending is None:
            return options
        options["update_type"] = pending.update_type
        pending.delete()
        Job.objects.filter(pk=job.pk).update(options=options)
    job.options = options
    return options


def _run(job: Job, context: RunContext, event: str, send: Callable[[Connection], str]) -> None:
    connection = Connection.objects.filter(pk=(job.options or {}).get("connection")).first()
    if connection is None:
        fail(job, context, reason="The connection was deleted before this could be sent.")
        return

    def note(outcome: str, message: str) -> None:
        connection_record_outcome(
            connection_id=connection.pk, event=event, outcome=outcome, message=message
        )

    # The connection's outcome is written before the job ends: a page that hears the job
    # finished reads the connection again at once, and must find the outcome there.
    try:
        message = send(connection)
    except DeliveryError as exc:
        if exc.permanent:
            note(Outcome.FAILED, exc.message)
            fail(job, context, reason=exc.message)
            return
        retry_or_fail(
            job,
            context,
            reason=exc.message,
            before=lambda failing, reason: note(
                Outcome.FAILED if failing else Outcome.RETRYING, reason
            ),
        )
    except Shutdown:
        requeue(job, context, delay=0.0, reason="", refund_attempt=True)
    except Exception as exc:
        logger.exception("job %s: unexpected error", job.pk)
        reason = f"Unexpected error: {exc}. This is a bug; report it."
        note(Outcome.FAILED, reason)
        fail(job, context, reason=reason)
    else:
        note(Outcome.DELIVERED, message)
        complete(job, context, message=message)

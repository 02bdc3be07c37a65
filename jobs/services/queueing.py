"""Sending job messages to Dramatiq by actor name, as routed by :mod:`jobs.kinds`.

Services and the worker enqueue through here rather than importing ``jobs.actors`` (the
actors import the worker, so importing them back would be a cycle). The message id is
recorded on the row, so an operator can find it in the broker.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

import dramatiq
from django.db import transaction

from jobs import kinds
from jobs.models import Job
from mvidarr.redis_outage import REDIS_DOWN

logger = logging.getLogger(__name__)

# From this many messages at once (a bulk download), they are sent by _SENDERS threads.
_PARALLEL_FROM = 200
_SENDERS = 8


def route(job: Job) -> kinds.Route:
    """The actor and queue of a job (see :mod:`jobs.kinds`); ValueError for a parent job."""
    return kinds.get(job.kind).route_for(
        in_parent=job.parent_id is not None, batch=bool(job.options.get("batch"))
    )


def build_message(job: Job, *, message_id: str | None = None) -> dramatiq.Message:
    to = route(job)
    message = dramatiq.Message(
        queue_name=to.queue, actor_name=to.actor, args=(job.pk,), kwargs={}, options={}
    )
    return message.copy(message_id=message_id) if message_id else message


def send_job(job: Job, *, delay_ms: int | None = None) -> str:
    """Enqueue a message for ``job`` now; return its message id."""
    message = build_message(job)
    dramatiq.get_broker().enqueue(message, delay=delay_ms)
    Job.objects.filter(pk=job.pk).update(message_id=message.message_id)
    job.message_id = message.message_id
    return message.message_id


def send_job_when_possible(job: Job, *, delay_ms: int | None = None) -> bool:
    """Send the job's message; False when Redis is down.

    The row is queued already, so the job is not lost: housekeeping re-sends queued jobs
    that have no message (``jobs.housekeeping.resend_lost_jobs``).
    """
    try:
        send_job(job, delay_ms=delay_ms)
    except REDIS_DOWN as exc:
        _not_sent(job.pk, exc)
        return False
    return True


def _not_sent(job_id: int, exc: BaseException) -> None:
    logger.warning(
        "job %s is queued but its message could not be sent (%s); it is sent again when "
        "Redis is back",
        job_id,
        exc,
    )


def _enqueue_after_commit(messages: list[dramatiq.Message]) -> None:
    """After the commit the rows exist: a message that cannot be sent now is re-sent by
    housekeeping, so the request that made them does not fail."""

    broker = dramatiq.get_broker()

    def enqueue(message: dramatiq.Message) -> None:
        try:
            broker.enqueue(message)
        except REDIS_DOWN as exc:
            _not_sent(message.args[0], exc)

    def enqueue_all() -> None:
        if len(messages) < _PARALLEL_FROM:
            for message in messages:
                enqueue(message)
            return
        # Each message is a round trip to Redis: a bulk of 10,000 sends them from a few
        # threads (the broker and its connection pool are thread-safe), not one by one.
        with ThreadPoolExecutor(_SENDERS, thread_name_prefix="enqueue") as pool:
            list(pool.map(enqueue, messages))

    transaction.on_commit(enqueue_all)


def send_jobs_on_commit(jobs: list[Job]) -> None:
    """Enqueue many jobs once the transaction commits. Jobs created with their
    ``message_id`` keep it; else one UPDATE records the new ids."""
    if all(job.message_id for job in jobs):
        _enqueue_after_commit([build_message(job, message_id=job.message_id) for job in jobs])
        return
    messages = []
    for job in jobs:
        message = build_message(job)
        job.message_id = message.message_id
        messages.append(message)
    Job.objects.bulk_update(jobs, ["message_id"])
    _enqueue_after_commit(messages)


def send_job_on_commit(job: Job) -> None:
    """Enqueue once the surrounding transaction commits, so the worker finds the row."""
    message = build_message(job)
    job.message_id = message.message_id
    Job.objects.filter(pk=job.pk).update(message_id=message.message_id)
    _enqueue_after_commit([message])

"""Sending job messages to Dramatiq by actor name, as routed by :mod:`jobs.kinds`.

Services and the worker enqueue through here rather than importing ``jobs.actors`` (the
actors import the worker, so importing them back would be a cycle). The message id is
recorded on the row, so an operator can find it in the broker.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from uuid import uuid4

import dramatiq
from django.db import transaction
from dramatiq.brokers.redis import RedisBroker

from jobs import kinds
from jobs.models import Job
from mvidarr.redis_outage import REDIS_DOWN

logger = logging.getLogger(__name__)

# Messages sent in one round trip to Redis when many are sent at once (a bulk download).
_PIPELINED = 1_000


def route(job: Job) -> kinds.Route:
    """The actor and queue of a job (see :mod:`jobs.kinds`); ValueError for a parent job."""
    return kinds.get(job.kind).route_for(
        in_parent=job.parent_id is not None, batch=bool(job.options.get("batch"))
    )


def build_message(job: Job, *, message_id: str | None = None) -> dramatiq.Message:
    return _message(route(job), job.pk, message_id)


def _message(to: kinds.Route, job_id: int, message_id: str | None = None) -> dramatiq.Message:
    given = {"message_id": message_id} if message_id else {}
    return dramatiq.Message(
        queue_name=to.queue, actor_name=to.actor, args=(job_id,), kwargs={}, options={}, **given
    )


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
    transaction.on_commit(lambda: _enqueue_many(dramatiq.get_broker(), messages))


def _enqueue_many(broker: dramatiq.Broker, messages: list[dramatiq.Message]) -> None:
    """Send ``messages`` as ``broker.enqueue`` would, one by one; to Redis, many in one
    round trip (:func:`_enqueue_pipelined`)."""
    if len(messages) > 1 and isinstance(broker, RedisBroker):
        for start in range(0, len(messages), _PIPELINED):
            try:
                _enqueue_pipelined(broker, messages[start : start + _PIPELINED])
            except REDIS_DOWN as exc:
                for message in messages[start:]:
                    _not_sent(message.args[0], exc)
                return
        return
    for message in messages:
        try:
            broker.enqueue(message)
        except REDIS_DOWN as exc:
            _not_sent(message.args[0], exc)


def _enqueue_pipelined(broker: RedisBroker, messages: list[dramatiq.Message]) -> None:
    """What ``RedisBroker.enqueue`` does for each message (dramatiq 1.18, pinned: a Redis id
    of its own, the enqueue hooks, and its ``dispatch`` script's ``enqueue``: the message
    into the queue's hash, its id at the end of the queue), for all of them in one
    transaction: two commands, not one script call each (a bulk of 10,000 took 2.6 s from 8
    threads, 2026-12-06). The messages are all on one queue or several, in order."""
    sent = [message.copy(options={"redis_message_id": str(uuid4())}) for message in messages]
    by_queue: dict[str, list[dramatiq.Message]] = {}
    for message in sent:
        broker.emit_before("enqueue", message, None)
        by_queue.setdefault(message.queue_name, []).append(message)
    with broker.client.pipeline(transaction=True) as pipe:
        for queue_name, queued in by_queue.items():
            queue = f"{broker.namespace}:{queue_name}"
            data = {m.options["redis_message_id"]: m.encode() for m in queued}
            pipe.hset(f"{queue}.msgs", mapping=data)
            pipe.rpush(queue, *data)
        pipe.execute()
    for message in sent:
        broker.emit_after("enqueue", message, None)


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


def send_items_on_commit(*, kind: str, items: Iterable[tuple[int, str]]) -> None:
    """Enqueue a bulk job's new items of ``kind``, given as (job id, message id), once the
    transaction commits."""
    to = kinds.get(kind).route_for(in_parent=True, batch=False)
    _enqueue_after_commit([_message(to, job_id, message_id) for job_id, message_id in items])

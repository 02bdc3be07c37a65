"""Pushing job changes to the channel layer.

A job's change goes to the groups ``job.<id>``, ``user.<owner id>`` and ``jobs.all`` (staff)
as ``{"type": "job.update", "job": <representation>}``. Worker processes push through one
:class:`ChannelPublisher` each: a thread with its own event loop and channel-layer
connection, fed by a queue, so download threads never block on the channel layer. The web
process pushes directly (:class:`DirectPublisher`): a request changes one job at a time.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from typing import Protocol

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from jobs import live
from jobs.models import Job
from jobs.serializers import JobSerializer
from mvidarr.redis_outage import REDIS_DOWN, outage, skipped_while_down

logger = logging.getLogger(__name__)

ALL_JOBS_GROUP = "jobs.all"


def job_group(job_id: int) -> str:
    return f"job.{job_id}"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def groups_for(job: Job) -> list[str]:
    """The groups a change of ``job`` goes to (its own, staff's, its owner's)."""
    groups = [job_group(job.pk), ALL_JOBS_GROUP]
    if job.user_id is not None:
        groups.append(user_group(job.user_id))
    return groups


def feed_group(user) -> str:
    """The one group a user's live feed listens to: staff see every job, others their own
    (the same rule as :func:`jobs.selectors.jobs_visible_to`)."""
    return ALL_JOBS_GROUP if user.is_staff else user_group(user.pk)


class Publisher(Protocol):
    def send(self, groups: list[str], payload: dict) -> None: ...


class DirectPublisher:
    """Sends at once from synchronous code (the web process, management commands)."""

    def send(self, groups: list[str], payload: dict) -> None:
        try:
            async_to_sync(_send_to_groups)(groups, payload)
        except Exception:  # a push is best effort: the row and Redis stay the truth
            logger.exception("could not push job %s to the channel layer", payload.get("id"))


async def _send_to_groups(groups: list[str], payload: dict) -> None:
    layer = get_channel_layer()
    message = {"type": "job.update", "job": payload}
    await asyncio.gather(*(layer.group_send(group, message) for group in groups))


class ChannelPublisher:
    """One per worker process: a thread that owns an event loop and the layer connection."""

    _STOP = object()

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="job-publisher", daemon=True)

    def start(self) -> ChannelPublisher:
        self._thread.start()
        return self

    def send(self, groups: list[str], payload: dict) -> None:
        self._queue.put((groups, payload))

    def stop(self, timeout: float = 5.0) -> None:
        self._queue.put(self._STOP)
        self._thread.join(timeout)

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        layer = get_channel_layer()
        try:
            while True:
                batch = [self._queue.get()]
                while len(batch) < 200:  # drain what is waiting: one round trip for many
                    try:
                        batch.append(self._queue.get_nowait())
                    except queue.Empty:
                        break
                stop = any(item is self._STOP for item in batch)
                messages = [item for item in batch if item is not self._STOP]
                sends = [
                    layer.group_send(group, {"type": "job.update", "job": payload})
                    for groups, payload in messages
                    for group in groups
                ]
                if sends:
                    results = loop.run_until_complete(
                        asyncio.gather(*sends, return_exceptions=True)
                    )
                    _log_failed_pushes(results)
                if stop:
                    return
        finally:
            loop.run_until_complete(_close_layer(layer))
            loop.close()


def _log_failed_pushes(results: list) -> None:
    """A Redis outage is logged once (by the outage record), any other failure each time."""
    failures = [result for result in results if isinstance(result, Exception)]
    down = [failure for failure in failures if isinstance(failure, REDIS_DOWN)]
    if down:
        outage().went_down(down[0], skipped="progress pushes")
    elif len(failures) < len(results):
        outage().came_back()
    for failure in failures:
        if not isinstance(failure, REDIS_DOWN):
            logger.warning("push to the channel layer failed: %s", failure)


async def _close_layer(layer) -> None:
    close = getattr(layer, "close_pools", None)
    if close is not None:
        try:
            await close()
        except Exception:  # closing is best effort at shutdown
            logger.debug("closing channel layer pools failed", exc_info=True)


def publish_job(job: Job, *, publisher: Publisher, figures: dict | None = None) -> dict | None:
    """Bump the job's seq and push its representation; return what was pushed.

    ``figures`` are the live figures the caller already has (a worker mid-download);
    without them the representation carries the job row's own values. While Redis is down
    nothing is pushed (None): the row is the truth, and pages read it when they reload.
    """
    with skipped_while_down("progress pushes"):
        seq = live.next_seq(job.pk)
        context = {"live": {job.pk: {**(figures or {}), "seq": seq}}}
        payload = dict(JobSerializer(job, context=context).data)
        publisher.send(groups_for(job), payload)
        return payload
    return None


def publish_after_commit(job: Job, *, publisher: Publisher | None = None) -> None:
    """Push the job to the pages once the surrounding transaction commits (at once outside
    one), so nobody sees a state that a rollback takes back. The web process pushes
    directly; a worker passes its publisher."""
    publisher = publisher or DirectPublisher()
    transaction.on_commit(lambda: publish_job(job, publisher=publisher))

"""Dramatiq actors, one per route of each kind in :mod:`jobs.kinds`: thin, all alike.

An actor receives a job id and calls its kind's plain function, which owns retries. They
are built from the registry rather than written out because each one would be the same
two lines: a new kind gets its actors from its registry entry, with the same options.
"""

from __future__ import annotations

from collections.abc import Callable

import dramatiq
from django.conf import settings
from django.utils.module_loading import import_string

from jobs import kinds
from jobs.middleware import current_context

# max_retries=0: a retry is the runner's decision (row back to queued, delayed message);
# Dramatiq redelivering this message would find the row no longer claimable.
OPTIONS = {
    "max_retries": 0,
    "time_limit": settings.JOB_TIME_LIMIT_SECONDS * 1000,
    "notify_shutdown": True,
}


def job_actor(route: kinds.Route, run: Callable[..., None]) -> dramatiq.Actor:
    """Declare on the broker an actor for ``route`` that runs ``run(job_id, context=...)``."""

    def perform(job_id: int) -> None:
        run(job_id, context=current_context())

    perform.__name__ = perform.__qualname__ = route.actor
    return dramatiq.actor(perform, actor_name=route.actor, queue_name=route.queue, **OPTIONS)


def kind_actors(kind: kinds.JobKind) -> list[dramatiq.Actor]:
    """Declare the actors of ``kind`` (none for a parent kind)."""
    if not kind.routes():
        return []
    run = import_string(kind.run)
    return [job_actor(route, run) for route in kind.routes()]


ACTORS: dict[str, dramatiq.Actor] = {
    actor.actor_name: actor for kind in kinds.KINDS.values() for actor in kind_actors(kind)
}

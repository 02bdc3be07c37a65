"""Telling the connections when MVidarr's readiness turns failing (``Health``) and when it
recovers (``HealthRestored``): once per transition, checked by the scheduler process.

:class:`HealthWatch` lives in the scheduler process (``manage.py crontab`` adds its
:meth:`HealthWatch.tick` to the schedule, run there rather than by a worker, since "no
worker" is one of the faults it reports). A tick reads :func:`mvidarr.ops.health.readiness`
plus the library's free space; a change of state starts ``notify`` jobs. When that cannot be
done (the database or Redis is the fault) the event is sent from here, at once, to the
connections read at the last good tick.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable

from django.conf import settings

from connections import events
from connections.delivery import deliver
from connections.kinds import MEDIA_SERVERS
from connections.models import Connection
from connections.payloads import health_payload
from connections.selectors import connections_for
from jobs.deliveries import deliver_health
from jobs.preferences import MIN_FREE_MB
from mvidarr.ops.health import readiness
from mvidarr.units import format_bytes
from preferences.selectors import setting_get

logger = logging.getLogger(__name__)


def problems_now(check: Callable[[], dict] = readiness) -> list[str]:
    """What makes MVidarr not ready now, a sentence each (empty: ready)."""
    result = check()
    problems = [
        f"{name}: {item['detail']}"
        for name, item in result["checks"].items()
        if not item["ok"] and not item.get("warning")
    ]
    try:
        free = shutil.disk_usage(settings.LIBRARY_ROOT).free
    except OSError as exc:
        problems.append(f"library: its folder cannot be read ({exc}).")
    else:
        minimum = setting_get(MIN_FREE_MB) * 1_000_000  # MB, as mvidarr.units writes them
        if free < minimum:
            problems.append(
                f"disk: {format_bytes(free)} free in the library, below the minimum of "
                f"{format_bytes(minimum)}."
            )
    return problems


class HealthWatch:
    """Remembers the last state seen; :meth:`tick` tells the connections when it changes.
    The first tick only remembers, unless it finds MVidarr failing (said once)."""

    def __init__(self, check: Callable[[], list[str]] = problems_now) -> None:
        self.check = check
        self.failing: bool | None = None
        self.known: dict[str, list[Connection]] = {}

    def tick(self) -> str | None:
        """Check once; return the event sent (``Health``, ``HealthRestored``) or None."""
        problems = self.check()
        failing = bool(problems)
        self._remember_connections()
        if failing == self.failing or (self.failing is None and not failing):
            self.failing = failing
            return None
        self.failing = failing
        event = events.HEALTH if failing else events.HEALTH_RESTORED
        logger.warning("readiness turned %s: %s", "failing" if failing else "ok", problems)
        self._send(event, problems)
        return event

    def _remember_connections(self) -> None:
        try:
            self.known = {
                event: [c for c in connections_for(event) if c.kind not in MEDIA_SERVERS]
                for event in (events.HEALTH, events.HEALTH_RESTORED)
            }
        except Exception as exc:  # the database is down: keep those known before
            logger.info("the connections could not be read (%s); using the last known", exc)

    def _send(self, event: str, problems: list[str]) -> None:
        try:
            deliver_health(event=event, problems=problems)
            return
        except Exception as exc:
            logger.warning("%s could not be queued (%s); sending it from here", event, exc)
        payload = health_payload(event, problems=problems, fallback=True)
        for connection in self.known.get(event, []):
            try:
                deliver(connection, event, payload)
            except Exception as exc:
                logger.warning("%s to %s failed: %s", event, connection.name, exc)

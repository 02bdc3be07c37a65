"""Adding, changing and deleting connections, and recording how a delivery went.

Delivering is a job's work (``jobs.services.notify`` starts them, ``jobs.worker.notify``
runs them): nothing here touches the network.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from connections.kinds import ConnectionInvalid, clean_events, clean_settings, fields_of
from connections.models import Connection

MAX_MESSAGE = 1000


def _check_name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ConnectionInvalid("Give the connection a name.", field="name")
    name = name.strip()
    if len(name) > 100:
        raise ConnectionInvalid("A name has at most 100 characters.", field="name")
    return name


def _save(connection: Connection) -> Connection:
    try:
        with transaction.atomic():
            connection.save()
    except IntegrityError:
        raise ConnectionInvalid(
            f"A connection is already called “{connection.name}”; choose another name.",
            field="name",
        ) from None
    return connection


def connection_create(
    *, kind: str, name: str, settings: dict, events: list, enabled: bool = True
) -> Connection:
    """Add a connection; raises :class:`ConnectionInvalid` (with the field) when the kind,
    the name, a setting or an event is not acceptable."""
    fields_of(kind)
    connection = Connection(
        kind=kind,
        name=_check_name(name),
        settings=clean_settings(kind, settings),
        events=clean_events(kind, events),
        enabled=bool(enabled),
    )
    return _save(connection)


def connection_update(*, connection: Connection, data: dict) -> Connection:
    """Change what ``data`` gives (name, settings, events, enabled; not the kind). Settings
    are merged: a secret left out keeps its value."""
    if "kind" in data and data["kind"] != connection.kind:
        raise ConnectionInvalid(
            "A connection's kind cannot change; add a new connection instead.", field="kind"
        )
    if "name" in data:
        connection.name = _check_name(data["name"])
    if "settings" in data:
        given = data["settings"]
        if isinstance(given, dict):
            given = {**connection.settings, **given}  # a null secret keeps its value
        connection.settings = clean_settings(connection.kind, given, previous=connection.settings)
    if "events" in data:
        connection.events = clean_events(connection.kind, data["events"])
    if "enabled" in data:
        connection.enabled = bool(data["enabled"])
    return _save(connection)


def connection_delete(*, connection: Connection) -> None:
    connection.delete()


def connection_record_outcome(
    *, connection_id: int, event: str, outcome: str, message: str = ""
) -> None:
    """Note how the last delivery to the connection went (delivered, retrying, failed)."""
    Connection.objects.filter(pk=connection_id).update(
        last_outcome=outcome,
        last_event=event,
        last_message=message[:MAX_MESSAGE],
        last_at=timezone.now(),
    )

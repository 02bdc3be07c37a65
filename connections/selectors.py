"""Reading connections."""

from __future__ import annotations

from django.db.models import QuerySet

from connections.models import Connection


def connection_list() -> QuerySet[Connection]:
    return Connection.objects.all()


def connection_get(*, connection_id: int) -> Connection | None:
    return Connection.objects.filter(pk=connection_id).first()


def connections_for(event: str) -> list[Connection]:
    """The enabled connections switched on for ``event``."""
    return [c for c in Connection.objects.filter(enabled=True) if event in (c.events or [])]

"""Delivering to one connection: what a ``notify`` or ``media_refresh`` job calls. Each
raises :class:`connections.clients.DeliveryError` (transient or permanent) when it fails."""

from __future__ import annotations

from typing import Any

from connections import events
from connections.clients import apprise_client, mediaservers, webhook
from connections.clients.http import DeliveryError
from connections.kinds import MEDIA_SERVERS
from connections.models import Connection


def deliver(connection: Connection, event: str, payload: dict[str, Any]) -> str:
    """Send ``payload`` (the event ``event``) to ``connection``; return what happened."""
    settings = connection.settings or {}
    if connection.kind == Connection.Kind.WEBHOOK:
        return webhook.send(settings, payload)
    if connection.kind == Connection.Kind.APPRISE:
        return apprise_client.send(settings, payload)
    if connection.kind in MEDIA_SERVERS and event == events.TEST:
        return mediaservers.TEST[connection.kind](settings)
    raise DeliveryError(
        f"A {connection.get_kind_display()} connection is not sent {event} events.",
        permanent=True,
    )


def refresh(connection: Connection, *, folder: str, update_type: str) -> str:
    """Ask ``connection``'s media server to look at ``folder`` (inside the library) again."""
    if connection.kind not in MEDIA_SERVERS:
        raise DeliveryError(f"{connection.name} is not a media server.", permanent=True)
    return mediaservers.REFRESH[connection.kind](connection.settings or {}, folder, update_type)

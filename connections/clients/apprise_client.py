"""Apprise (chat, e-mail, push): a short title and text per event, sent to each URL."""

from __future__ import annotations

from typing import Any

from connections.clients.http import DeliveryError
from connections.payloads import summary


def send(settings: dict, payload: dict[str, Any]) -> str:
    """Notify every URL; return what happened. Raises DeliveryError: permanent when no URL
    is usable, transient when Apprise could not deliver (it does not say why in a way that
    tells the two apart; the runner's attempts end it)."""
    # Loaded by the worker that sends one, not by every process (about 14 MB: issue 23).
    import apprise

    title, body = summary(payload)
    notifier = apprise.Apprise()
    for url in settings.get("urls", []):
        if not notifier.add(url):
            raise DeliveryError(
                "An Apprise URL of this connection is not one Apprise understands; correct it.",
                permanent=True,
            )
    if len(notifier) == 0:
        raise DeliveryError("This connection has no Apprise URL.", permanent=True)
    if not notifier.notify(title=title, body=body):
        raise DeliveryError(
            "Apprise could not deliver the notification (see the worker's log for why).",
            permanent=False,
        )
    return f"Delivered to {len(notifier)} Apprise URL{'s' if len(notifier) != 1 else ''}."

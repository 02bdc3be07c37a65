"""The outside services a connection talks to: one small client each, whose faults are a
:class:`DeliveryError` marked transient (try again later) or permanent (say why, stop)."""

from connections.clients.http import DeliveryError

__all__ = ["DeliveryError"]

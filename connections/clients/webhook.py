"""A webhook: the payload as JSON, POSTed; signed when the connection has a secret."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from connections.clients import http

SIGNATURE_HEADER = "X-MVidarr-Signature"


def body_of(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def signature(secret: str, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of the exact body>``."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def send(settings: dict, payload: dict[str, Any]) -> str:
    """POST the payload; return what happened, in a sentence. Raises DeliveryError."""
    body = body_of(payload)
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if settings.get("secret"):
        headers[SIGNATURE_HEADER] = signature(settings["secret"], body)
    answer = http.request("POST", settings["url"], body=body, headers=headers)
    return f"Delivered ({answer.status})."

"""A limit on the size of request bodies, enforced before Django sees the request.

Django reads a whole body into memory (or a spooled file) before any view, authentication
or throttle runs, so without a limit an anonymous client could make a web process read
100 MB, and a signed-in one could send a bulk request of millions of ids that took half a
minute to refuse. :class:`BodyLimit` wraps the ASGI application and answers ``413`` as soon
as ``Content-Length`` says too much, or, for a body without one (chunked), as soon as the
bytes received pass the limit.
"""

from __future__ import annotations

import json

from mvidarr.units import format_bytes

# Longer than any sane Content-Length, and far below int()'s 4300-digit limit.
_MAX_LENGTH_DIGITS = 18


class BodyLimit:
    """ASGI middleware: HTTP requests whose body is over ``max_bytes`` get 413.

    The body is read here (up to the limit) and handed on unchanged, message by message;
    Django reads all of it before dispatching anyway, so nothing waits longer than before.
    WebSocket and lifespan traffic pass through untouched.
    """

    def __init__(self, app, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(send)
            return
        received: list[dict] = []
        size = 0
        while True:
            message = await receive()
            received.append(message)
            if message["type"] != "http.request":  # the client went away: let Django see it
                break
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                await self._refuse(send)
                return
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(received, receive), send)

    async def _refuse(self, send) -> None:
        body = json.dumps(
            {
                "detail": f"The request body is larger than the {format_bytes(self.max_bytes)} "
                "this server "
                "accepts; send less (the limit is MVIDARR_MAX_BODY_KB)."
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    # The rest of the body is never read: the connection cannot be reused.
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _content_length(scope) -> int | None:
    """The declared body size; absurdly long values count as too large, malformed as none."""
    for name, value in scope.get("headers", ()):
        if name.lower() == b"content-length":
            value = value.strip()
            if not value.isdigit():
                return None
            if len(value) > _MAX_LENGTH_DIGITS:
                return 10**_MAX_LENGTH_DIGITS
            return int(value)
    return None


def _replay(received: list[dict], receive):
    """A ``receive`` that gives back the messages already read, then reads on."""
    pending = list(received)

    async def replaying_receive() -> dict:
        if pending:
            return pending.pop(0)
        return await receive()

    return replaying_receive

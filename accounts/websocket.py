"""API keys on the WebSocket: a script sends ``Authorization: Token <key>`` with the
handshake, as with the API. (Not ``?apikey=``: addresses end up in proxies' logs.)"""

from __future__ import annotations

from channels.db import database_sync_to_async

from accounts.keys import api_key_use


def _key_in(headers) -> str | None:
    for name, value in headers:
        if name == b"authorization":
            scheme, _, key = value.decode("latin-1").strip().partition(" ")
            if scheme.lower() == "token":
                return key.strip()
    return None


@database_sync_to_async
def _user_of(key: str):
    api_key = api_key_use(key=key)
    return api_key.user if api_key is not None else None


class ApiKeyWebSocketMiddleware:
    """ASGI middleware inside Channels' ``AuthMiddlewareStack``: a connection without a
    session's user but with a valid key acts as the key's user. A key that is not valid
    leaves it anonymous, which the consumer refuses."""

    def __init__(self, application) -> None:
        self.application = application

    async def __call__(self, scope, receive, send):
        user = scope.get("user")
        if scope["type"] == "websocket" and not getattr(user, "is_authenticated", False):
            key = _key_in(scope.get("headers", []))
            if key:
                found = await _user_of(key)
                if found is not None:
                    scope = {**scope, "user": found}
        return await self.application(scope, receive, send)

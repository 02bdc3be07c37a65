"""WebSocket routes of every app, and the origin check every socket passes first."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from django.http.request import is_same_domain

from jobs.routing import websocket_urlpatterns as jobs_websocket_urlpatterns

websocket_urlpatterns: list = [*jobs_websocket_urlpatterns]


class SameOriginValidator:
    """Refuses a WebSocket handshake from a page of another origin (ASGI middleware).

    A browser sends the page's ``Origin`` with every handshake and the site's cookies with
    it, so without this check any page the user visits could read their live job feed.
    The ``Origin``'s ``scheme://host:port`` must equal the socket's own — taken from the
    ``Host`` header and the connection's scheme exactly as Django's CSRF check takes them
    (``ALLOWED_HOSTS``, ``MVIDARR_BEHIND_PROXY``'s ``X-Forwarded-Proto``) — or be one of
    ``CSRF_TRUSTED_ORIGINS``. Channels' ``AllowedHostsOriginValidator`` compared the host
    only, so another port of the same host (another local service) got in.

    A handshake without ``Origin`` is let through: browsers always send it, so it comes
    from a script or a tool, which cannot borrow a user's cookies and still has to
    authenticate (the consumer refuses anonymous connections).
    """

    def __init__(self, application) -> None:
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not origin_allowed(scope):
            await receive()  # websocket.connect
            await send({"type": "websocket.close", "code": 403})
            return None
        return await self.application(scope, receive, send)


def origin_allowed(scope: dict) -> bool:
    """Whether the handshake's ``Origin`` is the socket's own origin or a trusted one."""
    origins = [value for name, value in scope.get("headers", []) if name == b"origin"]
    if not origins:
        return True
    if len(origins) > 1:
        return False
    origin = origins[0].decode("latin-1").strip().lower()
    own = _own_origin(scope)
    if own is not None and origin == own.lower():
        return True
    return _trusted(origin, settings.CSRF_TRUSTED_ORIGINS)


class _Handshake(HttpRequest):
    """The handshake as a Django request, so that host and scheme follow Django's rules."""

    def __init__(self, scope: dict) -> None:
        super().__init__()
        server = scope.get("server") or ("", None)
        self.META["SERVER_NAME"] = server[0] or ""
        self.META["SERVER_PORT"] = str(server[1] or "")
        for name, value in scope.get("headers", []):
            key = "HTTP_" + name.decode("latin-1").upper().replace("-", "_")
            value = value.decode("latin-1")
            self.META[key] = f"{self.META[key]},{value}" if key in self.META else value
        self._secure_connection = scope.get("scheme") in ("wss", "https")

    def _get_scheme(self) -> str:
        return "https" if self._secure_connection else "http"


def _own_origin(scope: dict) -> str | None:
    request = _Handshake(scope)
    try:
        host = request.get_host()  # validated against ALLOWED_HOSTS
    except DisallowedHost:
        return None
    return f"{request.scheme}://{host}"


def _trusted(origin: str, trusted: Iterable[str]) -> bool:
    """Django's CSRF rule: an exact entry, or ``scheme://*.domain`` for its subdomains."""
    trusted = [entry.lower() for entry in trusted]
    if origin in trusted:
        return True
    try:
        parsed = urlsplit(origin)
    except ValueError:
        return False
    return any(
        is_same_domain(parsed.netloc, entry.netloc.lstrip("*"))
        for entry in (urlsplit(item) for item in trusted if "*" in item)
        if entry.scheme == parsed.scheme
    )

"""The live feed's origin check: the page's scheme://host:port must be the socket's own."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from channels.testing.application import ApplicationCommunicator
from django.conf import settings as django_settings
from django.test import Client

from mvidarr.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


class Handshake(WebsocketCommunicator):
    """A handshake to /ws/jobs/ over ``scheme`` (``ws`` or ``wss``) with these headers."""

    def __init__(self, headers: list[tuple[bytes, bytes]], *, scheme: str = "ws") -> None:
        scope = {
            "type": "websocket",
            "scheme": scheme,
            "path": "/ws/jobs/",
            "query_string": b"",
            "headers": headers,
            "subprotocols": [],
            "server": ("127.0.0.1", 8000),
        }
        ApplicationCommunicator.__init__(self, application, scope)
        self.response_headers = None


def session_cookie(user) -> tuple[bytes, bytes]:
    client = Client()
    client.force_login(user)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return b"cookie", f"{django_settings.SESSION_COOKIE_NAME}={session}".encode()


def connects(user, *, host: str, origin: str | None, scheme: str = "ws", extra=()) -> bool:
    headers = [(b"host", host.encode()), session_cookie(user), *extra]
    if origin is not None:
        headers.append((b"origin", origin.encode()))

    async def handshake() -> bool:
        communicator = Handshake(headers, scheme=scheme)
        connected, _ = await communicator.connect(timeout=10)
        if connected:
            assert (await communicator.receive_json_from(timeout=10))["type"] == "snapshot"
            await communicator.disconnect()
        return connected

    return async_to_sync(handshake)()


def test_the_sites_own_origin_is_accepted(alice):
    assert connects(alice, host="127.0.0.1:8000", origin="http://127.0.0.1:8000")


def test_another_port_of_the_same_host_is_refused(alice):
    assert not connects(alice, host="127.0.0.1:8000", origin="http://127.0.0.1:9999")


def test_another_host_is_refused(alice):
    assert not connects(alice, host="127.0.0.1:8000", origin="http://localhost:8000")
    assert not connects(alice, host="127.0.0.1:8000", origin="https://evil.example")


def test_another_scheme_is_refused(alice):
    assert not connects(alice, host="127.0.0.1:8000", origin="https://127.0.0.1:8000")


def test_a_host_outside_allowed_hosts_is_refused_even_as_its_own_origin(alice):
    assert not connects(alice, host="evil.example", origin="http://evil.example")


def test_a_trusted_origin_is_accepted(alice, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://mvidarr.example.com", "https://*.example.org"]
    assert connects(alice, host="127.0.0.1:8000", origin="https://mvidarr.example.com")
    assert connects(alice, host="127.0.0.1:8000", origin="https://tv.example.org")
    assert not connects(alice, host="127.0.0.1:8000", origin="http://tv.example.org")


def test_a_secure_socket_has_an_https_origin(alice):
    assert connects(alice, host="127.0.0.1:8000", origin="https://127.0.0.1:8000", scheme="wss")
    assert not connects(alice, host="127.0.0.1:8000", origin="http://127.0.0.1:8000", scheme="wss")


def test_behind_a_proxy_the_scheme_comes_from_x_forwarded_proto(alice, settings):
    settings.ALLOWED_HOSTS = ["mvidarr.example.com"]
    forwarded = [(b"x-forwarded-proto", b"https")]
    # Without MVIDARR_BEHIND_PROXY the header is not believed, as for Django's CSRF check.
    assert not connects(
        alice, host="mvidarr.example.com", origin="https://mvidarr.example.com", extra=forwarded
    )
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert connects(
        alice, host="mvidarr.example.com", origin="https://mvidarr.example.com", extra=forwarded
    )
    assert not connects(
        alice, host="mvidarr.example.com", origin="http://mvidarr.example.com", extra=forwarded
    )


def test_a_client_without_origin_is_let_through_and_still_needs_to_log_in(alice):
    # Browsers always send Origin; a script does not, and has no user's cookies to borrow.
    assert connects(alice, host="127.0.0.1:8000", origin=None)

    async def anonymous() -> bool:
        communicator = Handshake([(b"host", b"127.0.0.1:8000")])
        connected, _ = await communicator.connect(timeout=10)
        return connected

    assert not async_to_sync(anonymous)()

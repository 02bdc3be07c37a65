"""A script follows the live job feed with an API key: ``Authorization: Token <key>`` on the
WebSocket handshake (no browser Origin, as a script sends)."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from accounts.keys import api_key_create
from tests.pages.test_consumers import feed

pytestmark = pytest.mark.django_db(transaction=True)


def script_headers(key: str) -> list[tuple[bytes, bytes]]:
    return [(b"host", b"127.0.0.1"), (b"authorization", f"Token {key}".encode())]


def connects(headers) -> bool:
    async def scenario() -> bool:
        communicator = feed(headers)
        connected, _ = await communicator.connect(timeout=10)
        if connected:
            snapshot = await communicator.receive_json_from(timeout=10)
            assert snapshot["type"] == "snapshot"
            await communicator.disconnect()
        return connected

    return async_to_sync(scenario)()


def test_a_key_opens_the_job_feed_and_a_revoked_one_does_not(alice):
    api_key, key = api_key_create(user=alice, name="watcher")
    assert connects(script_headers(key))
    async_to_sync(sync_to_async(api_key.delete))()
    assert not connects(script_headers(key))


def test_an_unknown_key_or_another_scheme_is_anonymous_and_refused(alice):
    assert not connects(script_headers("not-a-key"))
    assert not connects([(b"host", b"127.0.0.1"), (b"authorization", b"Basic abc")])

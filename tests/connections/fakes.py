"""Fake outside services for the connections' tests: one small HTTP server that records every
request it receives (method, path, query, headers, body) and answers what the test told it
to (200 by default). A webhook receiver, Apprise's ``json://`` target, Jellyfin, Emby, Plex
and Kodi are each this server seen through the requests the test asserts."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # names in lower case
    body: bytes

    def json(self):
        return json.loads(self.body)

    def signed_with(self, secret: str) -> bool:
        """Whether X-MVidarr-Signature is the HMAC-SHA256 of the exact body under ``secret``
        (what a receiver does to trust a delivery)."""
        expected = hmac.new(secret.encode(), self.body, hashlib.sha256).hexdigest()
        given = self.headers.get("x-mvidarr-signature", "")
        return hmac.compare_digest(given, f"sha256={expected}")


@dataclass
class FakeServer:
    server: ThreadingHTTPServer
    received: list[Received] = field(default_factory=list)
    replies: list[tuple[int, bytes]] = field(default_factory=list)
    default_reply: tuple[int, bytes] = (200, b"{}")
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Cleared: each request waits (up to a minute) until a test sets it again.
    go_on: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.go_on.set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def reply(self, status: int, body: bytes = b"", *, times: int = 1) -> None:
        """The next ``times`` requests get ``status`` (then the default again)."""
        with self.lock:
            self.replies.extend([(status, body)] * times)

    def next_reply(self) -> tuple[int, bytes]:
        with self.lock:
            return self.replies.pop(0) if self.replies else self.default_reply


def _handler(fake: FakeServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _record(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            split = urllib.parse.urlsplit(self.path)
            fake.received.append(
                Received(
                    method=self.command,
                    path=split.path,
                    query=urllib.parse.parse_qs(split.query),
                    headers={name.lower(): value for name, value in self.headers.items()},
                    body=body,
                )
            )
            fake.go_on.wait(timeout=60)
            status, answer = fake.next_reply()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        do_GET = do_POST = do_PUT = _record

        def log_message(self, *args) -> None:  # quiet
            pass

    return Handler


@pytest.fixture
def fake_server() -> Iterator[FakeServer]:
    """A recording HTTP server on 127.0.0.1 (a webhook receiver, a media server)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    fake = FakeServer(server=server)
    server.RequestHandlerClass = _handler(fake)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def kodi_server(fake_server) -> FakeServer:
    fake_server.default_reply = (200, b'{"id": 1, "jsonrpc": "2.0", "result": "OK"}')
    return fake_server

"""Session fixtures for media tests; registered in tests/conftest.py with
``pytest_plugins = ["tests.media.conftest_plugin"]``.

- ``media_clips``: ``{name: path relative to the media root}`` (see ``tests.media.clips``),
  made once per session.
- ``media_server``: a running ``MediaServer`` serving those clips (see ``tests.media.server``),
  started once per session. Tests keep their tokens and /hold groups unique (e.g. by test name)
  because the counters live as long as the server.
- ``internal_service``: another loopback server standing for an internal service with a
  secret; ``internal_service.hits`` lists the paths it was asked for (the private-address
  guard must keep it empty).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.media.clips import make_clips
from tests.media.server import MediaServer


@pytest.fixture(scope="session")
def media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def media_clips(media_root: Path) -> dict[str, str]:
    return make_clips(media_root)


@pytest.fixture(scope="session")
def media_server(media_root: Path, media_clips: dict[str, str]) -> Iterator[MediaServer]:
    with MediaServer(media_root) as server:
        yield server


class _InternalService(BaseHTTPRequestHandler):
    """Answers everything with a secret, as a binary body; records each path."""

    def do_GET(self) -> None:
        self.server.hits.append(self.path)  # type: ignore[attr-defined]
        body = b'{"api_key": "s3cret"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def internal_service() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _InternalService)
    server.hits = []  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()

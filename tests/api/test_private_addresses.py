"""A signed-in user's link to an internal service is refused end to end, through the API."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest

from jobs.models import DownloadJob
from tests.api.test_with_worker import wait_for_api_job


class _Internal(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.hits.append(self.path)  # type: ignore[attr-defined]
        body = b'{"api_key": "s3cret"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def internal():
    """An internal service on another loopback port, which must never be reached."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Internal)
    server.hits = []  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("via_redirect", [False, True], ids=["direct", "redirect"])
def test_a_link_to_an_internal_service_fails_at_once_and_stores_nothing(
    worker, api, media_server, library_root, internal, via_redirect
):
    target = f"http://127.0.0.1:{internal.server_address[1]}/config.mp4"
    url = media_server.url(f"redirect?to={quote(target, safe='')}") if via_redirect else target
    added = api.post("/api/videos/", {"url": url}, format="json").json()
    probe = wait_for_api_job(api, added["probe_job"]["id"])
    assert probe["status"] == "failed"
    assert "MVIDARR_ALLOWED_PRIVATE_HOSTS" in probe["error"]

    submitted = api.post(f"/api/videos/{added['id']}/download", {}, format="json")
    job = wait_for_api_job(api, submitted.json()["id"])

    assert job["status"] == "failed"
    assert "loopback address" in job["error"] and "links may only point at public" in job["error"]
    assert DownloadJob.objects.get(pk=job["id"]).attempts == 1  # permanent: no retry
    assert internal.hits == []
    assert [p for p in library_root.rglob("*") if p.is_file()] == []

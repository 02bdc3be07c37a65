"""Requests through the real ASGI application: body limits, nesting; 413 before Django."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from django.conf import settings

from mvidarr.asgi import application
from mvidarr.tokens import RefreshToken
from tests.support import make_user
from tests.test_config import run_manage

pytestmark = pytest.mark.django_db(transaction=True)


def http_scope(path: str, *, method: str = "POST", headers=()) -> dict:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


def exchange(scope: dict, chunks: list[bytes]) -> tuple[int, dict, bytes, int]:
    """Send ``chunks`` as the body; return (status, headers, body, chunks the app read)."""

    async def run():
        communicator = ApplicationCommunicator(application, scope)
        for index, chunk in enumerate(chunks):
            await communicator.send_input(
                {"type": "http.request", "body": chunk, "more_body": index < len(chunks) - 1}
            )
        start = await communicator.receive_output(timeout=20)
        body = b""
        while True:
            message = await communicator.receive_output(timeout=20)
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        unread = communicator.input_queue.qsize()
        await communicator.wait(timeout=5)
        headers = {name.decode().lower(): value.decode() for name, value in start["headers"]}
        return start["status"], headers, body, len(chunks) - unread

    return async_to_sync(run)()


def json_headers(payload: bytes) -> list[tuple[bytes, bytes]]:
    return [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]


def bearer(user) -> tuple[bytes, bytes]:
    return (b"authorization", f"Bearer {RefreshToken.for_user(user).access_token}".encode())


def test_a_declared_100_mb_body_is_refused_at_once_before_authentication():
    scope = http_scope(
        "/api/videos/",
        headers=[(b"content-type", b"application/json"), (b"content-length", b"104857600")],
    )
    status, headers, body, read = exchange(scope, [b"{" * 1024] * 4)
    # Anonymous, yet 413 and not 401: nothing of Django ran, and no body was read.
    assert status == 413
    assert read == 0
    assert headers["connection"] == "close"
    assert "MVIDARR_MAX_BODY_KB" in json.loads(body)["detail"]


def test_an_absurd_content_length_is_refused_not_a_crash():
    scope = http_scope("/api/videos/", headers=[(b"content-length", b"9" * 60_000)])
    status, _headers, _body, _read = exchange(scope, [b""])
    assert status == 413


def test_a_chunked_body_without_content_length_is_cut_off_at_the_limit():
    chunk = b"x" * (64 * 1024)
    chunks = [chunk] * (settings.MAX_BODY_BYTES // len(chunk) + 8)
    scope = http_scope("/api/videos/", headers=[(b"content-type", b"application/json")])
    status, _headers, _body, read = exchange(scope, chunks)
    assert status == 413
    assert read == settings.MAX_BODY_BYTES // len(chunk) + 1  # one chunk past the limit


def test_a_bulk_request_of_10000_ids_fits_under_the_default_limit():
    assert settings.MAX_BODY_BYTES == 1024 * 1024
    user = make_user("alice")
    ids = [10**18 + n for n in range(10_000)]  # the longest ids there are
    payload = json.dumps({"video_ids": ids, "quality": "best"}).encode()
    scope = http_scope("/api/videos/bulk/download", headers=[*json_headers(payload), bearer(user)])
    pieces = [payload[i : i + 50_000] for i in range(0, len(payload), 50_000)]
    status, _headers, body, _read = exchange(scope, pieces)
    # The view saw it: none of these videos exists, and the refusal names the first 20 only.
    assert status == 400, body
    listed = ", ".join(str(video_id) for video_id in ids[:20])
    assert json.loads(body) == {
        "video_ids": [f"There are no videos with these ids: {listed} and 9980 more."]
    }


def test_a_small_body_reaches_the_view_unchanged():
    user = make_user("alice")
    payload = json.dumps({"url": "https://videos.example/watch?v=1", "title": "Hello"}).encode()
    scope = http_scope("/api/videos/", headers=[*json_headers(payload), bearer(user)])
    status, _headers, body, _read = exchange(scope, [payload[:10], payload[10:]])
    assert status == 201, body
    assert json.loads(body)["title"] == "Hello"


def test_the_body_limit_is_read_from_the_environment():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.MAX_BODY_BYTES)",
        MVIDARR_MAX_BODY_KB="2048",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(2048 * 1024)
    refused = run_manage("check", MVIDARR_MAX_BODY_KB="lots")
    assert refused.returncode != 0
    assert "MVIDARR_MAX_BODY_KB must be a whole number" in refused.stderr


def test_json_nested_100000_deep_is_a_400_with_a_sentence():
    user = make_user("alice")
    payload = b'{"video_ids": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    scope = http_scope("/api/videos/bulk/download", headers=[*json_headers(payload), bearer(user)])
    status, _headers, body, _read = exchange(scope, [payload])
    assert status == 400, body[:300]
    assert json.loads(body)["detail"].startswith("The JSON is nested too deeply")

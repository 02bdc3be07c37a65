"""A blocking JSON client for the REST API (set-up and job submission), on http.client."""

from __future__ import annotations

import http.client
import json
import threading


class ApiError(Exception):
    pass


class Api:
    """One keep-alive connection per thread to the web server; JSON in, JSON out."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.token = ""
        self._local = threading.local()

    def _conn(self) -> http.client.HTTPConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            self._local.conn = conn
        return conn

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        for attempt in (1, 2):  # a kept-alive connection the server closed: reconnect once
            conn = self._conn()
            try:
                conn.request(method, path, body=data, headers=headers)
                response = conn.getresponse()
                raw = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                conn.close()
                self._local.conn = None
                if attempt == 2:
                    raise
        try:
            payload = json.loads(raw) if raw else {}
        except ValueError:
            payload = {"raw": raw[:200].decode(errors="replace")}
        return response.status, payload

    def login(self, username: str, password: str) -> None:
        status, payload = self.call(
            "POST", "/api/auth/token/", {"username": username, "password": password}
        )
        if status != 200:
            raise ApiError(f"Could not get a token ({status}): {payload}")
        self.token = payload["access"]

    def download(self, video_id: int, *, force: bool = False) -> dict:
        """POST /api/videos/<id>/download; the job. Raises ApiError unless 200/202."""
        status, payload = self.call(
            "POST",
            f"/api/videos/{video_id}/download",
            {"quality": "best", "force_redownload": force},
        )
        if status not in (200, 202):
            raise ApiError(f"Download of video {video_id} refused ({status}): {payload}")
        return payload

    def bulk_download(self, video_ids: list[int]) -> dict:
        """POST /api/videos/bulk/download; the bulk job (its ``items`` are the per-video jobs)."""
        status, payload = self.call(
            "POST",
            "/api/videos/bulk/download",
            {"video_ids": video_ids, "quality": "best", "force_redownload": False},
        )
        if status != 202:
            raise ApiError(f"Bulk download refused ({status}): {payload}")
        return payload

"""End to end, over HTTP only: a script gets a token, adds a video, downloads it."""

from __future__ import annotations

import time

import requests
from django.contrib.auth import get_user_model


def poll_job(session: requests.Session, url: str, *, timeout: float = 90.0) -> dict:
    """GET the job until it has finished; return its last representation."""
    deadline = time.monotonic() + timeout
    while True:
        job = session.get(url, timeout=10).json()
        if job["status"] in ("completed", "failed", "cancelled") or time.monotonic() > deadline:
            return job
        time.sleep(0.25)


def test_a_script_downloads_a_video_with_a_token_and_finds_it_in_the_library(
    running_stack, media_server
):
    get_user_model().objects.create_user("script", password="a-long-script-password")
    api = requests.Session()

    anonymous = api.get(running_stack.url("/api/videos/"), timeout=10)
    assert anonymous.status_code == 401

    tokens = api.post(
        running_stack.url("/api/auth/token/"),
        json={"username": "script", "password": "a-long-script-password"},
        timeout=10,
    )
    assert tokens.status_code == 200, tokens.text
    api.headers["Authorization"] = f"Bearer {tokens.json()['access']}"

    added = api.post(
        running_stack.url("/api/videos/"),
        json={"url": media_server.url("clips/360p.mp4"), "title": "Army of Me", "artist": "Björk"},
        timeout=10,
    )
    assert added.status_code == 201, added.text
    video = added.json()

    submitted = api.post(
        running_stack.url(f"/api/videos/{video['id']}/download"),
        json={"quality": "best"},
        timeout=10,
    )
    assert submitted.status_code == 202, submitted.text
    job = poll_job(api, running_stack.url(f"/api/jobs/{submitted.json()['id']}/"))
    assert job["status"] == "completed", job

    video = api.get(running_stack.url(f"/api/videos/{video['id']}/"), timeout=10).json()
    assert video["status"] == "downloaded"
    path = running_stack.library_root / video["file_path"]
    assert path.is_file() and path.stat().st_size > 0
    assert path.parent.name == "Björk"
    # The media file, its sidecars and the artist's NFO, and nothing half written.
    stem = path.stem
    assert sorted(
        p.relative_to(path.parent).as_posix()
        for p in running_stack.library_root.rglob("*")
        if p.is_file()
    ) == sorted([path.name, f"{stem}.nfo", f"{stem}-thumb.jpg", "artist.nfo"])

"""The general settings take effect on the next download without a restart, proven with a
real worker, Redis, yt-dlp and the holding media server: a limit changed through the API
caps the connections the server sees; an uploaded cookies file reaches yt-dlp."""

from __future__ import annotations

import stat

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from jobs.services import download_submit
from tests.jobs.conftest import wait_for_job
from videos.models import Video


@pytest.fixture
def staff_api(boss) -> APIClient:
    client = APIClient()
    client.force_authenticate(boss)
    return client


@pytest.fixture(autouse=True)
def limits_from_the_store(monkeypatch):
    monkeypatch.delenv("MVIDARR_PER_HOST_LIMIT", raising=False)
    monkeypatch.delenv("MVIDARR_DOWNLOADS_PER_WORKER", raising=False)


def videos_at(media_server, paths: list[str], *, host: str, tag: str) -> list[Video]:
    """Videos on the media server under ``host`` (127.0.0.1: "localhost" is the per-host
    test's own, tests/jobs/test_concurrency.py, whose counter lasts the session)."""
    return [
        Video.objects.create(
            source_url=media_server.url(path, host=host), title=f"{tag} {i}", source_id=f"{tag}{i}"
        )
        for i, path in enumerate(paths)
    ]


def download_all(videos: list[Video], user) -> None:
    jobs = [download_submit(video=video, user=user)[0] for video in videos]
    for job in jobs:
        assert wait_for_job(job, timeout=120).status == "completed", job.error


def test_per_site_downloads_changed_from_4_to_1_apply_to_the_next_downloads(
    worker, staff_api, boss, media_server
):
    set_to_4 = staff_api.patch("/api/settings/", {"downloads.per_site": 4}, format="json")
    assert set_to_4.status_code == 200
    # Each response is held until four are open: these finish only if four ran at once.
    four = videos_at(
        media_server,
        [f"hold/4/site-four/clips/240p.mp4?n={i}" for i in range(4)],
        host="127.0.0.1",
        tag="four",
    )
    download_all(four, boss)
    assert media_server.max_concurrent("site-four") == 4

    set_to_1 = staff_api.patch("/api/settings/", {"downloads.per_site": 1}, format="json")
    assert set_to_1.status_code == 200
    one = videos_at(
        media_server,
        [f"embed/hold/1/site-one/slow/400000/clips/360p.mp4?n={i}" for i in range(3)],
        host="127.0.0.1",
        tag="one",
    )
    download_all(one, boss)
    # The worker has 16 threads and nothing else limits it: the setting kept it to one.
    assert media_server.max_concurrent("site-one") == 1


def test_downloads_at_once_per_worker_apply_to_the_next_downloads(
    worker, staff_api, boss, media_server
):
    # The per-site limit is raised, so it is not what holds them back.
    response = staff_api.patch(
        "/api/settings/", {"downloads.per_site": 10, "downloads.per_worker": 1}, format="json"
    )
    assert response.status_code == 200
    videos = videos_at(
        media_server,
        [f"embed/hold/1/per-worker/slow/400000/clips/360p.mp4?n={i}" for i in range(3)],
        host="127.0.0.1",
        tag="w",
    )
    download_all(videos, boss)
    # 16 threads, and the setting kept this worker to one download at a time.
    assert media_server.max_concurrent("per-worker") == 1


def test_an_uploaded_cookies_file_reaches_yt_dlp_from_a_private_file(
    worker, staff_api, boss, media_server, settings, caplog
):
    cookies = (
        "# Netscape HTTP Cookie File\n"
        "127.0.0.1\tFALSE\t/\tFALSE\t2147483647\tSID\tsigned-in-session\n"
    )
    upload = SimpleUploadedFile("cookies.txt", cookies.encode(), "text/plain")
    assert (
        staff_api.put("/api/settings/cookies", {"file": upload}, format="multipart").status_code
        == 200
    )
    [video] = videos_at(media_server, ["clips/240p.mp4?cookies=1"], host="127.0.0.1", tag="c")

    download_all([video], boss)

    sent = [cookie for path, cookie in media_server.cookie_log if "cookies=1" in path]
    assert sent and all("SID=signed-in-session" in cookie for cookie in sent)
    [written] = (settings.VAR_DIR / "private").glob("cookies-*.txt")
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert stat.S_IMODE(written.parent.stat().st_mode) == 0o700
    assert not written.is_relative_to(settings.LIBRARY_ROOT)
    assert "signed-in-session" not in caplog.text  # never in the logs

    assert staff_api.delete("/api/settings/cookies").status_code == 200
    [again] = videos_at(media_server, ["clips/240p.mp4?cookies=2"], host="127.0.0.1", tag="d")
    download_all([again], boss)
    assert all(not cookie for path, cookie in media_server.cookie_log if "cookies=2" in path)
    assert not list((settings.VAR_DIR / "private").glob("cookies-*.txt"))

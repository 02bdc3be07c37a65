"""The API with a real worker: what a script does with it ends with files in the library."""

from __future__ import annotations

from tests.support import wait_until
from videos.models import Video


def wait_for_api_job(client, job_id: int, *, statuses=("completed", "failed", "cancelled")):
    """Poll GET /api/jobs/<id>/ until the job reaches one of ``statuses``; return it."""
    seen: dict = {}

    def done() -> bool:
        seen.update(client.get(f"/api/jobs/{job_id}/").json())
        return seen["status"] in statuses

    wait_until(done, timeout=60, interval=0.1, message=f"job {job_id} never finished: {seen}")
    return seen


def test_a_video_added_and_downloaded_at_once_is_probed_and_lands_in_the_library(
    worker, api, media_server, library_root
):
    url = media_server.url("clips/360p.mp4")
    added = api.post("/api/videos/", {"url": url, "artist": "Björk"}, format="json").json()
    # No waiting for the probe: a script may ask for the download straight away.
    submitted = api.post(f"/api/videos/{added['id']}/download", {"quality": "360p"}, "json")
    assert submitted.status_code == 202

    assert wait_for_api_job(api, added["probe_job"]["id"])["status"] == "completed"
    job = wait_for_api_job(api, submitted.json()["id"])
    assert job["status"] == "completed", job["error"]
    assert job["progress"] == 100

    video = api.get(f"/api/videos/{added['id']}/").json()
    assert video["status"] == "downloaded"
    assert video["artist"] == "Björk"
    assert video["height"] == 360
    assert video["extractor"]  # filled in by the probe
    assert (library_root / video["file_path"]).is_file()


def test_importing_a_feed_adds_one_video_per_entry_and_skips_them_the_second_time(
    worker, api, media_server
):
    feed = media_server.url("feed/3.xml")
    first = api.post("/api/videos/import", {"url": feed}, format="json")
    assert first.status_code == 202
    job = wait_for_api_job(api, first.json()["id"])
    assert job["status"] == "completed", job["error"]
    assert job["message"] == "Added 3 videos"
    titles = sorted(v["title"] for v in api.get("/api/videos/").json()["results"])
    assert titles == ["Entry 1", "Entry 2", "Entry 3"]

    again = wait_for_api_job(
        api, api.post("/api/videos/import", {"url": feed}, "json").json()["id"]
    )
    assert again["message"] == "Added 0 videos, skipped 3 already in the library"
    assert api.get("/api/videos/").json()["count"] == 3


def test_a_running_download_cancelled_through_the_api_can_be_retried_to_completion(
    worker, api, media_server, library_root
):
    video = Video.objects.create(
        source_url=media_server.url("slow/10000/clips/720p.mp4"), title="Slow"
    )
    job_id = api.post(f"/api/videos/{video.pk}/download", {}, format="json").json()["id"]

    def downloading() -> bool:
        return api.get(f"/api/jobs/{job_id}/").json()["status"] == "processing" and any(
            (library_root / ".incoming").rglob("*.*")
        )

    wait_until(downloading, timeout=30, message="the download never started")
    assert api.post(f"/api/jobs/{job_id}/cancel").status_code == 200
    assert wait_for_api_job(api, job_id)["status"] == "cancelled"
    assert api.post(f"/api/jobs/{job_id}/hide").status_code == 200

    # The slow link is replaced by a fast one; a retry runs the same job again.
    Video.objects.filter(pk=video.pk).update(source_url=media_server.url("clips/240p.mp4"))
    retried = api.post(f"/api/jobs/{job_id}/retry")
    assert retried.status_code == 202
    assert retried.json()["status"] == "queued"
    assert wait_for_api_job(api, job_id)["status"] == "completed"
    assert api.get(f"/api/videos/{video.pk}/").json()["status"] == "downloaded"

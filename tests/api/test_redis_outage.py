"""The web while Redis is down: reads and logins from the database, a 503 with a sentence for
what needs the job queue. Redis is the test's own (``own_redis``), stopped by the test."""

from __future__ import annotations

import pytest
from django.test import Client

from jobs import live
from jobs.models import Job
from tests.support import password_of
from videos.models import Video

Status = Job.Status


@pytest.fixture
def fresh_throttles():
    """The test's own Redis starts empty, and may be stopped when the test ends."""
    yield


@pytest.fixture
def running_job(alice, video):
    """A download half way, with live figures in Redis (speed and eta)."""
    job = Job.objects.create(
        kind=Job.Kind.VIDEO_DOWNLOAD,
        video=video,
        user=alice,
        status=Status.PROCESSING,
        progress=42.0,
        message="Downloading 42 %",
    )
    live.write_live(job.pk, {"progress": 43.0, "speed": 125_000.0, "eta": 7})
    return job


@pytest.fixture
def video(db):
    return Video.objects.create(source_url="https://example.com/v/1", title="Held")


@pytest.fixture
def other_video(db):
    return Video.objects.create(source_url="https://example.com/v/3", title="Wanted")


def test_reading_a_job_while_redis_is_down_serves_the_row_without_speed_or_eta(
    own_redis, api, running_job
):
    assert api.get(f"/api/jobs/{running_job.pk}/").json()["speed"] == 125_000.0

    own_redis.stop()
    response = api.get(f"/api/jobs/{running_job.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["progress"], body["speed"], body["eta"]) == (
        "processing",
        42.0,
        None,
        None,
    )
    assert api.get("/api/jobs/").status_code == 200
    assert api.get("/api/videos/").status_code == 200


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/videos/{other}/download", {"quality": "best"}),
        ("/api/videos/bulk/download", {"video_ids": ["{other}"]}),
        ("/api/videos/", {"url": "https://example.com/v/2"}),
        ("/api/jobs/{job}/cancel", {}),
    ],
)
def test_what_needs_the_job_queue_answers_503_with_a_sentence_while_redis_is_down(
    own_redis, api, other_video, running_job, path, body
):
    own_redis.stop()
    ids = {"other": other_video.pk, "job": running_job.pk}
    if "video_ids" in body:
        body = {"video_ids": [other_video.pk]}
    response = api.post(path.format(**ids), body, format="json")
    assert response.status_code == 503, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith("The job queue (Redis) is not reachable")
    assert int(response["Retry-After"]) > 0
    # Nothing was written that could not be acted on.
    assert Job.objects.count() == 1
    assert Video.objects.count() == 2
    running_job.refresh_from_db()
    assert not running_job.cancel_requested


def test_logins_and_pages_work_while_redis_is_down(own_redis, alice, running_job, client_for):
    own_redis.stop()
    credentials = {"username": "alice", "password": password_of("alice")}
    token = client_for().post("/api/auth/token/", credentials, format="json")
    assert token.status_code == 200  # the login throttle fails open

    browser = Client()
    login = browser.post("/accounts/login/", credentials)
    assert login.status_code == 302, login.content[:500]
    for page in ("/", "/jobs/", f"/videos/{running_job.video_id}/"):
        assert browser.get(page).status_code == 200, page


def test_a_download_asked_for_on_its_page_while_redis_is_down_says_why_it_did_not_start(
    own_redis, alice, other_video
):
    browser = Client()
    browser.force_login(alice)
    own_redis.stop()
    page = browser.post(f"/videos/{other_video.pk}/download/", {"quality": "best"}, follow=True)
    assert page.status_code == 200
    assert "The job queue (Redis) is not reachable" in page.content.decode()
    assert not Job.objects.exists()


def test_a_video_added_on_its_page_while_redis_is_down_is_not_added_and_says_why(own_redis, alice):
    browser = Client()
    browser.force_login(alice)
    own_redis.stop()
    page = browser.post("/videos/add/", {"url": "https://example.com/v/9"})
    assert page.status_code == 503
    assert "The job queue (Redis) is not reachable" in page.content.decode()
    assert 'value="https://example.com/v/9"' in page.content.decode()
    assert not Video.objects.exists()

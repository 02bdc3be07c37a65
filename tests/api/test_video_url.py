"""PATCH /api/videos/<id>/ with `url`: correcting a video's link looks the video up again."""

from __future__ import annotations

import pytest

from jobs.models import Job
from tests.api.test_with_worker import wait_for_api_job
from videos.models import Video


@pytest.fixture
def added(api) -> Video:
    """A video Alice added through the API (so its first probe is hers)."""
    response = api.post("/api/videos/", {"url": "https://example.com/watch?v=typo"}, format="json")
    assert response.status_code == 201
    return Video.objects.get(pk=response.json()["id"])


def _probes(video: Video) -> list[Job]:
    return list(Job.objects.filter(video=video, kind="metadata_probe").order_by("id"))


def test_an_anonymous_request_to_change_a_link_is_a_401(client_for, added):
    response = client_for().patch(
        f"/api/videos/{added.pk}/", {"url": "https://example.com/watch?v=right"}, format="json"
    )
    assert response.status_code == 401


def test_only_staff_or_whoever_added_the_video_may_change_its_link(client_for, bob, boss, added):
    url = f"/api/videos/{added.pk}/"
    response = client_for(bob).patch(url, {"url": "https://example.com/bob"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Only staff, or whoever added this video, can change its link."
    )
    added.refresh_from_db()
    assert added.source_url == "https://example.com/watch?v=typo"
    assert len(_probes(added)) == 1

    response = client_for(boss).patch(url, {"url": "https://example.com/boss"}, format="json")
    assert response.status_code == 200


@pytest.mark.parametrize("bad", ["ftp://example.com/v.mp4", "not a link", "", "javascript:x"])
def test_a_link_that_is_not_http_is_a_400_naming_url(api, added, bad):
    response = api.patch(f"/api/videos/{added.pk}/", {"url": bad}, format="json")
    assert response.status_code == 400
    assert "url" in response.json()
    assert len(_probes(added)) == 1


def test_a_link_another_video_has_is_a_409(api, added):
    other = Video.objects.create(source_url="https://example.com/other", title="Other")
    response = api.patch(f"/api/videos/{added.pk}/", {"url": other.source_url}, format="json")
    assert response.status_code == 409
    assert f"video #{other.pk}" in response.json()["detail"]


def test_changing_the_link_queues_a_probe_and_clears_what_the_old_link_gave(api, alice, added):
    Video.objects.filter(pk=added.pk).update(extractor="generic", source_id="old-id")

    response = api.patch(
        f"/api/videos/{added.pk}/", {"url": "https://example.com/watch?v=right"}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["source_url"] == "https://example.com/watch?v=right"
    assert (body["extractor"], body["source_id"]) == ("", "")
    first, second = _probes(added)
    assert first.status == "cancelled"  # it would have looked up the old link
    assert (second.status, second.user) == ("queued", alice)
    assert body["probe_job"]["id"] == second.pk
    assert body["probe_job"]["status"] == "queued"


def test_a_patch_without_url_starts_no_probe(api, added):
    response = api.patch(f"/api/videos/{added.pk}/", {"title": "Army of Me"}, format="json")
    assert response.status_code == 200
    assert response.json()["probe_job"] is None
    assert len(_probes(added)) == 1


def test_a_corrected_link_is_looked_up_by_a_worker(client_for, alice, worker, media_server):
    api = client_for(alice)
    created = api.post("/api/videos/", {"url": media_server.url("404/typo.mp4")}, format="json")
    video_id = created.json()["id"]
    failed = wait_for_api_job(api, created.json()["probe_job"]["id"])
    assert failed["status"] == "failed"

    response = api.patch(
        f"/api/videos/{video_id}/", {"url": media_server.url("clips/360p.mp4")}, format="json"
    )

    assert wait_for_api_job(api, response.json()["probe_job"]["id"])["status"] == "completed"
    video = Video.objects.get(pk=video_id)
    assert (video.title, video.extractor) == ("360p", "generic")

"""Adding a video by artist and title, and its source: look for it, read the candidates,
choose one (/api/videos/, …/resolve, …/candidates, …/source)."""

from __future__ import annotations

import pytest

from jobs.models import Job
from videos.models import Video

CANDIDATES = [
    {
        "url": "https://v.test/official",
        "title": "Björk - Army of Me (Official Music Video)",
        "channel": "björk",
        "duration": 234.0,
        "score": 1.0,
        "reasons": ["The title matches “Army of Me”."],
    }
]


@pytest.fixture
def added(api) -> Video:
    """Army of Me, added by Alice by artist and title; its search done, candidates kept."""
    response = api.post("/api/videos/", {"artist": "Björk", "title": "Army of Me"}, "json")
    assert response.status_code == 201
    video = Video.objects.get(pk=response.json()["id"])
    Job.objects.filter(video=video).update(status="completed")
    Video.objects.filter(pk=video.pk).update(source_candidates=CANDIDATES)
    video.refresh_from_db()
    return video


def test_any_user_adds_a_video_by_artist_and_title_and_its_source_is_looked_for(api, alice):
    response = api.post("/api/videos/", {"artist": "Björk", "title": "Army of Me"}, "json")
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["source_url"], body["added_without_url"]) == (
        "needs_source",
        "",
        True,
    )
    assert (body["artist"], body["title"], body["probe_job"]) == ("Björk", "Army of Me", None)
    job = body["resolve_job"]
    assert (job["kind"], job["status"], job["video"]["id"]) == (
        "source_resolve",
        "queued",
        body["id"],
    )
    assert Job.objects.get(pk=job["id"]).user == alice


def test_the_same_artist_and_title_again_is_a_409_naming_the_video(api, added):
    response = api.post("/api/videos/", {"artist": "björk", "title": "ARMY OF ME"}, "json")
    assert response.status_code == 409
    assert response.json()["video"] == added.pk
    assert f"video #{added.pk}" in response.json()["detail"]
    assert Video.objects.count() == 1


def test_the_same_artist_and_title_in_capitals_beyond_ascii_is_a_409_too(api, added):
    """SQLite's LOWER() folds ASCII only: the rule is the stored key (videos.name_keys)."""
    response = api.post("/api/videos/", {"artist": "BJÖRK", "title": "ARMY OF ME"}, "json")
    assert response.status_code == 409
    assert response.json()["video"] == added.pk
    assert Video.objects.count() == 1


def test_adding_by_url_keeps_its_own_rule_so_a_live_version_may_share_the_title(api, added):
    body = {"url": "https://v.test/live", "artist": "Björk", "title": "Army of Me"}
    response = api.post("/api/videos/", body, "json")
    assert response.status_code == 201
    assert response.json()["resolve_job"] is None
    assert response.json()["probe_job"]["kind"] == "metadata_probe"


def test_every_endpoint_needs_a_login(client_for, added):
    anonymous = client_for()
    base = f"/api/videos/{added.pk}"
    assert anonymous.post("/api/videos/", {"artist": "A", "title": "B"}, "json").status_code == 401
    assert anonymous.post(f"{base}/resolve").status_code == 401
    assert anonymous.get(f"{base}/candidates").status_code == 401
    assert anonymous.post(f"{base}/source", {"url": "https://v.test/a"}, "json").status_code == 401


def test_only_staff_and_whoever_added_it_look_for_or_choose_its_source(client_for, bob, added):
    base = f"/api/videos/{added.pk}"
    for response in (
        client_for(bob).post(f"{base}/resolve"),
        client_for(bob).post(f"{base}/source", {"url": "https://v.test/a"}, "json"),
    ):
        assert response.status_code == 403
        assert "whoever added this video" in response.json()["detail"]
    assert Job.objects.filter(video=added).count() == 1
    assert client_for(bob).get(f"{base}/candidates").status_code == 200


def test_looking_again_is_a_202_and_a_second_search_at_once_a_409_naming_it(
    client_for, api, boss, added
):
    first = api.post(f"/api/videos/{added.pk}/resolve")
    assert first.status_code == 202
    assert first.json()["kind"] == "source_resolve"
    second = client_for(boss).post(f"/api/videos/{added.pk}/resolve/")
    assert second.status_code == 409
    assert second.json()["job"] == first.json()["id"]


def test_a_video_without_a_title_is_a_400_and_an_unknown_one_a_404(api, added):
    Video.objects.filter(pk=added.pk).update(title="")
    response = api.post(f"/api/videos/{added.pk}/resolve")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "This video has no title to look for; give it a title first."
    }
    assert api.post("/api/videos/999999/resolve").status_code == 404
    assert api.get("/api/videos/999999/candidates").status_code == 404
    assert (
        api.post("/api/videos/999999/source", {"url": "https://v.test/a"}, "json").status_code
        == 404
    )


def test_the_candidates_are_read_without_searching_again(api, added, make_video):
    assert api.get(f"/api/videos/{added.pk}/candidates").json() == CANDIDATES
    other = make_video("Jóga")
    assert api.get(f"/api/videos/{other.pk}/candidates").json() == []
    assert Job.objects.filter(video=added, status="queued").count() == 0


def test_choosing_a_candidate_downloads_it(api, alice, added):
    response = api.post(f"/api/videos/{added.pk}/source", {"url": CANDIDATES[0]["url"]}, "json")
    assert response.status_code == 202
    job = response.json()
    assert (job["kind"], job["status"]) == ("video_download", "queued")
    added.refresh_from_db()
    assert (added.source_url, added.status, added.duration) == (
        "https://v.test/official",
        "queued",
        234.0,
    )


@pytest.mark.parametrize(
    "body", [{}, {"url": "javascript:alert(1)"}, {"url": "ftp://v.test/a"}, {"url": ["x"]}]
)
def test_a_chosen_source_that_is_not_a_web_address_is_a_400(api, added, body):
    response = api.post(f"/api/videos/{added.pk}/source", body, "json")
    assert response.status_code == 400
    assert "url" in response.json()
    added.refresh_from_db()
    assert added.source_url == ""


def test_a_source_another_video_has_is_a_409_and_so_is_a_downloaded_video(
    api, client_for, boss, added, make_video
):
    other = make_video("Other", source_url="https://v.test/taken")
    response = api.post(f"/api/videos/{added.pk}/source", {"url": "https://v.test/taken"}, "json")
    assert response.status_code == 409
    assert response.json()["video"] == other.pk
    done = make_video("Done", status="downloaded", file_path="Done.mp4")
    refused = client_for(boss).post(f"/api/videos/{done.pk}/resolve")
    assert refused.status_code == 409
    assert refused.json()["detail"] == "This video is already downloaded; it needs no other source."

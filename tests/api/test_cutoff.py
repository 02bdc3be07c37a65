"""/api/wanted/cutoff/: downloaded videos below their profile's cutoff, for everyone signed
in, and checking them for an upgrade now (staff)."""

from __future__ import annotations

import pytest

from jobs import kinds
from jobs.models import Job
from tests.api.test_schema import assert_matches
from videos.models import QualityProfile, Video


@pytest.fixture
def staff(client_for, boss):
    return client_for(boss)


@pytest.fixture
def below(make_video, make_artist):
    hd = QualityProfile.objects.create(
        name="HD", qualities=["1080p", "720p", "360p"], cutoff="720p", upgrade_allowed=True
    )
    bjork = make_artist("Björk", quality_profile=hd)
    return {
        "low": make_video(
            "Army of Me", artist=bjork, status="downloaded", file_path="B/a.mp4", height=360
        ),
        "fine": make_video(
            "Joga", artist=bjork, status="downloaded", file_path="B/j.mp4", height=720
        ),
        "wanted": make_video("Hyperballad", artist=bjork),
        "hd": hd,
        "bjork": bjork,
    }


def _schema(client) -> dict:
    return client.get("/api/schema/?format=json").json()


def test_every_signed_in_user_reads_the_files_below_their_cutoff(api, below):
    response = api.get("/api/wanted/cutoff/")

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert {key: row[key] for key in ("id", "title", "quality", "height", "cutoff")} == {
        "id": below["low"].pk,
        "title": "Army of Me",
        "quality": "360p",
        "height": 360,
        "cutoff": "720p",
    }
    assert row["profile"] == {"id": below["hd"].pk, "name": "HD"}
    assert row["upgrade_checked_at"] is None
    assert row["last_check"] is None
    assert_matches(_schema(api), "/api/wanted/cutoff/", "get", response)


def test_each_video_says_what_its_last_upgrade_check_found(api, below, make_job, boss):
    make_job(boss, "failed", kind=kinds.UPGRADE_CHECK, video=below["low"], error="Too old.")
    newest = make_job(
        None,
        "completed",
        kind=kinds.UPGRADE_CHECK,
        video=below["low"],
        origin="schedule",
        message="No better source: 360p is the best on offer.",
    )

    response = api.get("/api/wanted/cutoff/")

    [row] = response.json()["results"]
    assert row["last_check"] == {
        "job": newest.pk,
        "status": "completed",
        "outcome": "No better source: 360p is the best on offer.",
    }
    assert_matches(_schema(api), "/api/wanted/cutoff/", "get", response)


def test_a_failed_last_check_says_why(api, below, make_job, boss):
    make_job(boss, "failed", kind=kinds.UPGRADE_CHECK, video=below["low"], error="Gone (404).")
    [row] = api.get("/api/wanted/cutoff/").json()["results"]
    assert row["last_check"]["outcome"] == "The last check failed: Gone (404)."


def test_the_list_is_filtered_by_artist_and_a_bad_filter_is_a_400(api, below, make_artist):
    other = make_artist("Portishead")
    assert api.get("/api/wanted/cutoff/", {"artist": other.pk}).json()["results"] == []
    assert api.get("/api/wanted/cutoff/", {"artist": below["bjork"].pk}).json()["count"] == 1
    response = api.get("/api/wanted/cutoff/", {"artist": "Björk"})
    assert response.status_code == 400
    assert list(response.json()) == ["artist"]


def test_staff_check_the_due_videos_now(staff, below, boss):
    response = staff.post("/api/wanted/cutoff/check", {}, "json")

    assert response.status_code == 202, response.content
    body = response.json()
    assert (body["claimed"], body["started"], body["still_running"]) == (1, 1, 0)
    [job] = body["jobs"]
    assert (job["kind"], job["status"], job["video"]["id"]) == (
        "upgrade_check",
        "queued",
        below["low"].pk,
    )
    assert Job.objects.get(pk=job["id"]).user == boss
    assert_matches(_schema(staff), "/api/wanted/cutoff/check", "post", response)

    again = staff.post("/api/wanted/cutoff/check", {}, "json")
    assert again.status_code == 409  # checked a moment ago: nothing is due
    assert "at most once in 7 days" in again.json()["detail"]
    assert_matches(_schema(staff), "/api/wanted/cutoff/check", "post", again)


def test_staff_check_one_video_now_and_not_one_that_meets_its_cutoff(staff, below):
    response = staff.post("/api/wanted/cutoff/check", {"video": below["low"].pk}, "json")
    assert response.status_code == 202
    assert [job["video"]["id"] for job in response.json()["jobs"]] == [below["low"].pk]

    busy = staff.post("/api/wanted/cutoff/check", {"video": below["low"].pk}, "json")
    assert busy.status_code == 409
    fine = staff.post("/api/wanted/cutoff/check", {"video": below["fine"].pk}, "json")
    assert fine.status_code == 409
    assert "not below its profile's cutoff" in fine.json()["detail"]
    assert Job.objects.filter(kind=kinds.UPGRADE_CHECK).count() == 1


@pytest.mark.parametrize("body", [{"video": "one"}, {"video": 0}, {"video": 999_999}])
def test_a_bad_video_is_a_400_that_starts_nothing(staff, below, body):
    response = staff.post("/api/wanted/cutoff/check", body, "json")
    assert response.status_code == 400
    assert list(response.json()) == ["video"]
    assert not Job.objects.exists()


def test_anonymous_requests_are_401_and_only_staff_check(client_for, api, below):
    anonymous = client_for()
    assert anonymous.get("/api/wanted/cutoff/").status_code == 401
    assert anonymous.post("/api/wanted/cutoff/check", {}, "json").status_code == 401

    refused = api.post("/api/wanted/cutoff/check", {"video": below["low"].pk}, "json")

    assert refused.status_code == 403
    assert "staff" in refused.json()["detail"]
    assert not Job.objects.exists()
    assert Video.objects.get(pk=below["low"].pk).upgrade_checked_at is None

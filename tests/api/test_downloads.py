"""POST /api/videos/<id>/download and /api/videos/bulk/download: submit, never wait."""

from __future__ import annotations

import pytest
from rest_framework.throttling import ScopedRateThrottle

from jobs.models import Job
from videos.models import QualityProfile, Video, VideoFile
from videos.ytdlp.formats import profile_selector

JOB_FIELDS = {
    "id", "kind", "origin", "status", "progress", "message", "error", "attempts", "options",
    "video", "parent", "speed", "eta", "seq", "created_at", "started_at", "finished_at", "hidden",
    "counts", "items", "title", "link",
}  # fmt: skip


def download(client, video, **body):
    return client.post(f"/api/videos/{video.pk}/download", body, format="json")


def test_a_download_answers_202_with_the_queued_job(api, alice, video):
    response = download(api, video, quality="720p")
    assert response.status_code == 202
    job = response.json()
    assert set(job) == JOB_FIELDS
    assert job["kind"] == "video_download"
    assert job["status"] == "queued"
    assert job["options"] == {"quality": "720p", "force": False}
    assert job["video"] == {
        "id": video.pk,
        "title": "Army of Me",
        "status": "queued",
        "artist": None,
        "artwork": None,
    }
    assert Job.objects.get(pk=job["id"]).user == alice


def test_an_omitted_quality_follows_the_default_profile_and_the_job_keeps_its_plan(
    api, video, default_profile
):
    default = default_profile

    options = download(api, video).json()["options"]

    assert options == {
        "quality": None,
        "profile": default.pk,
        "profile_name": "Any",
        "format": profile_selector(default.qualities),
        "container": "any",
        "audio_only": False,
        "allowed": ["2160p", "1440p", "1080p", "720p", "480p", "360p"],
        "force": False,
    }


def test_a_null_quality_follows_the_artists_profile(api, video, make_artist):
    profile = QualityProfile.objects.create(name="Small", qualities=["360p"])
    video.artist = make_artist("Björk", quality_profile=profile)
    video.save()

    options = download(api, video, quality=None).json()["options"]

    assert (options["quality"], options["profile"], options["allowed"]) == (
        None,
        profile.pk,
        ["360p"],
    )


def test_the_download_path_works_with_a_trailing_slash_too(api, video):
    response = api.post(f"/api/videos/{video.pk}/download/", {}, format="json")
    assert response.status_code == 202


def test_submitting_the_same_video_again_answers_200_with_the_same_job(api, video):
    first = download(api, video)
    second = download(api, video)
    assert (first.status_code, second.status_code) == (202, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Job.objects.count() == 1


def test_another_users_active_download_of_the_video_is_a_409_with_a_sentence(
    client_for, alice, bob, video
):
    assert download(client_for(alice), video).status_code == 202
    response = download(client_for(bob), video)
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Another user is already downloading")


def test_a_downloaded_video_is_a_409_unless_a_redownload_is_forced(api, video):
    Video.objects.filter(pk=video.pk).update(status="downloaded")
    VideoFile.objects.create(video=video, path="a.mp4")
    refused = download(api, video)
    assert refused.status_code == 409
    assert "already downloaded" in refused.json()["detail"]
    forced = download(api, video, force_redownload=True)
    assert forced.status_code == 202
    assert forced.json()["options"]["force"] is True


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"quality": "8k"}, "quality", "Unknown quality “8k”; choose one of best, 2160p"),
        ({"quality": "1080"}, "quality", "Unknown quality “1080”"),
        ({"force_redownload": "maybe"}, "force_redownload", "valid boolean"),
    ],
)
def test_a_bad_download_option_is_a_400_that_says_what_to_send(api, video, body, field, words):
    response = download(api, video, **body)
    assert response.status_code == 400
    assert words in response.json()[field][0]
    assert not Job.objects.exists()


def test_downloading_an_unknown_video_is_a_404(api, db):
    response = api.post("/api/videos/4242/download", {}, format="json")
    assert response.status_code == 404
    assert response.json()["detail"] == "There is no video #4242."


def make_videos(count: int, **fields) -> list[Video]:
    return [
        Video.objects.create(source_url=f"https://example.com/{n}", title=f"Clip {n}", **fields)
        for n in range(count)
    ]


def test_a_bulk_download_answers_202_with_one_job_whose_items_are_the_downloads(api, db):
    videos = make_videos(3)
    response = api.post(
        "/api/videos/bulk/download",
        {"video_ids": [v.pk for v in videos], "quality": "480p"},
        format="json",
    )
    assert response.status_code == 202
    bulk = response.json()
    assert bulk["kind"] == "bulk_video_download"
    assert bulk["message"] == "3 videos to download"
    assert sorted(item["video"]["id"] for item in bulk["items"]) == [v.pk for v in videos]
    assert {item["parent"] for item in bulk["items"]} == {bulk["id"]}
    assert all(set(item) == JOB_FIELDS for item in bulk["items"])
    assert {item["options"]["quality"] for item in bulk["items"]} == {"480p"}


def test_a_bulk_download_skips_videos_already_downloaded_and_counts_duplicate_ids_once(api, db):
    wanted, done = make_videos(1)[0], make_videos(1, status="downloaded")[0]
    response = api.post(
        "/api/videos/bulk/download",
        {"video_ids": [wanted.pk, wanted.pk, done.pk]},
        format="json",
    )
    assert response.status_code == 202
    assert [item["video"]["id"] for item in response.json()["items"]] == [wanted.pk]
    assert "1 skipped" in response.json()["message"]


def test_a_bulk_download_with_unknown_ids_is_a_400_naming_them(api, db):
    video = make_videos(1)[0]
    response = api.post(
        "/api/videos/bulk/download", {"video_ids": [video.pk, 9001, 9002]}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"video_ids": ["There are no videos with these ids: 9001, 9002."]}
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    "video_ids",
    [[], "1,2", 7, None, [0], [-1], ["one"], [1.5], [True], [2**64], [[1]], list(range(1, 10_002))],
)
def test_bulk_video_ids_that_are_not_a_list_of_positive_integers_are_a_400(api, db, video_ids):
    response = api.post("/api/videos/bulk/download", {"video_ids": video_ids}, format="json")
    assert response.status_code == 400
    assert "video_ids" in response.json()


def test_the_bulk_path_works_with_a_trailing_slash_too(api, db):
    video = make_videos(1)[0]
    response = api.post("/api/videos/bulk/download/", {"video_ids": [video.pk]}, format="json")
    assert response.status_code == 202


def test_submits_are_throttled_per_user_with_retry_after(client_for, alice, bob, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"submit": "2/min"})
    videos = make_videos(4)
    alice_client = client_for(alice)
    assert download(alice_client, videos[0]).status_code == 202
    assert download(alice_client, videos[1]).status_code == 202
    throttled = download(alice_client, videos[2])
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    assert "throttled" in throttled.json()["detail"].lower()
    # Reading is not a submit, and Bob has his own allowance.
    assert alice_client.get("/api/videos/").status_code == 200
    assert download(client_for(bob), videos[3]).status_code == 202


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/videos/", {"url": "https://example.com/new"}),
        ("/api/videos/import", {"url": "https://example.com/feed"}),
        ("/api/videos/bulk/download", {"video_ids": [1]}),
    ],
)
def test_every_submit_endpoint_is_throttled(api, db, monkeypatch, path, body):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"submit": "1/min"})
    make_videos(1)
    body = {"video_ids": [Video.objects.get().pk]} if "video_ids" in body else body
    assert api.post(path, body, format="json").status_code in (201, 202)
    assert api.post(path, body, format="json").status_code == 429

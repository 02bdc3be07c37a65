"""/api/wanted/: the videos not downloaded yet, for everyone signed in, and downloading them
all at once (staff): one bulk job."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobs.models import Job
from tests.api.test_schema import assert_matches
from videos.models import IgnoredEntry, QualityProfile, Video


@pytest.fixture
def staff(client_for, boss):
    return client_for(boss)


@pytest.fixture
def library(make_video, make_artist, make_job):
    """Videos in every state: what the wanted list shows and what it leaves out."""
    bjork = make_artist("Björk")
    portishead = make_artist("Portishead")
    ignored = make_video("Ignored", artist=bjork, status=Video.Status.IGNORED)
    IgnoredEntry.objects.create(video=ignored, url=ignored.source_url)
    videos = {
        "wanted": make_video("Army of Me", artist=bjork),
        "failed": make_video("Hyperballad", artist=bjork, status=Video.Status.FAILED),
        "other": make_video("Roads", artist=portishead),
        "downloaded": make_video(
            "Joga", artist=bjork, status=Video.Status.DOWNLOADED, file_path="Björk/Joga.mp4"
        ),
        # A forced re-download of a file it has: downloaded, not wanted.
        "redownloading": make_video(
            "Bachelorette", artist=bjork, status=Video.Status.DOWNLOADING, file_path="B/b.mp4"
        ),
        "ignored": ignored,
    }
    videos["queued"] = make_video("Isobel", artist=bjork, status=Video.Status.QUEUED)
    make_job(None, Job.Status.QUEUED, video=videos["queued"])
    return {"bjork": bjork, "portishead": portishead, **videos}


def _titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [video["title"] for video in response.json()["results"]]


def test_every_signed_in_user_reads_what_is_not_downloaded_nor_ignored(api, library):
    response = api.get("/api/wanted/")

    assert _titles(response) == ["Army of Me", "Hyperballad", "Roads", "Isobel"]
    assert response.json()["count"] == 4
    first = response.json()["results"][0]
    assert (first["id"], first["status"], first["artist"]) == (
        library["wanted"].pk,
        "wanted",
        "Björk",
    )
    assert_matches(api.get("/api/schema/?format=json").json(), "/api/wanted/", "get", response)


def test_the_wanted_list_is_filtered_by_artist_and_status(api, library):
    bjork = library["bjork"].pk
    assert _titles(api.get("/api/wanted/", {"artist": bjork})) == [
        "Army of Me",
        "Hyperballad",
        "Isobel",
    ]
    assert _titles(api.get("/api/wanted/", {"status": "failed"})) == ["Hyperballad"]
    assert _titles(api.get("/api/wanted/", {"status": "wanted", "artist": bjork})) == ["Army of Me"]


def test_the_wanted_list_reads_in_a_fixed_number_of_queries(api, make_video, make_artist):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/wanted/").status_code == 200
        return len(queries)

    make_video("One", artist=make_artist("A"))
    few = count()
    for number in range(20):
        make_video(f"Video {number}", artist=make_artist(f"Artist {number}"))
    assert count() == few


@pytest.mark.parametrize(
    "query", [{"status": "downloaded"}, {"status": "nope"}, {"artist": "x"}, {"artist": 0}]
)
def test_a_bad_filter_is_a_400(api, query):
    response = api.get("/api/wanted/", query)
    assert response.status_code == 400
    assert list(response.json()) == list(query)


def test_staff_download_every_matching_wanted_video_as_one_bulk_job(staff, library, boss):
    response = staff.post("/api/wanted/download", {}, "json")

    assert response.status_code == 202, response.content
    job = response.json()
    assert job["kind"] == "bulk_video_download"
    # The queued one is on its way already; the downloaded and ignored ones are not wanted.
    assert {item["video"]["id"] for item in job["items"]} == {
        library["wanted"].pk,
        library["failed"].pk,
        library["other"].pk,
    }
    assert Job.objects.get(pk=job["id"]).user == boss
    assert Video.objects.get(pk=library["wanted"].pk).status == Video.Status.QUEUED
    assert_matches(
        staff.get("/api/schema/?format=json").json(), "/api/wanted/download", "post", response
    )


def test_the_download_follows_the_filters_and_each_artists_profile(staff, library, default_profile):
    small = QualityProfile.objects.create(name="Small", qualities=["360p"])
    library["bjork"].quality_profile = small
    library["bjork"].save()

    job = staff.post(
        "/api/wanted/download", {"artist": library["bjork"].pk, "status": "wanted"}, "json"
    ).json()

    assert [item["video"]["id"] for item in job["items"]] == [library["wanted"].pk]
    options = job["items"][0]["options"]
    assert (options["profile"], options["allowed"]) == (small.pk, ["360p"])


def test_a_quality_overrides_the_profiles(staff, library):
    job = staff.post("/api/wanted/download", {"quality": "720p"}, "json").json()
    assert {item["options"]["quality"] for item in job["items"]} == {"720p"}


def test_nothing_to_download_is_a_409_that_says_so_and_starts_nothing(staff, library):
    response = staff.post(
        "/api/wanted/download", {"artist": library["portishead"].pk, "status": "failed"}, "json"
    )

    assert response.status_code == 409
    assert response.json()["detail"].startswith(
        "Nothing to download: no wanted video by Portishead is waiting for a download"
    )
    assert not Job.objects.filter(kind=Job.Kind.BULK_VIDEO_DOWNLOAD).exists()
    assert_matches(
        staff.get("/api/schema/?format=json").json(), "/api/wanted/download", "post", response
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"artist": 999_999}, "artist"),
        ({"artist": "Björk"}, "artist"),
        ({"quality": "4k"}, "quality"),
        ({"status": "downloaded"}, "status"),
    ],
)
def test_a_bad_artist_quality_or_status_is_a_400_that_starts_nothing(staff, library, body, field):
    response = staff.post("/api/wanted/download", body, "json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Job.objects.filter(kind=Job.Kind.BULK_VIDEO_DOWNLOAD).exists()


def test_anonymous_requests_are_401_and_only_staff_download(client_for, api, library):
    anonymous = client_for()
    assert anonymous.get("/api/wanted/").status_code == 401
    assert anonymous.post("/api/wanted/download", {}, "json").status_code == 401

    refused = api.post("/api/wanted/download", {}, "json")

    assert refused.status_code == 403
    assert "staff" in refused.json()["detail"]
    assert not Job.objects.filter(kind=Job.Kind.BULK_VIDEO_DOWNLOAD).exists()


def test_downloading_many_wanted_videos_takes_a_fixed_number_of_reads(
    staff, make_video, make_artist, default_profile
):
    def reads(count: int) -> int:
        Job.objects.all().delete()
        Video.objects.all().delete()
        for number in range(count):
            make_video(f"Video {number}", artist=make_artist(f"Artist {number % 7}"))
        with CaptureQueriesContext(connection) as queries:
            response = staff.post("/api/wanted/download", {}, "json")
        assert response.status_code == 202, response.content
        assert len(response.json()["items"]) == count
        return sum(1 for query in queries if query["sql"].lstrip().upper().startswith("SELECT"))

    assert reads(30) == reads(3)


def test_videos_without_a_source_are_listed_and_looked_for_before_the_download(
    staff, library, make_video
):
    nameless = make_video(
        "Pagan Poetry", artist=library["bjork"], source_url="", status=Video.Status.NEEDS_SOURCE
    )
    assert _titles(staff.get("/api/wanted/", {"status": "needs_source"})) == ["Pagan Poetry"]

    response = staff.post("/api/wanted/download", {"artist": library["bjork"].pk}, "json")

    assert response.status_code == 202, response.content
    job = response.json()
    assert {item["video"]["id"] for item in job["items"]} == {
        library["wanted"].pk,
        library["failed"].pk,
    }
    assert job["message"].endswith("; looking for the source of 1")
    [search] = Job.objects.filter(kind="source_resolve")
    assert (search.video_id, search.status) == (nameless.pk, Job.Status.QUEUED)


def test_only_videos_without_a_source_start_their_searches_and_an_empty_bulk_job(
    staff, make_video, make_artist
):
    nameless = make_video(
        "Pagan Poetry", artist=make_artist("Björk"), source_url="", status="needs_source"
    )

    first = staff.post("/api/wanted/download", {}, "json")
    second = staff.post("/api/wanted/download", {}, "json")

    assert first.status_code == 202
    assert (first.json()["items"], first.json()["status"]) == ([], "completed")
    assert first.json()["message"].endswith("; looking for the source of 1")
    assert Job.objects.get(kind="source_resolve").video_id == nameless.pk
    assert second.status_code == 409  # its search still runs: nothing more to do
    assert "being looked for" in second.json()["detail"]

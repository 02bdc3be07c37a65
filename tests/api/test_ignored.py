"""/api/ignored/ and DELETE /api/videos/<id>/?ignore=1: the ignore list through the API."""

from __future__ import annotations

import pytest

from jobs.models import Job
from tests.api.test_schema import assert_matches
from videos.models import IgnoredEntry, Video
from videos.services import artist_get_or_create


@pytest.fixture
def staff_api(client_for, boss):
    return client_for(boss)


@pytest.fixture
def army(db) -> Video:
    return Video.objects.create(
        source_url="https://example.com/watch?v=army",
        title="Army of Me",
        artist=artist_get_or_create(name="Björk"),
        extractor="youtube",
        source_id="army",
    )


@pytest.fixture
def schema(api) -> dict:
    return api.get("/api/schema/?format=json").json()


def test_staff_ignore_a_video_which_stays_as_ignored(staff_api, army, boss, schema):
    response = staff_api.post("/api/ignored/", {"video": army.pk, "reason": "A live cut"}, "json")

    assert response.status_code == 201
    assert_matches(schema, "/api/ignored/", "post", response)
    body = response.json()
    assert (body["video"], body["extractor"], body["source_id"]) == (army.pk, "youtube", "army")
    assert (body["reason"], body["user"], body["title"]) == ("A live cut", "boss", "Army of Me")
    assert body["artist"] == {"id": army.artist_id, "name": "Björk"}
    army.refresh_from_db()
    assert army.status == Video.Status.IGNORED


def test_ignoring_a_video_again_answers_the_same_entry(staff_api, army):
    first = staff_api.post("/api/ignored/", {"video": army.pk}, "json").json()
    again = staff_api.post("/api/ignored/", {"video": army.pk}, "json")
    assert (again.status_code, again.json()["id"]) == (200, first["id"])


def test_staff_ignore_a_url_not_in_the_library(staff_api, db):
    url = "https://example.com/watch?v=never"
    response = staff_api.post("/api/ignored/", {"url": url}, "json")
    assert response.status_code == 201
    assert (response.json()["url"], response.json()["video"]) == (url, None)
    assert IgnoredEntry.objects.get().url == url


def test_ignoring_needs_a_video_or_a_url_that_exists(staff_api, army):
    for body in ({}, {"video": army.pk, "url": army.source_url}, {"url": "javascript:alert(1)"}):
        assert staff_api.post("/api/ignored/", body, "json").status_code == 400, body
    missing = staff_api.post("/api/ignored/", {"video": army.pk + 1000}, "json")
    assert missing.status_code == 400
    assert missing.json() == {"video": [f"There is no video #{army.pk + 1000}."]}
    assert not IgnoredEntry.objects.exists()


def test_ignoring_a_video_being_downloaded_is_a_conflict(staff_api, army, alice):
    Job.objects.create(kind=Job.Kind.VIDEO_DOWNLOAD, video=army, user=alice)
    response = staff_api.post("/api/ignored/", {"video": army.pk}, "json")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "This video is being downloaded; cancel the download, then ignore it."
    }


def test_downloading_an_ignored_video_is_a_conflict_with_a_sentence(staff_api, api, army):
    staff_api.post("/api/ignored/", {"video": army.pk}, "json")
    response = api.post(f"/api/videos/{army.pk}/download", {}, "json")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "This video is on the ignore list; remove it from the list to download it."
    }


def test_everyone_signed_in_reads_the_ignore_list_filtered_by_artist(staff_api, api, army, schema):
    other = Video.objects.create(source_url="https://example.com/o", title="Other")
    staff_api.post("/api/ignored/", {"video": army.pk}, "json")
    staff_api.post("/api/ignored/", {"video": other.pk}, "json")

    everything = api.get("/api/ignored/")
    assert_matches(schema, "/api/ignored/", "get", everything)
    assert everything.json()["count"] == 2
    bjork = api.get("/api/ignored/", {"artist": army.artist_id}).json()
    assert [entry["title"] for entry in bjork["results"]] == ["Army of Me"]
    entry_id = bjork["results"][0]["id"]
    one = api.get(f"/api/ignored/{entry_id}/")
    assert_matches(schema, "/api/ignored/{entry_id}/", "get", one)
    assert one.json()["video"] == army.pk


def test_a_bad_filter_is_a_400_and_a_missing_entry_a_404(api, db):
    assert api.get("/api/ignored/", {"artist": "x"}).status_code == 400
    assert api.get("/api/ignored/999/").status_code == 404


def test_staff_remove_an_entry_and_the_video_is_wanted_again(staff_api, army):
    entry_id = staff_api.post("/api/ignored/", {"video": army.pk}, "json").json()["id"]

    response = staff_api.delete(f"/api/ignored/{entry_id}/")

    assert response.status_code == 204
    army.refresh_from_db()
    assert army.status == Video.Status.WANTED
    assert staff_api.delete(f"/api/ignored/{entry_id}/").status_code == 404


def test_the_ignore_list_is_for_signed_in_users_and_its_changes_for_staff(
    client_for, api, army, boss
):
    entry_id = client_for(boss).post("/api/ignored/", {"video": army.pk}, "json").json()["id"]
    anonymous = client_for()
    assert anonymous.get("/api/ignored/").status_code == 401
    assert anonymous.get(f"/api/ignored/{entry_id}/").status_code == 401
    assert anonymous.post("/api/ignored/", {"url": "https://e.com/x"}, "json").status_code == 401
    assert anonymous.delete(f"/api/ignored/{entry_id}/").status_code == 401
    refused = api.post("/api/ignored/", {"url": "https://e.com/x"}, "json")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Only staff can add to or remove from the ignore list."}
    assert api.delete(f"/api/ignored/{entry_id}/").status_code == 403
    assert IgnoredEntry.objects.count() == 1


def test_deleting_a_video_with_ignore_removes_it_and_keeps_an_entry(staff_api, army, boss):
    response = staff_api.delete(f"/api/videos/{army.pk}/?delete_file=1&ignore=1&reason=Wrong")

    assert response.status_code == 204
    assert not Video.objects.filter(pk=army.pk).exists()
    entry = IgnoredEntry.objects.get()
    assert (entry.extractor, entry.source_id, entry.video_id) == ("youtube", "army", None)
    assert (entry.reason, entry.user, entry.title) == ("Wrong", boss, "Army of Me")


def test_deleting_a_video_without_ignore_leaves_no_entry(staff_api, army):
    assert staff_api.delete(f"/api/videos/{army.pk}/?delete_file=1").status_code == 204
    assert not IgnoredEntry.objects.exists()


def test_a_bad_ignore_flag_is_a_400(staff_api, army):
    assert staff_api.delete(f"/api/videos/{army.pk}/?ignore=perhaps").status_code == 400
    assert Video.objects.filter(pk=army.pk).exists()

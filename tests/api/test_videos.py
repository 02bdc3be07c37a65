"""/api/videos/: the shared library — list, add (with a probe), import, change, delete."""

from __future__ import annotations

import pytest

from jobs.models import Job
from videos.models import Artist, Video, VideoFile
from videos.services import artist_get_or_create


def test_every_user_sees_the_whole_library(client_for, alice, bob, video):
    for user in (alice, bob):
        body = client_for(user).get("/api/videos/").json()
        assert [v["id"] for v in body["results"]] == [video.pk]


def test_videos_are_paginated_fifty_to_a_page(api, db):
    Video.objects.bulk_create(
        Video(source_url=f"https://example.com/{n}", title=f"Clip {n}") for n in range(55)
    )
    first = api.get("/api/videos/").json()
    assert first["count"] == 55
    assert len(first["results"]) == 50
    assert len(api.get(first["next"]).json()["results"]) == 5


def test_videos_are_filtered_by_status_and_artist_and_searched_by_title_or_artist(api, db):
    bjork = artist_get_or_create(name="Björk")
    portishead = artist_get_or_create(name="Portishead")
    Video.objects.create(source_url="https://e.com/1", title="Hyperballad", artist=bjork)
    Video.objects.create(
        source_url="https://e.com/2", title="Jóga", artist=bjork, status="downloaded"
    )
    Video.objects.create(source_url="https://e.com/3", title="Glory Box", artist=portishead)

    def titles(**query):
        return sorted(v["title"] for v in api.get("/api/videos/", query).json()["results"])

    assert titles(status="downloaded") == ["Jóga"]
    assert titles(artist=bjork.pk) == ["Hyperballad", "Jóga"]
    assert titles(search="glory") == ["Glory Box"]
    assert titles(search="PORTIS") == ["Glory Box"]
    assert titles(artist=portishead.pk, status="downloaded") == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"status": "lost"}, "status"),
        ({"artist": "abc"}, "artist"),
        ({"artist": "-3"}, "artist"),
        ({"artist": "9" * 30}, "artist"),
        ({"search": "a\x00b"}, "search"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(api, db, query, field):
    response = api.get("/api/videos/", query)
    assert response.status_code == 400
    assert field in response.json()


def test_adding_a_video_answers_201_at_once_with_a_probe_job(api, alice, db):
    response = api.post(
        "/api/videos/",
        {"url": "https://example.com/watch?v=1", "title": "Army of Me", "artist": "Björk"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "Army of Me"
    assert body["artist"] == "Björk"
    assert body["status"] == "wanted"
    assert body["probe_job"]["kind"] == "metadata_probe"
    assert body["probe_job"]["status"] == "queued"
    assert body["probe_job"]["video"]["id"] == body["id"]
    job = Job.objects.get(pk=body["probe_job"]["id"])
    assert job.user == alice


def test_adding_a_video_with_only_a_url_leaves_the_rest_to_the_probe(api, db):
    response = api.post("/api/videos/", {"url": "https://example.com/watch?v=2"}, format="json")
    assert response.status_code == 201
    assert response.json()["title"] == ""
    assert response.json()["artist"] is None
    assert not Artist.objects.exists()


def test_adding_a_url_that_is_already_in_the_library_is_a_409(api, video):
    response = api.post("/api/videos/", {"url": video.source_url}, format="json")
    assert response.status_code == 409
    assert f"#{video.pk}" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "artist"),
        ({"title": "Army of Me"}, "artist"),
        ({"artist": "Björk", "title": "  "}, "title"),
        ({"url": "not a url"}, "url"),
        ({"url": "ftp://example.com/a.mp4"}, "url"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "https://example.com/" + "a" * 2100}, "url"),
        ({"url": ["https://example.com/"]}, "url"),
        ({"url": "https://example.com/x", "title": "x" * 501}, "title"),
        ({"url": "https://example.com/x", "title": "a\x00b"}, "title"),
        ({"url": "https://example.com/x", "artist": {"name": "Björk"}}, "artist"),
    ],
)
def test_adding_a_video_with_a_bad_field_is_a_400_naming_it(api, db, body, field):
    response = api.post("/api/videos/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Video.objects.exists()


def test_a_body_that_is_not_json_is_a_400_that_says_so(api, db):
    response = api.post("/api/videos/", b"{url: nope", content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_a_json_body_that_is_not_an_object_is_a_400(api, db):
    response = api.post("/api/videos/", ["https://example.com/"], format="json")
    assert response.status_code == 400
    assert "Expected a dictionary" in response.json()["non_field_errors"][0]


def test_importing_a_url_answers_202_with_a_probe_job(api, db):
    response = api.post(
        "/api/videos/import", {"url": "https://example.com/feed.xml"}, format="json"
    )
    assert response.status_code == 202
    job = response.json()
    assert job["kind"] == "metadata_probe"
    assert job["options"] == {"import": True, "url": "https://example.com/feed.xml"}
    assert job["video"] is None


def test_import_works_with_a_trailing_slash_too(api, db):
    response = api.post("/api/videos/import/", {"url": "https://example.com/f"}, format="json")
    assert response.status_code == 202


def test_importing_without_a_url_is_a_400(api, db):
    response = api.post("/api/videos/import", {"url": ""}, format="json")
    assert response.status_code == 400
    assert "url" in response.json()


def test_a_video_is_shown_by_id(api, video):
    body = api.get(f"/api/videos/{video.pk}/").json()
    assert body["title"] == "Army of Me"
    assert body["source_url"] == video.source_url


def test_patching_a_video_changes_its_title_and_artist_by_name(api, video):
    response = api.patch(
        f"/api/videos/{video.pk}/", {"title": "Hunter", "artist": "portishead"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Hunter"
    video.refresh_from_db()
    assert video.artist.name == "portishead"
    # The same artist, whatever the case.
    other = Video.objects.create(source_url="https://example.com/other")
    api.patch(f"/api/videos/{other.pk}/", {"artist": "PORTISHEAD"}, format="json")
    other.refresh_from_db()
    assert other.artist_id == video.artist_id


def test_patching_a_videos_artist_to_null_removes_it(api, video):
    video.artist = artist_get_or_create(name="Björk")
    video.save()
    response = api.patch(f"/api/videos/{video.pk}/", {"artist": None}, format="json")
    assert response.status_code == 200
    assert response.json()["artist"] is None


def test_a_video_cannot_be_deleted_by_a_user_who_is_not_staff(api, video):
    response = api.delete(f"/api/videos/{video.pk}/")
    assert response.status_code == 403
    assert "staff" in response.json()["detail"]
    assert Video.objects.filter(pk=video.pk).exists()


def test_staff_delete_a_video_and_keep_its_file(client_for, boss, video, library_root):
    file = library_root / "Björk" / "Army of Me.mp4"
    file.parent.mkdir()
    file.write_bytes(b"video")
    Video.objects.filter(pk=video.pk).update(status="downloaded")
    VideoFile.objects.create(video=video, path="Björk/Army of Me.mp4")
    assert client_for(boss).delete(f"/api/videos/{video.pk}/").status_code == 204
    assert not Video.objects.filter(pk=video.pk).exists()
    assert file.exists()


def test_staff_delete_a_video_with_its_file(client_for, boss, video, library_root):
    file = library_root / "Army of Me.mp4"
    file.write_bytes(b"video")
    Video.objects.filter(pk=video.pk).update(status="downloaded")
    VideoFile.objects.create(video=video, path="Army of Me.mp4")
    response = client_for(boss).delete(f"/api/videos/{video.pk}/?delete_file=1")
    assert response.status_code == 204
    assert not file.exists()


def test_a_video_being_downloaded_cannot_be_deleted(client_for, boss, video):
    Video.objects.filter(pk=video.pk).update(status="downloading")
    response = client_for(boss).delete(f"/api/videos/{video.pk}/")
    assert response.status_code == 409
    assert "cancel" in response.json()["detail"]


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_an_unknown_video_is_a_404(client_for, boss, method):
    response = getattr(client_for(boss), method)("/api/videos/424242/", {}, format="json")
    assert response.status_code == 404
    assert response.json()["detail"] == "There is no video #424242."


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("javascript:alert(1)", "Enter a web address that starts with http:// or https://."),
        ("data:text/html,hi", "Enter a web address that starts with http:// or https://."),
        (
            "https://example.com/" + "a" * 2100,
            "Ensure this field has no more than 2000 characters.",
        ),
        ("https://exa_mple..com/x", "Enter a valid URL."),
    ],
)
def test_a_refused_address_gets_one_sentence_not_one_per_rule(api, db, url, said):
    response = api.post("/api/videos/", {"url": url}, format="json")
    assert response.status_code == 400
    assert response.json()["url"] == [said]

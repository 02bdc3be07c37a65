"""A video's JSON names its artwork: the address of MVidarr's own stored copy (null without
one), in the REST answers and in the job's video that the WebSocket sends alike; a script
fetches the picture with its bearer token. The schema documents the field."""

from __future__ import annotations

import os
import re

import pytest
from django.urls import reverse

from jobs.selectors import job_representation
from tests.support import password_of
from videos.library.artwork import artist_artwork_store, video_artwork_path
from videos.library.images import is_jpeg

SITE_PICTURE = "https://i.videos.example/vi/x1/maxresdefault.jpg"


@pytest.fixture
def picture(media_root, media_clips) -> bytes:
    return (media_root / media_clips["cover_jpg"]).read_bytes()


@pytest.fixture
def with_artwork(make_video, picture, library_root):
    video = make_video("Army of Me", artist="Björk", thumbnail_url=SITE_PICTURE)
    path = video_artwork_path(video)
    path.parent.mkdir(parents=True)
    path.write_bytes(picture)
    return video


def artwork_address(video) -> re.Pattern:
    return re.compile(re.escape(reverse("video-artwork", args=[video.pk])) + r"\?v=[0-9a-f]+")


def test_the_video_json_gives_the_address_of_its_stored_artwork(api, with_artwork):
    body = api.get(f"/api/videos/{with_artwork.pk}/").json()
    assert artwork_address(with_artwork).fullmatch(body["artwork"])
    assert body["thumbnail_url"] == SITE_PICTURE  # the site's, as before: never the artwork
    listed = api.get("/api/videos/").json()["results"]
    assert [item["artwork"] for item in listed] == [body["artwork"]]


def test_a_video_without_stored_artwork_has_null(api, make_video, library_root):
    video = make_video("No artwork yet", thumbnail_url=SITE_PICTURE)
    assert api.get(f"/api/videos/{video.pk}/").json()["artwork"] is None


def test_the_address_changes_when_the_picture_does(api, with_artwork, picture):
    before = api.get(f"/api/videos/{with_artwork.pk}/").json()["artwork"]
    path = video_artwork_path(with_artwork)
    stat = path.stat()
    path.write_bytes(picture + b"\0")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    after = api.get(f"/api/videos/{with_artwork.pk}/").json()["artwork"]
    assert before != after and artwork_address(with_artwork).fullmatch(after)


def test_the_jobs_video_carries_the_artwork_for_the_websocket_and_rest_alike(
    api, alice, with_artwork, make_job
):
    job = make_job(video=with_artwork, user=alice)
    live = job_representation(job)["video"]  # what the WebSocket sends
    rest = api.get(f"/api/jobs/{job.pk}/").json()["video"]
    assert live["artwork"] == rest["artwork"]
    assert artwork_address(with_artwork).fullmatch(rest["artwork"])


def test_a_script_fetches_the_artwork_with_its_bearer_token(client_for, alice, with_artwork):
    client = client_for()
    tokens = client.post(
        "/api/auth/token/", {"username": "alice", "password": password_of("alice")}, format="json"
    ).json()
    address = client_for(alice).get(f"/api/videos/{with_artwork.pk}/").json()["artwork"]

    response = client.get(address, HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg" and is_jpeg(response.content)


def test_a_bad_token_for_the_artwork_is_a_401_and_no_token_the_login_page(client, with_artwork):
    address = reverse("video-artwork", args=[with_artwork.pk])
    refused = client.get(address, HTTP_AUTHORIZATION="Bearer not-a-token")
    assert refused.status_code == 401 and refused["WWW-Authenticate"] == "Bearer"
    assert refused.json()["detail"]
    anonymous = client.get(address)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login")


def test_the_artist_artwork_takes_the_bearer_token_too(client_for, alice, make_artist, picture):
    artist = make_artist("Björk")
    artist_artwork_store(artist, picture)
    tokens = (
        client_for()
        .post(
            "/api/auth/token/",
            {"username": "alice", "password": password_of("alice")},
            format="json",
        )
        .json()
    )
    response = client_for().get(
        reverse("artist-artwork", args=[artist.pk]), HTTP_AUTHORIZATION=f"Bearer {tokens['access']}"
    )
    assert response.status_code == 200 and is_jpeg(response.content)


def test_the_schema_documents_the_artwork_as_a_nullable_string(api):
    schema = api.get("/api/schema/?format=json").json()["components"]["schemas"]
    video = schema["Video"]["properties"]["artwork"]
    assert (video["type"], video.get("nullable"), video.get("readOnly")) == ("string", True, True)
    assert "MVidarr's own copy" in video["description"]
    job_video = schema["JobVideo"]["properties"]["artwork"]
    assert job_video["type"] == "string" and job_video.get("nullable") is True

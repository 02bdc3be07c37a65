"""The providers' endpoints: who may call them (401, 403), what is refused (400), and the
key that is never echoed."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from jobs.models import Job
from tests.providers.fakes import IMVDB_KEY

pytestmark = pytest.mark.django_db

POSTS = [
    ("/api/artists/import", {"provider": "imvdb", "id": "100"}),
    ("/api/library/refresh-metadata", {}),
]


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()


def client(user=None) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


@pytest.mark.parametrize(("url", "body"), POSTS)
def test_writes_need_a_signed_in_staff_member(url, body, alice):
    assert client().post(url, body, format="json").status_code == 401
    response = client(alice).post(url, body, format="json")
    assert response.status_code == 403


def test_refreshing_a_video_or_an_artist_needs_staff(alice, make_video, make_artist):
    video = make_video()
    artist = make_artist("Nightfall Choir")
    for url in (
        f"/api/videos/{video.pk}/refresh-metadata",
        f"/api/artists/{artist.pk}/refresh-metadata",
    ):
        assert client().post(url).status_code == 401
        assert client(alice).post(url).status_code == 403


def test_adding_an_artist_answers_202_with_the_job(boss):
    response = client(boss).post(
        "/api/artists/import", {"provider": "imvdb", "id": "100"}, format="json"
    )
    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["id"])
    assert job.kind == "artist_import" and job.options["provider_id"] == "100"
    again = client(boss).post(
        "/api/artists/import", {"provider": "imvdb", "id": "100"}, format="json"
    )
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"provider": "discogs", "id": "1"}, "provider"),
        ({"provider": "imvdb", "id": "abc"}, "id"),
        ({"provider": "imvdb"}, "id"),
    ],
)
def test_adding_an_artist_refuses_a_bad_provider_or_id(boss, body, field):
    response = client(boss).post("/api/artists/import", body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_refreshing_answers_202_and_404_for_an_unknown_video(boss, make_video):
    video = make_video()
    response = client(boss).post(f"/api/videos/{video.pk}/refresh-metadata")
    assert response.status_code == 202
    assert Job.objects.get(pk=response.json()["id"]).options["scope"] == "video"
    assert client(boss).post("/api/videos/999999/refresh-metadata").status_code == 404
    assert client(boss).post("/api/library/refresh-metadata").status_code == 202


def test_searching_imvdb_is_for_everyone_signed_in(imvdb_server, alice):
    assert client().get("/api/providers/imvdb/search?q=nightfall").status_code == 401
    response = client(alice).get("/api/providers/imvdb/search?q=nightfall&type=videos")
    assert response.status_code == 200
    assert response.json()["total_results"] == 7
    assert client(alice).get("/api/providers/imvdb/search?type=films&q=x").status_code == 400
    assert client(alice).get("/api/providers/imvdb/search").status_code == 400


def test_a_search_with_a_wrong_key_says_so(imvdb_server, alice, monkeypatch):
    monkeypatch.setenv("IMVDB_API_KEY", "wrong")
    response = client(alice).get("/api/providers/imvdb/search?q=nightfall")
    assert response.status_code == 502
    assert "the API key is missing or wrong" in response.json()["detail"]


def test_the_settings_are_for_staff_and_the_key_is_write_only(boss, alice):
    assert client().get("/api/providers/settings").status_code == 401
    assert client(alice).get("/api/providers/settings").status_code == 403
    assert client(alice).patch("/api/providers/settings", {}, format="json").status_code == 403
    response = client(boss).patch(
        "/api/providers/settings", {"providers.imvdb.api_key": "s3cret-key"}, format="json"
    )
    assert response.status_code == 200
    assert "s3cret-key" not in response.content.decode()
    row = next(item for item in response.json() if item["key"] == "providers.imvdb.api_key")
    assert row == {**row, "value": None, "is_set": True, "secret": True}
    assert "s3cret-key" not in client(boss).get("/api/providers/settings").content.decode()


@pytest.mark.parametrize(
    "body",
    [
        {"providers.imvdb.rate": 0},
        {"providers.imvdb.api_url": "ftp://imvdb.example"},
        {"no.such.setting": 1},
        [],
    ],
)
def test_a_bad_setting_is_refused_and_nothing_stored(boss, body):
    response = client(boss).patch("/api/providers/settings", body, format="json")
    assert response.status_code == 400


def test_the_test_button_says_in_a_sentence_whether_it_works(imvdb_server, boss, alice):
    assert client().post("/api/providers/imvdb/test").status_code == 401
    assert client(alice).post("/api/providers/imvdb/test").status_code == 403
    assert client(boss).post("/api/providers/nothing/test").status_code == 404
    response = client(boss).post("/api/providers/imvdb/test")
    assert response.json() == {
        "ok": True,
        "detail": "IMVDb answered: 2 artists match a test search.",
    }
    imvdb_server.fail_next(403)
    response = client(boss).post("/api/providers/imvdb/test")
    assert response.json()["ok"] is True  # the first answer is cached
    assert IMVDB_KEY not in response.content.decode()

"""Who gets in: tokens for scripts, sessions for the browser, 401 for everyone else."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.support import password_of
from videos.models import Artist

PROTECTED = [
    ("get", "/api/artists/"),
    ("post", "/api/artists/"),
    ("get", "/api/artists/1/"),
    ("patch", "/api/artists/1/"),
    ("delete", "/api/artists/1/"),
    ("get", "/api/artists/1/videos/"),
    ("get", "/api/videos/"),
    ("post", "/api/videos/"),
    ("post", "/api/videos/import"),
    ("get", "/api/videos/1/"),
    ("patch", "/api/videos/1/"),
    ("delete", "/api/videos/1/"),
    ("post", "/api/videos/1/download"),
    ("post", "/api/videos/bulk/download"),
    ("get", "/api/jobs/"),
    ("get", "/api/jobs/1/"),
    ("post", "/api/jobs/1/cancel"),
    ("post", "/api/jobs/1/retry"),
    ("post", "/api/jobs/1/hide"),
    ("get", "/api/schema/"),
    ("get", "/api/docs/"),
]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_an_anonymous_request_gets_401_with_a_bearer_challenge(client_for, db, method, path):
    response = getattr(client_for(), method)(path, {}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_token_pair_from_username_and_password_authenticates_requests(client_for, alice):
    client = client_for()
    response = client.post(
        "/api/auth/token/", {"username": "alice", "password": password_of("alice")}, format="json"
    )
    assert response.status_code == 200
    tokens = response.json()
    assert set(tokens) == {"access", "refresh"}

    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert client.get("/api/jobs/").status_code == 200


def test_the_refresh_token_gives_a_new_access_token(client_for, alice):
    client = client_for()
    tokens = client.post(
        "/api/auth/token/", {"username": "alice", "password": password_of("alice")}, format="json"
    ).json()
    response = client.post(
        "/api/auth/token/refresh/", {"refresh": tokens["refresh"]}, format="json"
    )
    assert response.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    assert client.get("/api/videos/").status_code == 200


def test_a_wrong_password_gets_401_with_a_sentence(client_for, alice):
    response = client_for().post(
        "/api/auth/token/", {"username": "alice", "password": "wrong"}, format="json"
    )
    assert response.status_code == 401
    assert "credentials" in response.json()["detail"]


def test_a_garbage_token_gets_401(client_for, db):
    client = client_for()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-jwt")
    assert client.get("/api/videos/").status_code == 401


def test_a_token_request_without_a_password_is_a_400_naming_the_field(client_for, db):
    response = client_for().post("/api/auth/token/", {"username": "alice"}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()


def test_login_attempts_are_throttled_with_retry_after(client_for, alice, settings):
    settings.LOGIN_ADDRESS_RATE = "3/min"
    client = client_for()
    body = {"username": "alice", "password": "guess"}
    statuses = [client.post("/api/auth/token/", body, format="json").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    response = client.post("/api/auth/token/", body, format="json")
    assert int(response["Retry-After"]) > 0


def test_a_session_login_opens_the_browsable_api(alice):
    browser = Client()
    assert browser.get("/api/auth/login/").status_code == 200
    assert browser.login(username="alice", password=password_of("alice"))
    page = browser.get("/api/videos/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    assert b"Video List" in page.content or b"<form" in page.content


@pytest.mark.parametrize(
    "path",
    [
        "/api/artists/",
        "/api/artists/{artist}/",
        "/api/artists/{artist}/videos/",
        "/api/videos/",
        "/api/videos/{video}/",
        "/api/jobs/",
        "/api/jobs/{job}/",
    ],
)
def test_the_browsable_api_renders_every_page_with_its_form(alice, video, make_job, path):
    artist = Artist.objects.create(name="Björk", sort_name="Björk", folder_name="Björk")
    job = make_job(alice, "completed")
    browser = Client()
    browser.force_login(alice)
    url = path.format(artist=artist.pk, video=video.pk, job=job.pk)
    page = browser.get(url, HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    assert b"<html" in page.content


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/videos/import", "url"),
        ("/api/videos/bulk/download", "video_ids"),
        ("/api/videos/{video}/download", "force_redownload"),
        ("/api/jobs/{job}/cancel", None),
        ("/api/jobs/{job}/retry", None),
        ("/api/jobs/{job}/hide", None),
    ],
)
def test_the_browsable_api_offers_a_post_form_for_every_action(alice, video, make_job, path, field):
    job = make_job(alice, "failed")
    browser = Client()
    browser.force_login(alice)
    page = browser.get(path.format(video=video.pk, job=job.pk), HTTP_ACCEPT="text/html")
    assert page.status_code == 405  # GET is not allowed; the page offers the POST
    assert b'id="post-generic-content-form"' in page.content
    if field:
        assert field.encode() in page.content


def test_the_docs_send_a_browser_that_is_not_logged_in_to_the_login_page(db):
    response = Client().get("/api/docs/", HTTP_ACCEPT="text/html")
    assert response.status_code == 302
    assert response["Location"].startswith("/api/auth/login/?next=/api/docs/")


def test_the_docs_and_schema_open_for_a_logged_in_user(alice):
    browser = Client()
    browser.force_login(alice)
    docs = browser.get("/api/docs/", HTTP_ACCEPT="text/html")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()
    schema = browser.get("/api/schema/?format=json")
    assert schema.status_code == 200
    assert "/api/videos/{video_id}/download" in schema.json()["paths"]

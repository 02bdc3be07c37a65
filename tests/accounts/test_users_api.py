"""``/api/users/`` (staff) and ``/api/auth/password/``: a one-time password is changed before
anything else, nobody deactivates or un-staffs themselves."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.authentication import CHANGE_PASSWORD_FIRST
from tests.support import password_of

NEW_PASSWORD = "a-fresh-Passphrase-204"


def token_for(username: str, password: str) -> APIClient:
    response = APIClient().post(
        "/api/auth/token/", {"username": username, "password": password}, format="json"
    )
    assert response.status_code == 200, response.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    return client


def test_staff_add_a_user_who_must_change_the_one_time_password_first(client_for, boss):
    response = client_for(boss).post("/api/users/", {"username": "carol"}, format="json")
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["username"] == "carol"
    assert made["is_staff"] is False
    assert made["must_change_password"] is True
    one_time = made["password"]

    carol = token_for("carol", one_time)
    refused = carol.get("/api/jobs/")
    assert refused.status_code == 403
    assert refused.json()["detail"] == CHANGE_PASSWORD_FIRST
    assert carol.post("/api/auth/keys/", {"name": "x"}, format="json").status_code == 403

    changed = carol.post(
        "/api/auth/password/",
        {"old_password": one_time, "new_password": NEW_PASSWORD},
        format="json",
    )
    assert changed.status_code == 200, changed.content
    # The token of the one-time password is retired; a new one works.
    assert carol.get("/api/jobs/").status_code == 401
    assert token_for("carol", NEW_PASSWORD).get("/api/jobs/").status_code == 200
    assert (
        APIClient()
        .post("/api/auth/token/", {"username": "carol", "password": one_time}, format="json")
        .status_code
        == 401
    )
    listed = client_for(boss).get(f"/api/users/{made['id']}/").json()
    assert listed["must_change_password"] is False


def test_a_one_time_password_holds_for_a_browsers_session_on_the_api_too(client, boss):
    staff = APIClient()
    staff.force_authenticate(boss)
    made = staff.post("/api/users/", {"username": "dave", "is_staff": True}, format="json").json()
    assert made["is_staff"] is True
    client.force_login(get_user_model().objects.get(pk=made["id"]))
    response = client.get("/api/videos/")
    assert response.status_code == 403
    assert response.json()["detail"] == CHANGE_PASSWORD_FIRST


def test_users_is_staff_only(client_for, alice, bob):
    assert APIClient().get("/api/users/").status_code == 401
    assert APIClient().post("/api/users/", {"username": "x"}, format="json").status_code == 401
    assert APIClient().get(f"/api/users/{bob.pk}/").status_code == 401
    assert APIClient().patch(f"/api/users/{bob.pk}/", {}, format="json").status_code == 401
    assert APIClient().post(f"/api/users/{bob.pk}/reset-password").status_code == 401
    for response in (
        client_for(alice).get("/api/users/"),
        client_for(alice).post("/api/users/", {"username": "x"}, format="json"),
        client_for(alice).get(f"/api/users/{bob.pk}/"),
        client_for(alice).patch(f"/api/users/{bob.pk}/", {"is_staff": True}, format="json"),
        client_for(alice).post(f"/api/users/{bob.pk}/reset-password"),
    ):
        assert response.status_code == 403
        assert "staff" in response.json()["detail"]
    assert not get_user_model().objects.filter(username="x").exists()
    bob.refresh_from_db()
    assert not bob.is_staff


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "username"),
        ({"username": ""}, "username"),
        ({"username": "has space"}, "username"),
        ({"username": "u" * 151}, "username"),
        ({"username": "ALICE"}, "username"),  # alice exists
        ({"username": "eve", "is_staff": "maybe"}, "is_staff"),
    ],
)
def test_a_bad_new_user_is_a_400(client_for, boss, alice, body, field):
    response = client_for(boss).post("/api/users/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_a_bad_change_is_a_400_and_an_unknown_user_a_404(client_for, boss, alice):
    response = client_for(boss).patch(f"/api/users/{alice.pk}/", {"is_active": "x"}, format="json")
    assert response.status_code == 400
    assert "is_active" in response.json()
    assert client_for(boss).get("/api/users/31337/").status_code == 404
    assert client_for(boss).patch("/api/users/31337/", {}, format="json").status_code == 404


def test_staff_make_a_user_staff_and_take_it_away(client_for, boss, alice):
    staff = client_for(boss)
    assert staff.patch(f"/api/users/{alice.pk}/", {"is_staff": True}, format="json").json()[
        "is_staff"
    ]
    alice.refresh_from_db()
    assert alice.is_staff
    staff.patch(f"/api/users/{alice.pk}/", {"is_staff": False}, format="json")
    alice.refresh_from_db()
    assert not alice.is_staff


def test_nobody_deactivates_or_unstaffs_themselves(client_for, boss):
    for body in ({"is_active": False}, {"is_staff": False}):
        response = client_for(boss).patch(f"/api/users/{boss.pk}/", body, format="json")
        assert response.status_code == 403
        assert "your own" in response.json()["detail"]
    boss.refresh_from_db()
    assert boss.is_active and boss.is_staff


def test_only_a_superuser_changes_a_superuser(client_for, boss, root):
    response = client_for(boss).patch(f"/api/users/{root.pk}/", {"is_active": False}, format="json")
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.is_active


def test_a_deactivated_user_can_no_longer_log_in_nor_use_their_token(client_for, boss, alice):
    alices = token_for("alice", password_of("alice"))
    client_for(boss).patch(f"/api/users/{alice.pk}/", {"is_active": False}, format="json")
    assert alices.get("/api/jobs/").status_code == 401
    assert (
        APIClient()
        .post("/api/auth/token/", {"username": "alice", "password": password_of("alice")})
        .status_code
        == 401
    )


def test_a_reset_gives_a_new_one_time_password(client_for, boss, alice):
    response = client_for(boss).post(f"/api/users/{alice.pk}/reset-password")
    assert response.status_code == 200, response.content
    one_time = response.json()["password"]
    assert response.json()["must_change_password"] is True
    refused = token_for("alice", one_time).get("/api/jobs/")
    assert refused.status_code == 403
    assert client_for(boss).post("/api/users/31337/reset-password").status_code == 404


def test_the_users_list_is_paginated_with_every_user(client_for, boss, alice):
    body = client_for(boss).get("/api/users/").json()
    assert body["count"] == 2
    assert [u["username"] for u in body["results"]] == ["alice", "boss"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"old_password": "wrong", "new_password": NEW_PASSWORD}, "old_password"),
        ({"old_password": password_of("alice"), "new_password": "123"}, "new_password"),
        ({"old_password": password_of("alice"), "new_password": "12345678901"}, "new_password"),
        (
            {"old_password": password_of("alice"), "new_password": password_of("alice")},
            "new_password",
        ),
        ({"old_password": password_of("alice")}, "new_password"),
        ({}, "old_password"),
    ],
)
def test_a_bad_password_change_is_a_400_on_its_field(api, alice, body, field):
    response = api.post("/api/auth/password/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    alice.refresh_from_db()
    assert alice.check_password(password_of("alice"))


def test_the_password_change_needs_a_signed_in_user(db):
    response = APIClient().post(
        "/api/auth/password/", {"old_password": "a", "new_password": "b"}, format="json"
    )
    assert response.status_code == 401


def one_time_password_reads(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum("accounts_onetimepassword" in query["sql"] for query in queries)


def test_the_one_time_password_is_not_read_again_on_each_request(client, alice):
    """A JWT says so itself; a session remembers that there was none."""
    bearer = token_for("alice", password_of("alice"))
    assert one_time_password_reads(bearer, "/api/jobs/") == 0
    client.force_login(alice)
    one_time_password_reads(client, "/")
    assert one_time_password_reads(client, "/") == 0
    assert one_time_password_reads(client, "/api/jobs/") == 0


def test_guessing_the_current_password_counts_as_failed_logins(api, alice, settings):
    settings.LOGIN_ACCOUNT_FAILURES = 2
    wrong = {"old_password": "guess", "new_password": NEW_PASSWORD}
    right = {"old_password": password_of("alice"), "new_password": NEW_PASSWORD}
    for _ in range(2):
        assert api.post("/api/auth/password/", wrong, format="json").status_code == 400
    response = api.post("/api/auth/password/", right, format="json")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many failed logins for this account" in response.json()["detail"]

"""API keys: made once, stored hashed, used as ``Authorization: Token <key>`` beside JWTs and
sessions, revoked by their user, by staff, by deactivation and by a password change."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.keys import api_key_create
from accounts.models import ApiKey
from tests.support import password_of

NEW_PASSWORD = "a-fresh-Passphrase-204"


def with_key(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def make_key(user, name: str = "script") -> tuple[ApiKey, str]:
    return api_key_create(user=user, name=name)


def test_a_key_is_made_once_and_then_works_as_its_user(client_for, alice):
    response = client_for(alice).post("/api/auth/keys/", {"name": "backup script"}, format="json")
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["name"] == "backup script"
    assert made["key"].startswith(made["prefix"])

    answer = with_key(made["key"]).get("/api/jobs/")
    assert answer.status_code == 200, answer.content

    listed = client_for(alice).get("/api/auth/keys/").json()["results"]
    assert [(k["id"], k["name"], k["prefix"]) for k in listed] == [
        (made["id"], "backup script", made["prefix"])
    ]
    assert "key" not in listed[0]
    assert made["key"] not in str(listed)


def test_the_key_acts_as_its_user_for_what_that_user_may_do(alice):
    _, key = make_key(alice)
    # alice is not staff: the connections are not hers to see.
    assert with_key(key).get("/api/connections/").status_code == 403
    assert with_key(key).get("/api/videos/").status_code == 200


def test_only_the_keys_sha256_is_stored(alice):
    api_key, key = make_key(alice)
    stored = ApiKey.objects.values().get(pk=api_key.pk)
    assert key not in str(stored)
    assert stored["key_hash"] == hashlib.sha256(key.encode()).hexdigest()
    assert stored["prefix"] == key[:8]


@pytest.mark.parametrize(
    "header",
    ["Token not-a-key-at-all", "Token " + "x" * 43, "Token a b", "Token " + "y" * 5000],
)
def test_an_unknown_or_malformed_key_is_a_401_with_a_sentence(db, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/jobs/")
    assert response.status_code == 401
    assert response.json()["detail"].endswith(".")


def test_a_key_revoked_by_its_user_is_refused(client_for, alice):
    api_key, key = make_key(alice)
    response = client_for(alice).delete(f"/api/auth/keys/{api_key.pk}/")
    assert response.status_code == 204
    refused = with_key(key).get("/api/jobs/")
    assert refused.status_code == 401
    assert "revoked" in refused.json()["detail"]
    assert not ApiKey.objects.filter(pk=api_key.pk).exists()


def test_another_users_key_is_404_to_a_user_and_revocable_by_staff(client_for, alice, bob, boss):
    api_key, key = make_key(alice)
    assert client_for(bob).delete(f"/api/auth/keys/{api_key.pk}/").status_code == 404
    assert with_key(key).get("/api/jobs/").status_code == 200

    seen = client_for(boss).get(f"/api/auth/keys/?user={alice.pk}").json()["results"]
    assert [k["id"] for k in seen] == [api_key.pk]
    assert seen[0]["user"] == "alice"
    assert client_for(boss).delete(f"/api/auth/keys/{api_key.pk}/").status_code == 204
    assert with_key(key).get("/api/jobs/").status_code == 401


def test_only_staff_list_another_users_keys(client_for, alice, bob):
    make_key(alice)
    response = client_for(bob).get(f"/api/auth/keys/?user={alice.pk}")
    assert response.status_code == 403
    assert "staff" in response.json()["detail"]


def test_the_keys_endpoints_are_for_signed_in_users_only(db, alice):
    api_key, _ = make_key(alice)
    anonymous = APIClient()
    assert anonymous.get("/api/auth/keys/").status_code == 401
    assert anonymous.post("/api/auth/keys/", {"name": "x"}, format="json").status_code == 401
    assert anonymous.delete(f"/api/auth/keys/{api_key.pk}/").status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "name"), ({"name": ""}, "name"), ({"name": "n" * 101}, "name"), ([], "non_field_errors")],
)
def test_a_key_without_a_good_name_is_a_400(api, body, field):
    response = api.post("/api/auth/keys/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_two_keys_of_one_user_may_not_share_a_name(api, client_for, alice, bob):
    assert api.post("/api/auth/keys/", {"name": "cron"}, format="json").status_code == 201
    again = api.post("/api/auth/keys/", {"name": " cron "}, format="json")
    assert again.status_code == 400
    assert "already have a key called “cron”" in again.json()["name"][0]
    assert (
        client_for(bob).post("/api/auth/keys/", {"name": "cron"}, format="json").status_code == 201
    )


def test_an_unknown_user_filter_is_a_400(client_for, boss):
    response = client_for(boss).get("/api/auth/keys/?user=31337")
    assert response.status_code == 400
    assert client_for(boss).get("/api/auth/keys/?user=x").status_code == 400


def test_an_unknown_key_id_is_a_404(api):
    assert api.delete("/api/auth/keys/31337/").status_code == 404


def test_deactivation_revokes_the_users_keys(client_for, alice, boss):
    _, key = make_key(alice)
    response = client_for(boss).patch(
        f"/api/users/{alice.pk}/", {"is_active": False}, format="json"
    )
    assert response.status_code == 200, response.content
    assert with_key(key).get("/api/jobs/").status_code == 401
    assert not ApiKey.objects.filter(user=alice).exists()
    # Reactivated, the user has no key back.
    client_for(boss).patch(f"/api/users/{alice.pk}/", {"is_active": True}, format="json")
    assert with_key(key).get("/api/jobs/").status_code == 401


def test_a_key_of_an_inactive_user_is_refused_however_the_user_was_deactivated(alice):
    _, key = make_key(alice)
    alice.is_active = False
    alice.save()
    assert with_key(key).get("/api/jobs/").status_code == 401


def test_a_password_change_revokes_the_users_keys(client_for, alice):
    _, key = make_key(alice)
    response = client_for(alice).post(
        "/api/auth/password/",
        {"old_password": password_of("alice"), "new_password": NEW_PASSWORD},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert with_key(key).get("/api/jobs/").status_code == 401
    assert not ApiKey.objects.filter(user=alice).exists()


def test_a_key_of_an_earlier_password_is_refused_whichever_way_it_changed(alice):
    """The admin, ensure_admin --reset-password, Django's changepassword: set_password + save."""
    api_key, key = make_key(alice)
    alice.set_password(NEW_PASSWORD)
    alice.save()
    assert with_key(key).get("/api/jobs/").status_code == 401
    assert not ApiKey.objects.filter(pk=api_key.pk).exists()


def test_the_last_use_is_noted_at_most_once_a_minute(alice):
    api_key, key = make_key(alice)
    assert api_key.last_used_at is None
    with_key(key).get("/api/jobs/")
    first = ApiKey.objects.get(pk=api_key.pk).last_used_at
    assert first is not None

    recently = timezone.now() - datetime.timedelta(seconds=30)
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=recently)
    with_key(key).get("/api/jobs/")
    assert ApiKey.objects.get(pk=api_key.pk).last_used_at == recently  # no write

    long_ago = timezone.now() - datetime.timedelta(minutes=2)
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=long_ago)
    with_key(key).get("/api/jobs/")
    assert ApiKey.objects.get(pk=api_key.pk).last_used_at > long_ago


def test_a_key_opens_the_artwork_as_a_jwt_does(alice, make_video):
    video = make_video("Army of Me")
    _, key = make_key(alice)
    # No artwork yet: a 404 for the key's user, not the login page.
    assert with_key(key).get(f"/videos/{video.pk}/artwork").status_code == 404
    assert with_key("nope").get(f"/videos/{video.pk}/artwork").status_code == 401


def test_jwt_and_session_still_work_beside_keys(client, alice):
    token = (
        APIClient()
        .post("/api/auth/token/", {"username": "alice", "password": password_of("alice")})
        .json()["access"]
    )
    bearer = APIClient()
    bearer.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert bearer.get("/api/jobs/").status_code == 200
    client.force_login(alice)
    assert client.get("/api/jobs/").status_code == 200

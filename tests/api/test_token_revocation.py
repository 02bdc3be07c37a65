"""A password change retires every token issued before it, whichever way it is changed."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken as PlainRefreshToken

from tests.support import make_user, password_of

NEW_PASSWORD = "a-fresh-Passphrase-204"


def obtain(username: str, password: str) -> dict:
    response = APIClient().post(
        "/api/auth/token/", {"username": username, "password": password}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def access_status(access: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client.get("/api/jobs/").status_code


def refresh_status(refresh: str) -> int:
    return (
        APIClient()
        .post("/api/auth/token/refresh/", {"refresh": refresh}, format="json")
        .status_code
    )


def change_in_code(user) -> None:
    user.set_password(NEW_PASSWORD)
    user.save()


def change_own_password_in_the_admin(user) -> None:
    """Django's PasswordChangeView (the admin's /admin/password_change/)."""
    browser = Client()
    browser.force_login(user)
    response = browser.post(
        "/admin/password_change/",
        {
            "old_password": password_of(user.username),
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302, response.content


def an_administrator_sets_it_in_the_admin(user) -> None:
    """The admin's user page (AdminPasswordChangeForm)."""
    browser = Client()
    browser.force_login(make_user("root", is_staff=True, is_superuser=True))
    response = browser.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content


@pytest.fixture
def staff_alice(alice):
    """The admin's own password change page is for staff."""
    alice.is_staff = True
    alice.save()
    return alice


@pytest.mark.parametrize(
    "change",
    [change_in_code, change_own_password_in_the_admin, an_administrator_sets_it_in_the_admin],
)
def test_a_password_change_retires_the_old_access_and_refresh_tokens(staff_alice, change):
    old = obtain("alice", password_of("alice"))
    assert access_status(old["access"]) == 200

    staff_alice.refresh_from_db()
    change(staff_alice)

    assert access_status(old["access"]) == 401
    assert refresh_status(old["refresh"]) == 401
    new = obtain("alice", NEW_PASSWORD)
    assert access_status(new["access"]) == 200
    assert refresh_status(new["refresh"]) == 200


def test_the_401_says_why_in_a_sentence(alice):
    old = obtain("alice", password_of("alice"))
    alice.set_password(NEW_PASSWORD)
    alice.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {old['access']}")
    response = client.get("/api/jobs/")
    assert response.json()["detail"] == (
        "This token was issued before the password changed; log in again."
    )


def test_tokens_survive_saves_that_leave_the_password_alone(alice):
    tokens = obtain("alice", password_of("alice"))
    alice.first_name = "Alice"
    alice.save()
    assert access_status(tokens["access"]) == 200
    assert refresh_status(tokens["refresh"]) == 200


def test_a_token_without_the_password_version_is_refused(alice):
    """Tokens minted by plain simplejwt (or before this check existed) no longer count."""
    plain = PlainRefreshToken.for_user(alice)
    assert access_status(str(plain.access_token)) == 401
    assert refresh_status(str(plain)) == 401


def test_the_refresh_token_of_a_deleted_user_is_a_401(alice):
    tokens = obtain("alice", password_of("alice"))
    alice.delete()
    assert refresh_status(tokens["refresh"]) == 401

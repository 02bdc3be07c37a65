"""The Account page (password, API keys) and the Users pages (staff), and the one-time
password that is changed before any other page opens."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.test import APIClient

from accounts.keys import api_key_create
from accounts.models import ApiKey
from tests.support import password_of

NEW_PASSWORD = "a-fresh-Passphrase-204"


@pytest.fixture
def logged_in(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.mark.parametrize("url", ["/account/", "/account/password/", "/users/", "/users/1/"])
def test_an_anonymous_visitor_is_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_user_name_in_the_header_leads_to_the_account_page(logged_in, alice):
    page = logged_in(alice).get("/").content.decode()
    assert 'href="/account/"' in page
    assert 'href="/users/"' not in page  # not staff


def test_a_key_made_on_the_account_page_is_shown_once_and_works(logged_in, alice):
    browser = logged_in(alice)
    response = browser.post("/account/keys/", {"name": "backup script"})
    assert response.status_code == 201
    api_key = ApiKey.objects.get(user=alice)
    key = response.context["new_key"]["key"]
    page = response.content.decode()
    assert key in page and "not shown again" in page

    again = browser.get("/account/").content.decode()
    assert key not in again
    assert "backup script" in again and f"{api_key.prefix}…" in again

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/jobs/").status_code == 200


def test_a_key_without_a_name_is_refused_next_to_the_field(logged_in, alice):
    response = logged_in(alice).post("/account/keys/", {"name": "  "})
    assert response.status_code == 400
    assert "Give the key a name" in response.content.decode()
    assert not ApiKey.objects.exists()


def test_a_key_is_revoked_from_the_account_page(logged_in, alice):
    api_key, key = api_key_create(user=alice, name="cron")
    response = logged_in(alice).post(f"/account/keys/{api_key.pk}/revoke/", follow=True)
    assert "Revoked the API key “cron”" in response.content.decode()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/jobs/").status_code == 401


def test_another_users_key_is_not_revocable_by_a_user(logged_in, alice, bob):
    api_key, _ = api_key_create(user=alice, name="cron")
    assert logged_in(bob).post(f"/account/keys/{api_key.pk}/revoke/").status_code == 404
    assert ApiKey.objects.filter(pk=api_key.pk).exists()


def test_a_password_change_keeps_this_browser_signed_in_and_revokes_the_keys(logged_in, alice):
    api_key_create(user=alice, name="cron")
    browser = logged_in(alice)
    response = browser.post(
        "/account/password/",
        {
            "old_password": password_of("alice"),
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302 and response["Location"] == "/account/"
    assert browser.get("/account/").status_code == 200
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert not ApiKey.objects.filter(user=alice).exists()


@pytest.mark.parametrize(
    ("form", "sentence"),
    [
        ({"old_password": "wrong"}, "The current password is wrong."),
        ({"new_password": "a-1", "new_password_again": "a-1"}, "too short"),
        ({"new_password_again": "something-else-42"}, "The two new passwords differ"),
    ],
)
def test_a_refused_password_change_says_why(logged_in, alice, form, sentence):
    data = {
        "old_password": password_of("alice"),
        "new_password": NEW_PASSWORD,
        "new_password_again": NEW_PASSWORD,
        **form,
    }
    response = logged_in(alice).post("/account/password/", data)
    assert response.status_code == 400
    assert sentence in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(password_of("alice"))


# --- users (staff) ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/users/"),
        ("post", "/users/"),
        ("get", "/users/{bob}/"),
        ("post", "/users/{bob}/staff/"),
        ("post", "/users/{bob}/active/"),
        ("post", "/users/{bob}/reset-password/"),
    ],
)
def test_the_users_pages_are_for_staff(logged_in, alice, bob, method, url):
    response = getattr(logged_in(alice), method)(url.format(bob=bob.pk), {"username": "x"})
    assert response.status_code == 403
    assert not get_user_model().objects.filter(username="x").exists()


def test_staff_add_a_user_and_see_the_one_time_password_once(logged_in, boss):
    response = logged_in(boss).post("/users/", {"username": "carol", "is_staff": "on"})
    assert response.status_code == 201
    password = response.context["created"]["password"]
    assert password in response.content.decode()
    carol = get_user_model().objects.get(username="carol")
    assert carol.is_staff and carol.check_password(password)
    assert password not in logged_in(boss).get("/users/").content.decode()


def test_a_taken_username_is_refused_next_to_the_field(logged_in, boss, alice):
    response = logged_in(boss).post("/users/", {"username": "Alice"})
    assert response.status_code == 400
    assert "There is already a user called “Alice”" in response.content.decode()


def test_the_first_login_with_a_one_time_password_forces_a_change_first(client, logged_in, boss):
    password = logged_in(boss).post("/users/", {"username": "carol"}).context["created"]["password"]
    client.logout()
    response = client.post("/accounts/login/", {"username": "carol", "password": password})
    assert response.status_code == 302
    for url in ("/", "/account/", "/jobs/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/account/password/", url
    page = client.get("/account/password/")
    assert page.status_code == 200
    assert "one-time password" in page.content.decode()

    response = client.post(
        "/account/password/",
        {
            "old_password": password,
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert client.get("/account/").status_code == 200


def test_staff_toggle_staff_deactivate_and_reactivate(logged_in, boss, alice):
    browser = logged_in(boss)
    api_key_create(user=alice, name="cron")
    browser.post(f"/users/{alice.pk}/staff/", {"is_staff": "true"})
    alice.refresh_from_db()
    assert alice.is_staff

    response = browser.post(f"/users/{alice.pk}/active/", {"is_active": "false"}, follow=True)
    assert "Deactivated alice" in response.content.decode()
    alice.refresh_from_db()
    assert not alice.is_active
    assert not ApiKey.objects.filter(user=alice).exists()

    browser.post(f"/users/{alice.pk}/active/", {"is_active": "true"})
    alice.refresh_from_db()
    assert alice.is_active


def test_a_deactivated_users_session_stops_working(client, logged_in, boss, alice):
    alices = Client()
    alices.force_login(alice)
    assert alices.get("/").status_code == 200
    logged_in(boss).post(f"/users/{alice.pk}/active/", {"is_active": "false"})
    response = alices.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_staff_cannot_deactivate_or_unstaff_themselves(logged_in, boss):
    browser = logged_in(boss)
    page = browser.get(f"/users/{boss.pk}/").content.decode()
    assert "Deactivate" not in page  # no button for oneself
    response = browser.post(f"/users/{boss.pk}/active/", {"is_active": "false"}, follow=True)
    assert "You cannot deactivate your own account" in response.content.decode()
    response = browser.post(f"/users/{boss.pk}/staff/", {"is_staff": "false"}, follow=True)
    assert "You cannot take away your own staff status" in response.content.decode()
    boss.refresh_from_db()
    assert boss.is_active and boss.is_staff


def test_staff_see_and_revoke_a_users_keys(logged_in, boss, alice):
    api_key, _ = api_key_create(user=alice, name="cron")
    browser = logged_in(boss)
    page = browser.get(f"/users/{alice.pk}/").content.decode()
    assert "cron" in page and f"{api_key.prefix}…" in page
    response = browser.post(f"/account/keys/{api_key.pk}/revoke/")
    assert response.status_code == 302 and response["Location"] == f"/users/{alice.pk}/"
    assert not ApiKey.objects.filter(pk=api_key.pk).exists()


def test_a_reset_shows_a_new_one_time_password_once(logged_in, boss, alice):
    response = logged_in(boss).post(f"/users/{alice.pk}/reset-password/")
    assert response.status_code == 200
    password = response.context["new_password"]
    alice.refresh_from_db()
    assert alice.check_password(password)
    assert "must change a one-time password" in response.content.decode()


def test_an_unknown_user_is_a_404(logged_in, boss):
    assert logged_in(boss).get("/users/31337/").status_code == 404


def test_guessing_the_current_password_on_the_page_is_throttled(logged_in, alice, settings):
    settings.LOGIN_ACCOUNT_FAILURES = 2
    browser = logged_in(alice)
    form = {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}
    for _ in range(2):
        response = browser.post("/account/password/", {**form, "old_password": "guess"})
        assert response.status_code == 400
    response = browser.post("/account/password/", {**form, "old_password": password_of("alice")})
    assert response.status_code == 429
    assert "Too many failed logins for this account" in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(password_of("alice"))

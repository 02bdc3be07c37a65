"""API keys in the admin: listed with prefix, name, user and last use, revocable, the key
never shown; deactivating a user in the admin revokes their keys."""

from __future__ import annotations

from django.test import Client

from accounts.keys import api_key_create
from accounts.models import ApiKey


def admin_client(root) -> Client:
    client = Client()
    client.force_login(root)
    return client


def test_the_keys_are_listed_without_their_secret(root, alice):
    api_key, key = api_key_create(user=alice, name="cron")
    page = admin_client(root).get("/admin/accounts/apikey/").content.decode()
    assert "cron" in page and f"{api_key.prefix}…" in page and "alice" in page
    assert key not in page and api_key.key_hash not in page
    detail = admin_client(root).get(f"/admin/accounts/apikey/{api_key.pk}/change/")
    assert detail.status_code == 200
    assert key not in detail.content.decode() and api_key.key_hash not in detail.content.decode()


def test_a_key_is_revoked_in_the_admin(root, alice):
    api_key, _ = api_key_create(user=alice, name="cron")
    response = admin_client(root).post(
        f"/admin/accounts/apikey/{api_key.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not ApiKey.objects.filter(pk=api_key.pk).exists()


def test_no_key_is_added_in_the_admin(root):
    assert admin_client(root).get("/admin/accounts/apikey/add/").status_code == 403


def test_deactivating_a_user_in_the_admin_revokes_their_keys(root, alice):
    api_key_create(user=alice, name="cron")
    page = admin_client(root).get(f"/admin/auth/user/{alice.pk}/change/")
    form = page.context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and key not in ("password", "is_active", "groups", "user_permissions")
    }
    data.update(
        {
            "date_joined_0": alice.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": alice.date_joined.strftime("%H:%M:%S"),
        }
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    response = admin_client(root).post(f"/admin/auth/user/{alice.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    alice.refresh_from_db()
    assert not alice.is_active
    assert not ApiKey.objects.filter(user=alice).exists()

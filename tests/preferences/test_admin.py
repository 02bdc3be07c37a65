"""Settings in the admin: stored through the service, refused with the spec's sentence, a
secret's value never shown, a setting from the environment refused with where it comes from."""

from __future__ import annotations

import pytest
from django.urls import reverse

from preferences.models import Setting
from preferences.registry import SettingSpec, registry
from preferences.selectors import setting_get
from preferences.validators import text

SECRET = "s3cr3t-token-value"


@pytest.fixture
def secret_spec(monkeypatch):
    spec = SettingSpec(
        key="test.token",
        label="A token",
        default="",
        validate=text(max_length=100, allow_blank=True),
        secret=True,
    )
    monkeypatch.setitem(registry(), spec.key, spec)
    return spec


def test_staff_add_a_setting_through_the_service(admin_client, admin_user):
    response = admin_client.post(
        reverse("admin:preferences_setting_add"), {"key": "sidecars.tags", "value": "true"}
    )
    assert response.status_code == 302
    assert setting_get("sidecars.tags") is True
    assert Setting.objects.get(key="sidecars.tags").updated_by == admin_user


def test_a_value_the_setting_refuses_is_shown_on_the_form_and_not_stored(admin_client):
    response = admin_client.post(
        reverse("admin:preferences_setting_add"), {"key": "sidecars.tags", "value": "perhaps"}
    )
    assert response.status_code == 200
    assert "Write true or false (1/0, yes/no), not &#x27;perhaps&#x27;." in response.text
    assert not Setting.objects.exists()


def test_a_setting_from_the_environment_is_refused_with_its_variable(admin_client, monkeypatch):
    monkeypatch.setenv("MVIDARR_NAMING_FILE", "{title}")
    response = admin_client.post(
        reverse("admin:preferences_setting_add"), {"key": "naming.file", "value": "{artist}"}
    )
    assert response.status_code == 200
    assert "set in the environment (MVIDARR_NAMING_FILE)" in response.text
    assert not Setting.objects.exists()


def test_the_list_shows_values_and_where_they_come_from(admin_client, monkeypatch):
    Setting.objects.create(key="naming.file", value="{title} ({year})")
    Setting.objects.create(key="sidecars.nfo", value=False)
    monkeypatch.setenv("MVIDARR_SIDECARS_NFO", "true")
    page = admin_client.get(reverse("admin:preferences_setting_changelist")).text
    assert "{title} ({year})" in page
    assert "environment (MVIDARR_SIDECARS_NFO)" in page


def test_a_secret_is_never_shown_and_kept_when_left_empty(admin_client, secret_spec):
    Setting.objects.create(key="test.token", value=SECRET)
    assert SECRET not in admin_client.get(reverse("admin:preferences_setting_changelist")).text
    change = reverse("admin:preferences_setting_change", args=["test.token"])
    assert SECRET not in admin_client.get(change).text

    response = admin_client.post(change, {"key": "test.token", "value": ""})
    assert response.status_code == 302
    assert setting_get("test.token") == SECRET


def test_deleting_a_setting_brings_its_default_back(admin_client):
    Setting.objects.create(key="sidecars.thumb", value=False)
    response = admin_client.post(
        reverse("admin:preferences_setting_delete", args=["sidecars.thumb"]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert setting_get("sidecars.thumb") is True


def test_others_than_staff_cannot_open_the_settings(client, alice):
    client.force_login(alice)
    response = client.get(reverse("admin:preferences_setting_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_every_setting_is_listed_with_its_value_in_effect_and_source(
    admin_client, monkeypatch, secret_spec
):
    monkeypatch.setenv("MVIDARR_SIDECARS_TAGS", "on")
    Setting.objects.create(key="test.token", value=SECRET)
    page = admin_client.get(reverse("admin:preferences_setting_changelist")).text
    table = page[page.index('id="settings-in-effect"') :]
    tags = table[table.index('data-setting="sidecars.tags"') :]
    assert "<td>true</td>" in tags[: tags.index("</tr>")]
    assert "environment (MVIDARR_SIDECARS_TAGS) (read-only)" in tags[: tags.index("</tr>")]
    file = table[table.index('data-setting="naming.file"') :]
    assert "<td>{title} [{source_id}]</td>\n        <td>default</td>" in file[: file.index("</tr>")]
    assert SECRET not in page

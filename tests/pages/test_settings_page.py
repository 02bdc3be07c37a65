"""The settings page (/settings/, staff): each general setting saved, refused with its
sentence and shown read-only when the environment sets it; the cookies file uploaded,
refused and removed, never shown; links to the other settings pages."""

from __future__ import annotations

from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jobs.settings_forms import GeneralSettingsForm
from preferences.selectors import setting_get
from videos.models import QualityProfile

pytestmark = pytest.mark.django_db

PAGE = "/settings/"
COOKIE_TEXT = "# Netscape HTTP Cookie File\n.example.com\tTRUE\t/\tTRUE\t0\tSID\tvery-secret\n"

# key → (a valid form value, what is stored, an invalid form value, a phrase of its sentence,
# the variable that locks it)
CASES = {
    "downloads.per_worker": (
        "3",
        3,
        "99",
        "MVIDARR_WORKER_THREADS",
        "MVIDARR_DOWNLOADS_PER_WORKER",
    ),
    "downloads.per_site": ("1", 1, "0", "from 1 to", "MVIDARR_PER_HOST_LIMIT"),
    "downloads.min_free_mb": ("1024", 1024, "-5", "from 0 to", "MVIDARR_MIN_FREE_MB"),
    "jobs.retention_days": ("90", 90, "0", "from 1 to", "MVIDARR_JOB_RETENTION_DAYS"),
    "jobs.housekeeping_cron": (
        "15 4 * * *",
        "15 4 * * *",
        "every day",
        "five fields",
        "MVIDARR_HOUSEKEEPING_CRON",
    ),
    "downloads.proxy": (
        "http://proxy.lan:3128",
        "http://proxy.lan:3128",
        "proxy.lan",
        "http://host:port",
        "YTDLP_PROXY",
    ),
}


@pytest.fixture(autouse=True)
def no_environment(monkeypatch):
    for *_, variable in CASES.values():
        monkeypatch.delenv(variable, raising=False)


def body(response) -> str:
    return unescape(response.content.decode())


def form_data(**changes) -> dict:
    """What the page's form posts: every setting as shown now, with ``changes``."""
    form = GeneralSettingsForm()
    data = {name: form[name].value() for name, field in form.fields.items() if not field.disabled}
    data = {name: "" if value is None else value for name, value in data.items()}
    data.update(changes)
    return data


def test_the_page_is_for_staff(client, logged_in, alice):
    assert client.get(PAGE).status_code == 302  # to the login page
    assert logged_in(alice).get(PAGE).status_code == 403
    assert logged_in(alice).post(PAGE, form_data()).status_code == 403


def test_staff_see_every_setting_and_the_links_to_the_other_settings(logged_in, boss):
    response = logged_in(boss).get(PAGE)

    text = body(response)
    assert response.status_code == 200
    for label in (
        "Default quality profile",
        "Downloads at once per worker",
        "Downloads at once per site",
        "Minimum free space (MB)",
        "Keep finished jobs and history (days)",
        "Housekeeping schedule (crontab)",
        "Proxy for downloads",
        "Cookies file",
    ):
        assert label in text
    for link in ("/settings/naming/", "/settings/providers/", "/connections/", "/profiles/"):
        assert f'href="{link}"' in text
    assert 'href="/settings/" aria-current="page">Settings</a>' in text


@pytest.mark.parametrize("key", list(CASES))
def test_a_valid_setting_is_saved(logged_in, boss, key):
    shown, stored = CASES[key][0], CASES[key][1]

    response = logged_in(boss).post(PAGE, form_data(**{key: shown}), follow=True)

    assert response.status_code == 200
    assert "Saved the settings" in body(response)
    assert setting_get(key) == stored


@pytest.mark.parametrize("key", list(CASES))
def test_an_invalid_setting_is_refused_with_its_sentence(logged_in, boss, key):
    invalid, phrase = CASES[key][2], CASES[key][3]

    other = "jobs.retention_days" if key != "jobs.retention_days" else "downloads.per_site"
    response = logged_in(boss).post(PAGE, form_data(**{key: invalid, other: "2"}))

    assert response.status_code == 400
    assert phrase in body(response)
    assert setting_get(other) != 2  # nothing saved


@pytest.mark.parametrize("key", list(CASES))
def test_a_setting_from_the_environment_is_read_only_and_says_where(
    logged_in, boss, monkeypatch, key
):
    stored, variable = CASES[key][1], CASES[key][4]
    monkeypatch.setenv(variable, str(stored))

    text = body(logged_in(boss).get(PAGE))
    saved = logged_in(boss).post(PAGE, form_data(**{key: "1234"}), follow=True)

    assert f"Set in the environment ({variable}): change it there." in text
    assert saved.status_code == 200
    assert setting_get(key) == stored


def test_the_default_profile_is_chosen(logged_in, boss, default_profile):
    other = QualityProfile.objects.create(name="Small", qualities=["480p"])

    logged_in(boss).post(PAGE, form_data(default_profile=str(other.pk)))

    assert QualityProfile.objects.get(is_default=True) == other


def test_the_cookies_file_is_uploaded_never_shown_and_removed(logged_in, boss):
    client = logged_in(boss)
    upload = SimpleUploadedFile("cookies.txt", COOKIE_TEXT.encode(), "text/plain")

    uploaded = client.post("/settings/cookies/", {"file": upload}, follow=True)
    assert "Saved the cookies file" in body(uploaded)
    assert 'data-cookies-state="set"' in body(uploaded)
    assert "very-secret" not in body(uploaded)

    removed = client.post("/settings/cookies/remove/", follow=True)
    assert 'data-cookies-state="not set"' in body(removed)
    assert setting_get("downloads.cookies") == ""


def test_the_admin_never_shows_the_cookies(logged_in, root):
    client = logged_in(root)
    upload = SimpleUploadedFile("cookies.txt", COOKIE_TEXT.encode(), "text/plain")
    client.post("/settings/cookies/", {"file": upload})

    listed = client.get("/admin/preferences/setting/")
    row = client.get("/admin/preferences/setting/downloads.cookies/change/")

    assert listed.status_code == row.status_code == 200
    assert "downloads.cookies" in body(listed) and "••••••" in body(listed)
    assert "very-secret" not in body(listed) + body(row)


def test_a_file_that_is_not_cookies_is_refused_with_a_sentence(logged_in, boss):
    upload = SimpleUploadedFile("notes.txt", b"remember the milk\n", "text/plain")

    response = logged_in(boss).post("/settings/cookies/", {"file": upload})

    assert response.status_code == 400
    assert "Line 1 is not a cookie" in body(response)
    assert setting_get("downloads.cookies") == ""


def test_cookies_named_by_the_environment_are_read_only(logged_in, boss, settings):
    settings.YTDLP_COOKIES_FILE = "/run/secrets/cookies.txt"

    text = body(logged_in(boss).get(PAGE))

    assert "Set in the environment (YTDLP_COOKIES_FILE): change it there." in text
    assert 'id="cookies-form"' not in text
    assert "/run/secrets/cookies.txt" not in text

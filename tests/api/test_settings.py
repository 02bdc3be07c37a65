"""/api/settings/ and /api/settings/cookies: the general settings (staff), each valid,
invalid (a sentence) and locked by the environment; the cookies file never served back."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from preferences.selectors import setting_get
from videos.models import QualityProfile

pytestmark = pytest.mark.django_db

SETTINGS = "/api/settings/"
COOKIES = "/api/settings/cookies"
COOKIE_TEXT = (
    "# Netscape HTTP Cookie File\n"
    ".media.example\tTRUE\t/\tTRUE\t2147483647\tSID\tsecret-session-value\n"
)

# key → (a valid value, an invalid value, a phrase of the sentence, the variable that locks it)
CASES = {
    "downloads.per_worker": (2, 10_000, "MVIDARR_WORKER_THREADS", "MVIDARR_DOWNLOADS_PER_WORKER"),
    "downloads.per_site": (1, 0, "from 1 to", "MVIDARR_PER_HOST_LIMIT"),
    "downloads.min_free_mb": (2048, -1, "from 0 to", "MVIDARR_MIN_FREE_MB"),
    "jobs.retention_days": (7, 0, "from 1 to", "MVIDARR_JOB_RETENTION_DAYS"),
    "jobs.housekeeping_cron": ("0 3 * * sun", "0 3 * * 0", "day of the week", None),
    "downloads.proxy": ("socks5://127.0.0.1:1080", "ftp://proxy:21", "http://host:port", None),
}
CASES["jobs.housekeeping_cron"] = (
    *CASES["jobs.housekeeping_cron"][:3],
    "MVIDARR_HOUSEKEEPING_CRON",
)
CASES["downloads.proxy"] = (*CASES["downloads.proxy"][:3], "YTDLP_PROXY")


@pytest.fixture(autouse=True)
def no_environment(monkeypatch):
    """None of the general settings comes from the environment unless a test says so."""
    for *_, variable in CASES.values():
        monkeypatch.delenv(variable, raising=False)


def rows(response) -> dict:
    return {row["key"]: row for row in response.json()["settings"]}


def test_staff_read_every_general_setting_with_its_source(client_for, boss):
    response = client_for(boss).get(SETTINGS)

    assert response.status_code == 200
    body = response.json()
    assert list(rows(response)) == list(CASES)
    assert rows(response)["downloads.per_site"] == {
        "key": "downloads.per_site",
        "label": "Downloads at once per site",
        "value": 4,
        "default": 4,
        "help": "Downloads and indexes from one site at the same time, over every worker.",
        "source": "default",
        "read_only": False,
    }
    assert body["cookies"] == {
        "is_set": False,
        "updated_at": None,
        "source": "default",
        "read_only": False,
    }
    assert body["default_profile"]["name"]


def test_the_settings_need_a_sign_in(client_for):
    assert client_for().get(SETTINGS).status_code == 401
    assert client_for().patch(SETTINGS, {"downloads.per_site": 1}, format="json").status_code == 401
    assert client_for().delete(COOKIES).status_code == 401


def test_the_settings_are_for_staff_only(api):
    assert api.get(SETTINGS).status_code == 403
    assert api.patch(SETTINGS, {"downloads.per_site": 1}, format="json").status_code == 403
    upload = SimpleUploadedFile("cookies.txt", COOKIE_TEXT.encode())
    assert api.put(COOKIES, {"file": upload}, format="multipart").status_code == 403
    assert setting_get("downloads.per_site") == 4


@pytest.mark.parametrize("key", list(CASES))
def test_a_valid_value_is_stored_and_in_effect_at_once(client_for, boss, key):
    valid = CASES[key][0]

    response = client_for(boss).patch(SETTINGS, {key: valid}, format="json")

    assert response.status_code == 200, response.json()
    assert rows(response)[key]["value"] == valid
    assert rows(response)[key]["source"] == "settings"
    assert setting_get(key) == valid


@pytest.mark.parametrize("key", list(CASES))
def test_an_invalid_value_is_refused_with_a_sentence_and_nothing_stored(client_for, boss, key):
    invalid, phrase = CASES[key][1], CASES[key][2]

    response = client_for(boss).patch(
        SETTINGS, {"downloads.per_site": 2, key: invalid}, format="json"
    )

    assert response.status_code == 400
    [sentence] = response.json()[key]
    assert phrase in sentence and sentence.endswith(".")
    assert setting_get("downloads.per_site") == 4  # all or nothing


@pytest.mark.parametrize("key", list(CASES))
def test_a_setting_from_the_environment_is_shown_read_only(client_for, boss, monkeypatch, key):
    valid, variable = CASES[key][0], CASES[key][3]
    monkeypatch.setenv(variable, str(valid))

    shown = rows(client_for(boss).get(SETTINGS))[key]
    refused = client_for(boss).patch(SETTINGS, {key: valid}, format="json")

    assert (shown["value"], shown["source"], shown["read_only"]) == (
        valid,
        f"environment ({variable})",
        True,
    )
    assert refused.status_code == 400
    assert f"set in the environment ({variable})" in refused.json()[key][0]


def test_an_unknown_key_or_a_body_that_is_not_an_object_is_a_400(client_for, boss):
    unknown = client_for(boss).patch(SETTINGS, {"downloads.per_sight": 1}, format="json")
    listed = client_for(boss).patch(SETTINGS, [1], format="json")

    assert unknown.status_code == 400
    assert (
        "There is no general setting 'downloads.per_sight'"
        in unknown.json()["downloads.per_sight"][0]
    )
    assert listed.status_code == 400


def test_the_default_quality_profile_is_chosen_by_its_id(client_for, boss, default_profile):
    other = QualityProfile.objects.create(name="Small", qualities=["480p"])

    chosen = client_for(boss).patch(SETTINGS, {"default_profile": other.pk}, format="json")
    missing = client_for(boss).patch(SETTINGS, {"default_profile": 999_999}, format="json")

    assert chosen.status_code == 200
    assert chosen.json()["default_profile"] == {"id": other.pk, "name": "Small"}
    assert QualityProfile.objects.get(is_default=True) == other
    assert missing.status_code == 400
    assert "There is no quality profile #999999" in missing.json()["default_profile"][0]


def test_the_cookies_file_is_uploaded_and_never_served_back(client_for, boss):
    upload = SimpleUploadedFile("cookies.txt", COOKIE_TEXT.encode(), "text/plain")

    response = client_for(boss).put(COOKIES, {"file": upload}, format="multipart")
    shown = client_for(boss).get(SETTINGS)

    assert response.status_code == 200
    assert response.json()["is_set"] is True and response.json()["updated_at"]
    assert shown.json()["cookies"]["is_set"] is True
    for answer in (response, shown):
        assert b"secret-session-value" not in answer.content
    assert setting_get("downloads.cookies") == COOKIE_TEXT


def test_a_file_that_is_not_netscape_cookies_is_refused_with_a_sentence(client_for, boss):
    upload = SimpleUploadedFile("cookies.json", b'{"SID": "x"}\n', "application/json")

    response = client_for(boss).put(COOKIES, {"file": upload}, format="multipart")

    assert response.status_code == 400
    assert response.json()["file"] == [
        "Line 1 is not a cookie: a Netscape cookies file has seven fields separated by tabs "
        "on each line, this one has 1. Export the file again in the Netscape (cookies.txt) "
        "format."
    ]
    assert setting_get("downloads.cookies") == ""


def test_a_cookies_file_too_large_or_missing_is_a_400(client_for, boss):
    big = SimpleUploadedFile("cookies.txt", b"#" * (600 * 1024))

    too_large = client_for(boss).put(COOKIES, {"file": big}, format="multipart")
    missing = client_for(boss).put(COOKIES, {}, format="multipart")

    assert too_large.status_code == 400
    assert "larger than 512 KB" in too_large.json()["file"][0]
    assert missing.status_code == 400 and "file" in missing.json()


def test_the_cookies_file_is_removed(client_for, boss):
    upload = SimpleUploadedFile("cookies.txt", COOKIE_TEXT.encode())
    client_for(boss).put(COOKIES, {"file": upload}, format="multipart")

    response = client_for(boss).delete(COOKIES)

    assert response.status_code == 200
    assert response.json()["is_set"] is False
    assert setting_get("downloads.cookies") == ""


def test_a_cookies_file_named_by_the_environment_is_read_only(client_for, boss, settings):
    settings.YTDLP_COOKIES_FILE = "/etc/mvidarr/cookies.txt"
    upload = SimpleUploadedFile("cookies.txt", COOKIE_TEXT.encode())

    shown = client_for(boss).get(SETTINGS).json()["cookies"]
    refused = client_for(boss).put(COOKIES, {"file": upload}, format="multipart")

    assert shown == {
        "is_set": True,
        "updated_at": None,
        "source": "environment (YTDLP_COOKIES_FILE)",
        "read_only": True,
    }
    assert refused.status_code == 400
    assert "(YTDLP_COOKIES_FILE)" in refused.json()["file"][0]

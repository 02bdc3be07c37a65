"""/api/connections/: staff only, each kind's settings checked with a sentence, secrets
write-only, and a test answered at once with the job that sends it."""

from __future__ import annotations

import pytest

from connections.models import Connection
from jobs.models import Job

WEBHOOK = {
    "kind": "webhook",
    "name": "Home automation",
    "settings": {"url": "http://192.168.1.20:8123/hook", "secret": "s3cret"},
    "events": ["Grab", "Download"],
}


@pytest.fixture
def staff(client_for, boss):
    return client_for(boss)


@pytest.fixture
def webhook(db) -> Connection:
    return Connection.objects.create(
        kind="webhook",
        name="Hook",
        settings={"url": "http://127.0.0.1:9/hook", "secret": "hush"},
        events=["Download"],
    )


@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/api/connections/"),
        ("post", "/api/connections/"),
        ("get", "/api/connections/1/"),
        ("patch", "/api/connections/1/"),
        ("delete", "/api/connections/1/"),
        ("post", "/api/connections/1/test"),
    ],
)
def test_connections_need_a_signed_in_member_of_staff(client_for, alice, method, path):
    assert getattr(client_for(None), method)(path, {}, format="json").status_code == 401
    answer = getattr(client_for(alice), method)(path, {}, format="json")
    assert answer.status_code == 403
    assert answer.json()["detail"] == "Only staff can see and change the connections."


def test_a_webhook_is_added_and_its_secret_is_never_shown_back(staff):
    answer = staff.post("/api/connections/", WEBHOOK, format="json")
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["settings"] == {"url": "http://192.168.1.20:8123/hook"}
    assert body["secrets_set"] == ["secret"]
    assert "s3cret" not in str(staff.get(f"/api/connections/{body['id']}/").json())
    assert "s3cret" not in str(staff.get("/api/connections/").json())
    assert Connection.objects.get().settings["secret"] == "s3cret"


def test_a_change_that_leaves_the_secret_out_keeps_it_and_an_empty_one_clears_it(staff, webhook):
    path = f"/api/connections/{webhook.pk}/"
    answer = staff.patch(path, {"settings": {"url": "http://10.0.0.5/h"}}, format="json")
    assert answer.status_code == 200, answer.json()
    webhook.refresh_from_db()
    assert webhook.settings == {"url": "http://10.0.0.5/h", "secret": "hush"}
    answer = staff.patch(path, {"settings": {"secret": ""}, "events": []}, format="json")
    assert answer.json()["secrets_set"] == [] and answer.json()["events"] == []
    webhook.refresh_from_db()
    assert webhook.settings["secret"] == "" and webhook.settings["url"] == "http://10.0.0.5/h"


@pytest.mark.parametrize(
    "body,field,sentence",
    [
        ({**WEBHOOK, "kind": "carrier-pigeon"}, "kind", "Unknown kind “carrier-pigeon”"),
        ({**WEBHOOK, "settings": {}}, "settings", "A webhook connection needs its url (url)."),
        (
            {**WEBHOOK, "settings": {"url": "ftp://example.com/x"}},
            "settings",
            "URL (url) must be an http:// or https:// address with a host.",
        ),
        (
            {**WEBHOOK, "settings": {"url": "http://h/", "token": "x"}},
            "settings",
            "A webhook connection has no setting token; its settings are secret, url.",
        ),
        ({**WEBHOOK, "events": ["Grab", "Explode"]}, "events", "Unknown event Explode"),
        (
            {"kind": "plex", "name": "Plex", "settings": {"url": "http://plex:32400", "token": "t",
             "section_id": "music"}},
            "settings",
            "Library section id (section_id) must be a whole number.",
        ),
        (
            {"kind": "plex", "name": "Plex", "settings": {"url": "http://plex:32400",
             "section_id": 3}},
            "settings",
            "A plex connection needs its x-plex-token (token).",
        ),
        (
            {"kind": "jellyfin", "name": "J", "settings": {"url": "http://j:8096", "api_key": "k"},
             "events": ["Grab"]},
            "events",
            "Unknown event Grab for a jellyfin connection; choose from Download, Rename, "
            "VideoDelete.",
        ),
        (
            {"kind": "jellyfin", "name": "J", "settings": {"url": "http://j:8096", "api_key": "k",
             "mode": "sometimes"}},
            "settings",
            "Refresh (mode) must be one of updated, full.",
        ),
        (
            {"kind": "apprise", "name": "A", "settings": {"urls": ["nonsense://x"]}},
            "settings",
            "“nonsense://…” is not an Apprise URL Apprise knows",
        ),
        ({**WEBHOOK, "name": "  "}, "name", "Give the connection a name."),
    ],
)  # fmt: skip
def test_bad_settings_are_refused_with_a_sentence_and_nothing_is_saved(
    staff, body, field, sentence
):
    answer = staff.post("/api/connections/", body, format="json")
    assert answer.status_code == 400
    assert sentence in answer.json()[field][0]
    assert not Connection.objects.exists()


def test_a_taken_name_and_a_change_of_kind_are_refused(staff, webhook):
    answer = staff.post("/api/connections/", {**WEBHOOK, "name": "Hook"}, format="json")
    assert answer.status_code == 400
    assert answer.json()["name"] == ["A connection is already called “Hook”; choose another name."]
    answer = staff.patch(f"/api/connections/{webhook.pk}/", {"kind": "plex"}, format="json")
    assert answer.status_code == 400
    assert "kind cannot change" in answer.json()["kind"][0]


def test_a_bad_change_leaves_the_connection_as_it_was(staff, webhook):
    answer = staff.patch(
        f"/api/connections/{webhook.pk}/",
        {"name": "Renamed", "settings": {"url": "gopher://x"}},
        format="json",
    )
    assert answer.status_code == 400
    webhook.refresh_from_db()
    assert webhook.name == "Hook" and webhook.settings["url"] == "http://127.0.0.1:9/hook"


def test_an_unknown_connection_is_404(staff):
    assert staff.get("/api/connections/999/").status_code == 404
    assert staff.post("/api/connections/999/test").status_code == 404


def test_a_connection_is_deleted(staff, webhook):
    assert staff.delete(f"/api/connections/{webhook.pk}/").status_code == 204
    assert not Connection.objects.exists()


def test_test_answers_202_with_the_job_that_sends_it_without_waiting(staff, webhook, boss):
    answer = staff.post(f"/api/connections/{webhook.pk}/test")
    assert answer.status_code == 202
    job = Job.objects.get(pk=answer.json()["id"])
    assert answer.json()["kind"] == "notify" and answer.json()["status"] == "queued"
    assert job.options["event"] == "Test" and job.options["connection"] == webhook.pk
    assert job.user == boss

"""The connections page (staff): the list with each one's last delivery, add and change forms
per kind with secrets never shown back, delete, and Test, which starts the job the page
follows."""

from __future__ import annotations

import pytest

from connections.models import Connection
from jobs.models import Job


@pytest.fixture
def hook(db) -> Connection:
    return Connection.objects.create(
        kind="webhook",
        name="Hook",
        settings={"url": "http://127.0.0.1:9/hook", "secret": "hush-hush"},
        events=["Download"],
        last_outcome="failed",
        last_event="Download",
        last_message="http://127.0.0.1:9/hook answered 410 Gone.",
    )


@pytest.mark.parametrize("url", ["/connections/", "/connections/add/", "/connections/1/"])
def test_an_anonymous_visitor_is_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "method,url",
    [
        ("get", "/connections/"),
        ("get", "/connections/add/?kind=webhook"),
        ("post", "/connections/1/test/"),
        ("post", "/connections/1/delete/"),
    ],
)
def test_a_user_who_is_not_staff_is_refused(logged_in, alice, hook, method, url):
    assert getattr(logged_in(alice), method)(url).status_code == 403


def test_the_nav_links_the_page_for_staff_only(logged_in, alice, boss):
    assert 'href="/connections/"' in logged_in(boss).get("/profiles/").content.decode()
    assert 'href="/connections/"' not in logged_in(alice).get("/profiles/").content.decode()


def test_the_list_shows_kind_events_and_last_outcome_but_never_a_secret(logged_in, boss, hook):
    body = logged_in(boss).get("/connections/").content.decode()
    assert "Hook" in body and "Webhook" in body and "Download" in body
    assert 'data-outcome="failed"' in body and "answered 410 Gone." in body
    assert f'data-refresh-for="connection:{hook.pk}"' in body
    assert "hush-hush" not in body


def test_a_webhook_is_added_from_its_form(logged_in, boss):
    client = logged_in(boss)
    assert "Apprise" in client.get("/connections/add/").content.decode()
    response = client.post(
        "/connections/add/?kind=webhook",
        {"name": "Home", "s_url": "http://10.0.0.2/h", "s_secret": "abc", "events": ["Grab"],
         "enabled": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    connection = Connection.objects.get()
    assert connection.settings == {"url": "http://10.0.0.2/h", "secret": "abc"}
    assert connection.events == ["Grab"] and connection.enabled


def test_a_bad_setting_is_refused_with_its_sentence_and_nothing_is_saved(logged_in, boss):
    response = logged_in(boss).post(
        "/connections/add/?kind=plex",
        {"name": "Plex", "s_url": "http://plex:32400", "s_token": "t", "s_section_id": "x"},
    )
    assert response.status_code == 400
    assert "Library section id (section_id) must be a whole number." in response.content.decode()
    assert not Connection.objects.exists()


def test_the_edit_form_shows_a_secret_as_set_keeps_it_when_empty_and_clears_it(
    logged_in, boss, hook
):
    client = logged_in(boss)
    body = client.get(f"/connections/{hook.pk}/").content.decode()
    assert "hush-hush" not in body and "Set (not shown)" in body
    form = {"name": "Hook", "s_url": "http://127.0.0.1:9/new", "s_secret": "", "events": []}
    assert client.post(f"/connections/{hook.pk}/", form).status_code == 302
    hook.refresh_from_db()
    assert hook.settings == {"url": "http://127.0.0.1:9/new", "secret": "hush-hush"}
    assert hook.events == [] and not hook.enabled
    client.post(f"/connections/{hook.pk}/", {**form, "clear_secret": "on"})
    hook.refresh_from_db()
    assert hook.settings["secret"] == ""


def test_test_starts_the_job_and_the_list_follows_it(logged_in, boss, hook):
    client = logged_in(boss)
    response = client.post(f"/connections/{hook.pk}/test/")
    job = Job.objects.get(kind="notify")
    assert response.status_code == 302
    assert response["Location"] == f"/connections/?job={job.pk}#connection-{hook.pk}"
    body = client.get(response["Location"]).content.decode()
    assert f'data-job-id="{job.pk}" data-job-field="status"' in body


def test_a_connection_is_deleted_from_the_page(logged_in, boss, hook):
    assert logged_in(boss).post(f"/connections/{hook.pk}/delete/").status_code == 302
    assert not Connection.objects.exists()

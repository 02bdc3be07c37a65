"""/api/jobs/: your own jobs (staff: all), and cancel / retry / hide in every state."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobs.models import Job
from videos.models import Video

Kind = Job.Kind
ALL_STATES = ["queued", "processing", "completed", "failed", "cancelled"]


def ids(response) -> list[int]:
    return [job["id"] for job in response.json()["results"]]


def test_a_user_lists_only_their_own_jobs_and_staff_list_all(
    client_for, alice, bob, boss, make_job
):
    mine = make_job(alice, "completed")
    theirs = make_job(bob, "completed")
    assert ids(client_for(alice).get("/api/jobs/")) == [mine.pk]
    assert ids(client_for(bob).get("/api/jobs/")) == [theirs.pk]
    assert ids(client_for(boss).get("/api/jobs/")) == [theirs.pk, mine.pk]


def test_jobs_are_filtered_by_status_and_kind(api, alice, make_job):
    failed = make_job(alice, "failed")
    make_job(alice, "completed")
    probe = make_job(alice, "queued", kind=Kind.METADATA_PROBE)
    assert ids(api.get("/api/jobs/", {"status": "failed"})) == [failed.pk]
    assert ids(api.get("/api/jobs/", {"kind": "metadata_probe"})) == [probe.pk]
    assert ids(api.get("/api/jobs/", {"kind": "video_download", "status": "queued"})) == []


@pytest.mark.parametrize(
    "query", [{"status": "done"}, {"kind": "upload"}, {"hidden": "perhaps"}, {"kind": "\x00"}]
)
def test_a_bad_job_filter_is_a_400_naming_it(api, db, query):
    response = api.get("/api/jobs/", query)
    assert response.status_code == 400
    assert set(response.json()) == set(query)


def test_hidden_jobs_are_listed_only_with_hidden_1(api, alice, make_job):
    shown = make_job(alice, "completed")
    hidden = make_job(alice, "completed", hidden=True)
    assert ids(api.get("/api/jobs/")) == [shown.pk]
    assert ids(api.get("/api/jobs/", {"hidden": "1"})) == [hidden.pk]


def test_a_bulk_jobs_downloads_are_its_items_not_list_entries(api, alice, make_job):
    bulk = make_job(alice, "processing", kind=Kind.BULK_VIDEO_DOWNLOAD)
    children = [make_job(alice, "queued", parent=bulk) for _ in range(2)]
    listed = api.get("/api/jobs/").json()["results"]
    assert [job["id"] for job in listed] == [bulk.pk]
    assert [item["id"] for item in listed[0]["items"]] == [c.pk for c in children]
    assert listed[0]["items"][0]["items"] is None


def test_a_job_is_shown_to_its_owner_and_staff_and_is_404_to_anyone_else(
    client_for, alice, bob, boss, make_job
):
    job = make_job(alice, "completed")
    assert client_for(alice).get(f"/api/jobs/{job.pk}/").json()["id"] == job.pk
    assert client_for(boss).get(f"/api/jobs/{job.pk}/").status_code == 200
    response = client_for(bob).get(f"/api/jobs/{job.pk}/")
    assert response.status_code == 404
    assert response.json()["detail"] == f"There is no job #{job.pk}."


def test_an_unknown_job_is_a_404(api, db):
    assert api.get("/api/jobs/31337/").status_code == 404
    assert api.post("/api/jobs/31337/cancel").status_code == 404


# --- cancel / retry / hide in every state ----------------------------------------------------
CANCEL = {
    "queued": (200, "cancelled"),
    "processing": (200, "processing"),  # stops at its next progress report
    "completed": (409, None),
    "failed": (409, None),
    "cancelled": (409, None),
}
RETRY = {
    "queued": (409, None),
    "processing": (409, None),
    "completed": (409, None),
    "failed": (202, "queued"),
    "cancelled": (202, "queued"),
}
HIDE = {
    "queued": (409, None),
    "processing": (409, None),
    "completed": (200, "completed"),
    "failed": (200, "failed"),
    "cancelled": (200, "cancelled"),
}


@pytest.mark.parametrize(
    ("action", "state", "expected"),
    [
        (action, state, table[state])
        for action, table in (("cancel", CANCEL), ("retry", RETRY), ("hide", HIDE))
        for state in ALL_STATES
    ],
)
def test_job_actions_in_every_state(api, alice, make_job, action, state, expected):
    job = make_job(alice, state)
    status_code, new_state = expected
    response = api.post(f"/api/jobs/{job.pk}/{action}")
    assert response.status_code == status_code, response.json()
    body = response.json()
    if status_code == 409:
        assert body["detail"].endswith(".")
        job.refresh_from_db()
        assert job.status == state
        return
    assert body["status"] == new_state
    if action == "hide":
        assert body["hidden"] is True
        assert Job.objects.get(pk=job.pk).hidden
    if action == "cancel" and state == "processing":
        assert body["message"] == "Cancelling…"
        assert Job.objects.get(pk=job.pk).cancel_requested


def test_a_cancelled_queued_download_puts_the_video_back_to_wanted(api, alice, make_job):
    job = make_job(alice, "queued")
    api.post(f"/api/jobs/{job.pk}/cancel")
    assert Video.objects.get(pk=job.video_id).status == "wanted"


@pytest.mark.parametrize("action", ["cancel", "retry", "hide"])
def test_another_users_job_is_404_to_every_action(client_for, alice, bob, make_job, action):
    job = make_job(alice, "failed" if action == "retry" else "queued")
    if action == "hide":
        job = make_job(alice, "completed")
    response = client_for(bob).post(f"/api/jobs/{job.pk}/{action}")
    assert response.status_code == 404
    assert Job.objects.get(pk=job.pk).status == job.status


@pytest.mark.parametrize(
    ("action", "state", "expected"),
    [("cancel", "queued", 200), ("retry", "failed", 202), ("hide", "completed", 200)],
)
def test_staff_act_on_any_users_job(client_for, alice, boss, make_job, action, state, expected):
    job = make_job(alice, state)
    assert client_for(boss).post(f"/api/jobs/{job.pk}/{action}").status_code == expected


@pytest.mark.parametrize("action", ["cancel", "retry", "hide"])
def test_job_actions_work_with_a_trailing_slash_too(api, alice, make_job, action):
    job = make_job(alice, {"cancel": "queued", "retry": "failed", "hide": "completed"}[action])
    assert api.post(f"/api/jobs/{job.pk}/{action}/").status_code in (200, 202)


def test_cancelling_a_bulk_job_cancels_its_unfinished_items(api, alice, make_job):
    bulk = make_job(alice, "processing", kind=Kind.BULK_VIDEO_DOWNLOAD)
    done = make_job(alice, "completed", parent=bulk)
    waiting = make_job(alice, "queued", parent=bulk)
    body = api.post(f"/api/jobs/{bulk.pk}/cancel").json()
    assert body["status"] == "cancelled"
    states = {item["id"]: item["status"] for item in body["items"]}
    assert states == {done.pk: "completed", waiting.pk: "cancelled"}


def test_retrying_a_failed_bulk_job_requeues_its_failed_items(api, alice, make_job):
    bulk = make_job(alice, "failed", kind=Kind.BULK_VIDEO_DOWNLOAD)
    done = make_job(alice, "completed", parent=bulk)
    failed = make_job(alice, "failed", parent=bulk)
    response = api.post(f"/api/jobs/{bulk.pk}/retry")
    assert response.status_code == 202
    states = {item["id"]: item["status"] for item in response.json()["items"]}
    assert states == {done.pk: "completed", failed.pk: "queued"}


def test_hiding_a_bulk_job_hides_its_items(api, alice, make_job):
    bulk = make_job(alice, "completed", kind=Kind.BULK_VIDEO_DOWNLOAD)
    child = make_job(alice, "completed", parent=bulk)
    assert api.post(f"/api/jobs/{bulk.pk}/hide").status_code == 200
    assert Job.objects.get(pk=child.pk).hidden
    assert ids(api.get("/api/jobs/")) == []


# --- bounded queries ---------------------------------------------------------------------------
def make_jobs_with_items(user, make_job, bulk_count: int, items_per_bulk: int) -> int:
    for _ in range(bulk_count):
        bulk = make_job(user, "processing", kind=Kind.BULK_VIDEO_DOWNLOAD)
        for _ in range(items_per_bulk):
            make_job(user, "completed", parent=bulk)
        make_job(user, "failed")
        make_job(user, "completed", kind=Kind.METADATA_PROBE)
    return Job.objects.count()


def count_list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/jobs/")
    assert response.status_code == 200
    return len(queries)


def test_listing_jobs_with_items_takes_the_same_few_queries_for_10_jobs_or_100(
    client_for, alice, make_job
):
    client = client_for(alice)
    assert make_jobs_with_items(alice, make_job, bulk_count=2, items_per_bulk=2) == 10
    few = count_list_queries(client)
    Job.objects.all().delete()
    assert make_jobs_with_items(alice, make_job, bulk_count=10, items_per_bulk=7) == 100
    many = count_list_queries(client)
    listed = client.get("/api/jobs/").json()["results"]
    assert sum(1 + len(job["items"] or []) for job in listed) == 100
    assert many == few
    assert many <= 4  # count, the page, the page's active items, its finished ones

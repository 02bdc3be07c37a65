"""POST /api/jobs/clear-finished and /api/jobs/retry-failed: all of a person's jobs at once
(staff: everyone's), as hiding and retrying one job do."""

from __future__ import annotations

import pytest

from jobs.models import Job


def test_clear_finished_hides_the_users_finished_jobs(api, alice, bob, make_job):
    done, failed, queued = (make_job(alice, s) for s in ("completed", "failed", "queued"))
    bobs = make_job(bob, "completed")
    response = api.post("/api/jobs/clear-finished", {}, "json")
    assert response.status_code == 200
    assert response.json() == {"hidden": 2}
    assert set(Job.objects.filter(hidden=True).values_list("pk", flat=True)) == {
        done.pk,
        failed.pk,
    }
    assert [job["id"] for job in api.get("/api/jobs/").json()["results"]] == [queued.pk]
    assert not Job.objects.get(pk=bobs.pk).hidden


def test_clear_finished_of_one_kind_leaves_the_others(api, alice, make_job):
    probe = make_job(alice, "completed", kind="metadata_probe")
    download = make_job(alice, "completed")
    response = api.post("/api/jobs/clear-finished", {"kind": "metadata_probe"}, "json")
    assert response.json() == {"hidden": 1}
    assert Job.objects.get(pk=probe.pk).hidden and not Job.objects.get(pk=download.pk).hidden


def test_staff_clear_everyones_finished_jobs(client_for, alice, boss, make_job):
    job = make_job(alice, "cancelled")
    response = client_for(boss).post("/api/jobs/clear-finished/", {}, "json")
    assert response.json() == {"hidden": 1}
    assert Job.objects.get(pk=job.pk).hidden


def test_retry_failed_requeues_the_users_failed_jobs(api, alice, bob, make_job):
    failed = make_job(alice, "failed")
    cancelled, bobs = make_job(alice, "cancelled"), make_job(bob, "failed")
    response = api.post("/api/jobs/retry-failed", {}, "json")
    assert response.status_code == 202
    assert response.json() == {"retried": 1, "skipped": 0}
    assert Job.objects.get(pk=failed.pk).status == "queued"
    assert Job.objects.get(pk=cancelled.pk).status == "cancelled"
    assert Job.objects.get(pk=bobs.pk).status == "failed"


def test_retry_failed_counts_what_it_could_not_retry(api, alice, make_job, make_video):
    video = make_video("Busy")
    make_job(alice, "failed", video=video)
    make_job(alice, "processing", video=video)
    assert api.post("/api/jobs/retry-failed", {}, "json").json() == {"retried": 0, "skipped": 1}


def test_staff_retry_everyones_failed_jobs(client_for, alice, boss, make_job):
    job = make_job(alice, "failed")
    response = client_for(boss).post("/api/jobs/retry-failed", {}, "json")
    assert response.json() == {"retried": 1, "skipped": 0}
    assert Job.objects.get(pk=job.pk).status == "queued"


@pytest.mark.parametrize("path", ["/api/jobs/clear-finished", "/api/jobs/retry-failed"])
def test_the_queue_actions_ask_for_a_login(client_for, db, path):
    response = client_for().post(path, {}, "json")
    assert response.status_code == 401


@pytest.mark.parametrize("path", ["/api/jobs/clear-finished", "/api/jobs/retry-failed"])
def test_an_unknown_kind_is_a_400_naming_the_field(api, alice, make_job, path):
    job = make_job(alice, "failed")
    response = api.post(path, {"kind": "nonsense"}, "json")
    assert response.status_code == 400
    assert "kind" in response.json()
    assert Job.objects.get(pk=job.pk).status == "failed" and not Job.objects.get(pk=job.pk).hidden

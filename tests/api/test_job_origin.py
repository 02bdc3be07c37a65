"""Who started a job: users see and act on their own; jobs the scheduler or MVidarr started
(no user) are staff's; the representation says where a job came from."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from jobs.models import Job
from jobs.progress import DirectPublisher, publish_job
from tests.pages.test_consumers import connect, feed, headers_for

WITHOUT_A_USER = [Job.Origin.SCHEDULE, Job.Origin.SYSTEM]


@pytest.mark.parametrize("origin", WITHOUT_A_USER)
def test_a_user_neither_sees_nor_acts_on_a_job_without_a_user(api, make_job, origin):
    failed = make_job(None, "failed", origin=origin)
    queued = make_job(None, "queued", origin=origin)
    assert api.get(f"/api/jobs/{failed.pk}/").status_code == 404
    assert api.get("/api/jobs/").json()["results"] == []
    for action, job in (("cancel", queued), ("retry", failed), ("hide", failed)):
        assert api.post(f"/api/jobs/{job.pk}/{action}").status_code == 404, action
    assert [(j.status, j.hidden) for j in Job.objects.order_by("id")] == [
        ("failed", False),
        ("queued", False),
    ]


@pytest.mark.parametrize("origin", WITHOUT_A_USER)
def test_staff_see_and_act_on_a_job_without_a_user(client_for, boss, make_job, origin):
    staff = client_for(boss)
    failed = make_job(None, "failed", origin=origin)
    queued = make_job(None, "queued", origin=origin)
    completed = make_job(None, "completed", origin=origin)
    detail = staff.get(f"/api/jobs/{failed.pk}/")
    assert (detail.status_code, detail.json()["origin"]) == (200, origin)
    assert staff.post(f"/api/jobs/{queued.pk}/cancel").json()["status"] == "cancelled"
    assert staff.post(f"/api/jobs/{failed.pk}/retry").json()["status"] == "queued"
    assert staff.post(f"/api/jobs/{completed.pk}/hide").json()["hidden"] is True


def test_a_users_own_job_says_it_was_started_by_a_user(api, alice, make_job):
    job = make_job(alice, "completed")
    assert api.get(f"/api/jobs/{job.pk}/").json()["origin"] == "user"


@pytest.mark.django_db(transaction=True)
def test_over_the_websocket_a_system_job_reaches_staff_with_its_origin_and_not_users(
    alice, boss, make_job
):
    job = make_job(None, "queued", origin=Job.Origin.SYSTEM)
    user_headers, staff_headers = headers_for(alice), headers_for(boss)

    async def scenario():
        users_feed, staff_feed = feed(user_headers), feed(staff_headers)
        assert (await connect(users_feed))["jobs"] == []
        assert [j["origin"] for j in (await connect(staff_feed))["jobs"]] == ["system"]
        await publish(job)
        update = await staff_feed.receive_json_from(timeout=10)
        assert (update["job"]["id"], update["job"]["origin"]) == (job.pk, "system")
        assert await users_feed.receive_nothing(timeout=1)
        await users_feed.disconnect()
        await staff_feed.disconnect()

    async_to_sync(scenario)()


async def publish(job: Job) -> None:
    await sync_to_async(publish_job)(job, publisher=DirectPublisher())

"""The live job feed at /ws/jobs/: who gets what, and that nothing is lost on connect."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from jobs.consumers import JobsConsumer
from jobs.models import Job
from jobs.progress import DirectPublisher, publish_job
from mvidarr.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


def headers_for(user=None, *, origin: bytes = b"http://127.0.0.1") -> list[tuple[bytes, bytes]]:
    """A browser's handshake headers, with the session cookie of ``user`` logged in."""
    headers = [(b"origin", origin), (b"host", b"127.0.0.1")]
    if user is not None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={session}".encode()))
    return headers


def feed(headers) -> WebsocketCommunicator:
    """A WebSocket client of the real ASGI application (origin check, sessions, routing)."""
    return WebsocketCommunicator(application, "/ws/jobs/", headers=headers)


async def connect(communicator: WebsocketCommunicator) -> dict:
    connected, _ = await communicator.connect(timeout=10)
    assert connected
    snapshot = await communicator.receive_json_from(timeout=10)
    assert snapshot["type"] == "snapshot"
    return snapshot


publish = sync_to_async(lambda job: publish_job(job, publisher=DirectPublisher()))


def run(coroutine_function) -> None:
    async_to_sync(coroutine_function)()


def test_an_anonymous_connection_is_closed():
    headers = headers_for(None)

    async def scenario():
        communicator = feed(headers)
        connected, _ = await communicator.connect(timeout=10)
        assert not connected

    run(scenario)


def test_a_connection_from_another_site_is_refused(alice):
    headers = headers_for(alice, origin=b"https://evil.example")

    async def scenario():
        communicator = feed(headers)
        connected, _ = await communicator.connect(timeout=10)
        assert not connected

    run(scenario)


def test_the_snapshot_on_connect_holds_the_users_active_and_recent_jobs(alice, bob, make_job):
    running = make_job(alice, "processing", progress=30)
    failed = make_job(alice, "failed")
    hidden = make_job(alice, "completed", hidden=True)
    others = make_job(bob, "queued")

    headers = headers_for(alice)

    async def scenario():
        communicator = feed(headers)
        snapshot = await connect(communicator)
        await communicator.disconnect()
        jobs = {job["id"]: job for job in snapshot["jobs"]}
        assert set(jobs) == {running.pk, failed.pk}
        assert hidden.pk not in jobs and others.pk not in jobs
        assert jobs[running.pk]["progress"] == 30
        assert jobs[failed.pk]["error"] == "The site answered 404: the video is gone."
        assert all("seq" in job for job in snapshot["jobs"])

    run(scenario)


def test_a_user_gets_their_own_jobs_changes_and_not_another_users(alice, bob, make_job):
    alices = make_job(alice, "queued")
    bobs = make_job(bob, "queued")

    headers = headers_for(alice), headers_for(bob)

    async def scenario():
        alice_feed, bob_feed = feed(headers[0]), feed(headers[1])
        await connect(alice_feed)
        await connect(bob_feed)
        sent = await publish(alices)
        message = await alice_feed.receive_json_from(timeout=10)
        assert message == {"type": "job", "job": sent}
        assert await bob_feed.receive_nothing(timeout=0.5)

        await publish(bobs)
        assert (await bob_feed.receive_json_from(timeout=10))["job"]["id"] == bobs.pk
        assert await alice_feed.receive_nothing(timeout=0.5)
        await alice_feed.disconnect()
        await bob_feed.disconnect()

    run(scenario)


def test_staff_get_every_users_changes(alice, bob, boss, make_job):
    jobs = [make_job(alice, "queued"), make_job(bob, "processing")]

    headers = headers_for(boss)

    async def scenario():
        staff_feed = feed(headers)
        snapshot = await connect(staff_feed)
        assert {job["id"] for job in snapshot["jobs"]} == {job.pk for job in jobs}
        for job in jobs:
            await publish(job)
        received = [await staff_feed.receive_json_from(timeout=10) for _ in jobs]
        assert [m["job"]["id"] for m in received] == [job.pk for job in jobs]
        await staff_feed.disconnect()

    run(scenario)


def test_an_update_made_while_the_snapshot_is_read_is_delivered_after_it(alice, make_job):
    job = make_job(alice, "processing", progress=10)

    class ChangesDuringTheSnapshot(JobsConsumer):
        """The job moves on after the snapshot was read and before it is sent."""

        async def read_snapshot(self, user):
            jobs = await super().read_snapshot(user)
            await sync_to_async(Job.objects.filter(pk=job.pk).update)(progress=60)
            job.progress = 60
            await publish(job)
            return jobs

    async def scenario():
        racing = WebsocketCommunicator(ChangesDuringTheSnapshot.as_asgi(), "/ws/jobs/")
        racing.scope["user"] = alice
        snapshot = await connect(racing)
        (stale,) = snapshot["jobs"]
        update = await racing.receive_json_from(timeout=10)
        await racing.disconnect()
        assert stale["progress"] == 10
        assert update["type"] == "job"
        assert update["job"]["progress"] == 60
        assert update["job"]["seq"] > stale["seq"]

    run(scenario)


def test_a_client_that_reconnects_gets_a_fresh_snapshot(alice, make_job):
    job = make_job(alice, "processing", progress=5)

    headers = headers_for(alice)

    async def scenario():
        first = feed(headers)
        before = await connect(first)
        await first.disconnect()
        job.status, job.progress = "completed", 100
        await sync_to_async(job.save)()
        await publish(job)  # nobody is listening: this change is only in the next snapshot
        second = feed(headers)
        after = await connect(second)
        await second.disconnect()
        assert before["jobs"][0]["status"] == "processing"
        assert after["jobs"][0]["status"] == "completed"
        assert after["jobs"][0]["seq"] > before["jobs"][0]["seq"]

    run(scenario)


def test_what_a_page_sends_is_ignored(alice, make_job):
    job = make_job(alice, "queued")

    headers = headers_for(alice)

    async def scenario():
        page = feed(headers)
        await connect(page)
        await page.send_to(text_data="not json at all")
        await page.send_json_to({"type": "job.update", "job": {"id": 1}})
        assert await page.receive_nothing(timeout=0.3)
        await publish(job)
        assert (await page.receive_json_from(timeout=10))["job"]["id"] == job.pk
        await page.disconnect()

    run(scenario)

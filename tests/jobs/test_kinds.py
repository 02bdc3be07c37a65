"""A job kind is one registry entry plus the function that runs it: a kind registered here,
and nowhere else, is routed, run by a real worker, recovered, re-sent and serialized."""

from __future__ import annotations

from datetime import timedelta

import dramatiq
import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from django.utils import timezone
from dramatiq.common import dq_name
from rest_framework.test import APIClient

from jobs import kinds
from jobs.actors import kind_actors
from jobs.housekeeping import resend_lost_jobs
from jobs.models import Job
from jobs.progress import DirectPublisher
from jobs.services.queueing import build_message, send_job_on_commit
from jobs.worker import recover_stale_jobs
from mvidarr.asgi import application
from tests.jobs.conftest import wait_for_job

ECHO = kinds.JobKind(
    name="test_echo",
    label="Test echo",
    short_label="Echo",
    run="tests.jobs.test_kinds.run_echo",
    route=kinds.Route("test_echo", "test-kinds"),
    item_route=kinds.Route("test_echo_item", "test-kinds-items"),
)
ECHO_BATCH = kinds.JobKind(name="test_echo_batch", label="Test echo batch", has_children=True)


def run_echo(job_id: int, *, context) -> None:
    """The whole of the test kind's work: take the job if it is queued, and finish it."""
    now = timezone.now()
    Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.COMPLETED,
        started_at=now,
        finished_at=now,
        progress=100.0,
        message=f"Echoed by {context.worker_id}",
    )


@pytest.fixture
def echo_kind(monkeypatch):
    """Register the test kinds and declare their actors; both are forgotten afterwards."""
    monkeypatch.setitem(kinds.KINDS, ECHO.name, ECHO)
    monkeypatch.setitem(kinds.KINDS, ECHO_BATCH.name, ECHO_BATCH)
    broker = dramatiq.get_broker()
    actors = kind_actors(ECHO)
    yield ECHO
    for actor in actors:
        broker.actors.pop(actor.actor_name, None)
    for route in ECHO.routes():
        broker.queues.discard(route.queue)
        broker.delay_queues.discard(dq_name(route.queue))


def echo_job(**fields) -> Job:
    return Job.objects.create(kind=ECHO.name, message="Waiting for a worker", **fields)


def test_a_registered_kind_is_routed_to_its_actor_and_queue(echo_kind, db):
    batch = Job.objects.create(kind=ECHO_BATCH.name, status=Job.Status.PROCESSING)
    alone, item = echo_job(), echo_job(parent=batch)
    assert (build_message(alone).actor_name, build_message(alone).queue_name) == (
        "test_echo",
        "test-kinds",
    )
    assert (build_message(item).actor_name, build_message(item).queue_name) == (
        "test_echo_item",
        "test-kinds-items",
    )
    with pytest.raises(ValueError, match="no actor"):
        build_message(batch)


def test_a_registered_kind_is_run_by_a_real_worker(echo_kind, worker, alice):
    job = echo_job(user=alice)
    send_job_on_commit(job)  # no transaction here: it is sent at once
    job = wait_for_job(job)
    assert job.status == "completed"
    assert job.message.startswith("Echoed by ")


def test_a_registered_kind_left_by_a_dead_worker_is_recovered_and_run_again(echo_kind, worker):
    long_ago = timezone.now() - timedelta(minutes=10)
    job = echo_job(status="processing", started_at=long_ago, heartbeat_at=long_ago, attempts=1)
    assert recover_stale_jobs(publisher=DirectPublisher(), stale_after=60) == [job.pk]
    job = wait_for_job(job)
    assert job.status == "completed"
    assert job.message.startswith("Echoed by ")


def test_a_queued_job_of_a_registered_kind_whose_message_was_lost_is_sent_again(echo_kind, worker):
    job = echo_job()  # created, never sent
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert resend_lost_jobs(grace_seconds=60) == [job.pk]
    assert wait_for_job(job).status == "completed"


def test_a_registered_parent_kind_is_serialized_with_its_items_over_rest_and_websocket(
    echo_kind, transactional_db, alice
):
    batch = Job.objects.create(kind=ECHO_BATCH.name, user=alice, status=Job.Status.PROCESSING)
    first, second = echo_job(user=alice, parent=batch), echo_job(user=alice, parent=batch)
    api = APIClient()
    api.force_authenticate(alice)
    rest = api.get(f"/api/jobs/{batch.pk}/").json()
    assert rest["kind"] == "test_echo_batch"
    assert [item["id"] for item in rest["items"]] == [first.pk, second.pk]
    assert {item["kind"] for item in rest["items"]} == {"test_echo"}

    client = Client()
    client.force_login(alice)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    async def snapshot() -> dict:
        feed = WebsocketCommunicator(
            application,
            "/ws/jobs/",
            headers=[
                (b"origin", b"http://127.0.0.1"),
                (b"host", b"127.0.0.1"),
                (b"cookie", cookie.encode()),
            ],
        )
        connected, _ = await feed.connect(timeout=10)
        assert connected
        message = await feed.receive_json_from(timeout=10)
        await feed.disconnect()
        return message

    message = async_to_sync(snapshot)()
    assert message["jobs"] == [rest]


def test_the_pages_script_learns_a_registered_kinds_label_from_the_registry(
    echo_kind, client, alice
):
    client.force_login(alice)
    page = client.get("/jobs/").content.decode()
    assert '<script id="job-kinds" type="application/json">' in page
    assert '"test_echo": {"label": "Test echo", "short_label": "Echo"' in page

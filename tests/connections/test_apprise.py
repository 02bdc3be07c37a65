"""Apprise: a short text per event, delivered through Apprise's json:// target to a local
receiver."""

from __future__ import annotations

from connections.models import Connection
from jobs.deliveries import connection_test_submit
from jobs.models import Job
from jobs.services import video_remove
from jobs.worker.notify import run_notify


def apprise(fake_server, *, events=()) -> Connection:
    port = fake_server.server.server_address[1]
    return Connection.objects.create(
        kind="apprise",
        name="Chat",
        settings={"urls": [f"json://127.0.0.1:{port}/notify"]},
        events=list(events),
    )


def test_a_test_event_reaches_apprise_json_target(context, fake_server, boss):
    connection = apprise(fake_server)
    job = connection_test_submit(connection=connection, user=boss)

    run_notify(job.pk, context=context)

    [received] = fake_server.received
    assert received.method == "POST" and received.path == "/notify"
    body = received.json()
    assert body["title"] == "MVidarr: Test"
    assert body["message"] == "This is a test from MVidarr: the connection works."
    job.refresh_from_db()
    connection.refresh_from_db()
    assert job.status == "completed" and job.message == "Delivered to 1 Apprise URL."
    assert connection.last_outcome == "delivered"


def test_a_deletion_is_told_in_a_short_sentence(context, fake_server, boss, make_video):
    apprise(fake_server, events=["VideoDelete"])
    video = make_video("Joga", artist="Björk", file_path="Björk/Joga.mp4")
    video_remove(video=video, delete_file=False, user=boss)

    run_notify(Job.objects.get(kind="notify").pk, context=context)

    body = fake_server.received[0].json()
    assert body["title"] == "MVidarr: Deleted"
    assert body["message"] == "Deleted Björk - Joga (its file was kept)."


def test_a_failing_apprise_target_is_retried(context, fake_server, boss):
    connection = apprise(fake_server)
    fake_server.reply(500)
    job = connection_test_submit(connection=connection, user=boss)

    run_notify(job.pk, context=context)

    job.refresh_from_db()
    connection.refresh_from_db()
    assert job.status == "queued" and "Apprise could not deliver" in job.error
    assert connection.last_outcome == "retrying"

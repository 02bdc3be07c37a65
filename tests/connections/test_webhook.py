"""Webhooks: the events of the library reach a local receiver shaped like Lidarr's payloads,
signed with the connection's secret; a 5xx retries, a 4xx fails with the reason, and the
connection keeps the last outcome."""

from __future__ import annotations

import socket

import pytest

from connections.models import Connection
from jobs.deliveries import connection_test_submit
from jobs.history import Event, history_record
from jobs.models import Job
from jobs.services import bulk_download_submit, download_submit, video_remove
from jobs.worker import run_download
from jobs.worker.notify import run_notify
from videos.models import Video


def webhook(url: str, *, events=("Grab", "Download"), secret: str = "hush", **fields):
    return Connection.objects.create(
        kind="webhook",
        name=fields.pop("name", "Hook"),
        settings={"url": url, "secret": secret},
        events=list(events),
        **fields,
    )


def deliver_all(context) -> list[Job]:
    """Run every queued notify job once, oldest first (what a worker would do)."""
    jobs = list(Job.objects.filter(kind="notify", status="queued").order_by("pk"))
    for job in jobs:
        run_notify(job.pk, context=context)
    return [Job.objects.get(pk=job.pk) for job in jobs]


def test_a_test_event_reaches_the_receiver_signed_with_the_secret(context, fake_server, boss):
    connection = webhook(f"{fake_server.url}/hook", events=[])
    job = connection_test_submit(connection=connection, user=boss)

    run_notify(job.pk, context=context)

    [received] = fake_server.received
    assert received.method == "POST" and received.path == "/hook"
    assert received.headers["content-type"].startswith("application/json")
    assert received.signed_with("hush")
    assert not received.signed_with("not the secret")
    payload = received.json()
    assert payload["eventType"] == "Test"
    assert payload["instanceName"] == "MVidarr" and "applicationUrl" in payload
    job.refresh_from_db()
    connection.refresh_from_db()
    assert job.status == "completed" and job.message == "Delivered (200)."
    assert connection.last_outcome == "delivered" and connection.last_event == "Test"
    assert connection.last_at is not None


def test_without_a_secret_nothing_is_signed(context, fake_server, boss):
    connection = webhook(f"{fake_server.url}/hook", secret="")
    run_notify(connection_test_submit(connection=connection, user=boss).pk, context=context)
    assert "x-mvidarr-signature" not in fake_server.received[0].headers


def test_a_download_sends_grab_then_download_with_the_artist_video_file_and_job(
    context, fake_server, alice, make_video
):
    webhook(f"{fake_server.url}/hook")
    video = make_video("Roads", clip="clips/240p.mp4", artist="Portishead")
    job, _ = download_submit(video=video, user=alice)
    run_download(job.pk, context=context)

    delivered = deliver_all(context)

    assert [d.status for d in delivered] == ["completed", "completed"]
    grab, download = (received.json() for received in fake_server.received)
    assert all(r.signed_with("hush") for r in fake_server.received)
    assert grab["eventType"] == "Grab" and download["eventType"] == "Download"
    video = Video.objects.select_related("file").get(pk=video.pk)
    assert download["artist"]["name"] == "Portishead"
    assert download["video"]["id"] == video.pk and download["video"]["title"] == "Roads"
    assert download["file"]["relativePath"] == video.file.path
    assert download["file"]["folder"] == "Portishead"
    assert download["file"]["height"] == video.file.height
    assert download["job"]["id"] == job.pk and download["job"]["kind"] == "video_download"
    assert download["isUpgrade"] is False
    assert grab["job"]["id"] == job.pk and grab["file"] is None


def test_an_upgrade_is_a_download_with_is_upgrade_and_both_qualities(
    context, fake_server, make_video
):
    webhook(f"{fake_server.url}/hook", events=["Download"])
    video = make_video("Roads", artist="Portishead", file_path="Portishead/Roads.mp4")
    history_record(
        Event.UPGRADED, video=video, data={"old_quality": "480p", "new_quality": "1080p"}
    )

    deliver_all(context)

    payload = fake_server.received[0].json()
    assert payload["eventType"] == "Download" and payload["isUpgrade"] is True
    assert (payload["oldQuality"], payload["newQuality"]) == ("480p", "1080p")


def test_a_failed_download_sends_download_failure_with_the_reason(
    context, fake_server, alice, make_video
):
    webhook(f"{fake_server.url}/hook", events=["DownloadFailure"])
    video = make_video("Gone", clip="clips/no-such-clip.mp4", artist="Nobody")
    job, _ = download_submit(video=video, user=alice)
    run_download(job.pk, context=context)
    job.refresh_from_db()
    while job.status == "queued":  # transient faults retry: run until it gives up
        run_download(job.pk, context=context)
        job.refresh_from_db()
    assert job.status == "failed"

    deliver_all(context)

    [received] = fake_server.received
    payload = received.json()
    assert payload["eventType"] == "DownloadFailure"
    assert payload["message"] == job.error and payload["job"]["status"] == "failed"
    assert payload["video"]["title"] == "Gone"


def test_a_deletion_and_a_rename_send_their_events(context, fake_server, boss, make_video):
    webhook(f"{fake_server.url}/hook", events=["VideoDelete", "Rename"])
    kept = make_video("Kept", artist="Björk", file_path="Björk/Kept.mp4")
    history_record(
        Event.RENAMED, video=kept, data={"old": "Björk/Old name.mp4", "new": "Björk/Kept.mp4"}
    )
    video = make_video("Joga", artist="Björk", file_path="Björk/Joga.mp4")
    video_remove(video=video, delete_file=True, user=boss)

    deliver_all(context)

    rename, delete = (received.json() for received in fake_server.received)
    assert rename["eventType"] == "Rename"
    assert rename["previousPath"] == "Björk/Old name.mp4"
    assert rename["file"]["relativePath"] == "Björk/Kept.mp4"
    assert delete["eventType"] == "VideoDelete" and delete["deletedFiles"] is True
    assert delete["video"]["title"] == "Joga" and delete["file"]["relativePath"] == "Björk/Joga.mp4"


def test_a_disabled_connection_and_one_not_switched_on_are_not_told(
    context, fake_server, boss, make_video
):
    webhook(f"{fake_server.url}/a", events=["VideoDelete"], enabled=False, name="Off")
    webhook(f"{fake_server.url}/b", events=["Download"], name="Other event")
    video_remove(video=make_video("X"), delete_file=False, user=boss)
    assert not Job.objects.filter(kind="notify").exists()


def test_a_4xx_fails_at_once_with_the_reason(context, fake_server, boss):
    connection = webhook(f"{fake_server.url}/hook")
    fake_server.reply(410, b"this hook was removed")
    job = connection_test_submit(connection=connection, user=boss)

    run_notify(job.pk, context=context)

    job.refresh_from_db()
    connection.refresh_from_db()
    assert job.status == "failed" and job.attempts == 1
    assert "answered 410 Gone: this hook was removed." in job.error
    assert connection.last_outcome == "failed" and connection.last_message == job.error


def test_a_5xx_retries_with_backoff_then_gives_up(context, fake_server, boss):
    connection = webhook(f"{fake_server.url}/hook")
    fake_server.reply(503, times=3)
    job = connection_test_submit(connection=connection, user=boss)

    run_notify(job.pk, context=context)
    job.refresh_from_db()
    connection.refresh_from_db()
    assert job.status == "queued" and job.message.startswith("Retrying in")
    assert connection.last_outcome == "retrying"

    run_notify(job.pk, context=context)
    run_notify(job.pk, context=context)
    job.refresh_from_db()
    connection.refresh_from_db()
    assert job.status == "failed" and "Gave up after 3 attempts" in job.error
    assert len(fake_server.received) == 3 and connection.last_outcome == "failed"


def test_a_5xx_then_a_success_is_delivered(context, fake_server, boss):
    connection = webhook(f"{fake_server.url}/hook")
    fake_server.reply(502)
    job = connection_test_submit(connection=connection, user=boss)
    run_notify(job.pk, context=context)
    run_notify(job.pk, context=context)
    job.refresh_from_db()
    connection.refresh_from_db()
    assert job.status == "completed" and connection.last_outcome == "delivered"


@pytest.fixture
def closed_port() -> int:
    """A port nothing listens on (connections to it are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_refused_connection_is_retried(context, boss, closed_port):
    connection = webhook(f"http://127.0.0.1:{closed_port}/hook")
    job = connection_test_submit(connection=connection, user=boss)
    run_notify(job.pk, context=context)
    job.refresh_from_db()
    connection.refresh_from_db()
    assert job.status == "queued" and "could not be reached" in job.error
    assert connection.last_outcome == "retrying"


def test_a_bulk_download_sends_a_grab_per_video(context, fake_server, alice, make_video):
    webhook(f"{fake_server.url}/hook", events=["Grab"])
    videos = [make_video(f"Song {n}", artist="Air") for n in range(2)]
    parent = bulk_download_submit(videos=videos, user=alice)

    deliver_all(context)

    grabs = [received.json() for received in fake_server.received]
    assert sorted(g["video"]["title"] for g in grabs) == ["Song 0", "Song 1"]
    children = set(parent.children.values_list("pk", flat=True))
    assert {g["job"]["id"] for g in grabs} == children
    assert all(g["eventType"] == "Grab" for g in grabs)


class OutcomeAtEnd:
    """A publisher that, when it sends a job's end, reads the job's connection from the
    database as a page refreshing on that event does."""

    def __init__(self) -> None:
        self.read: list[tuple[str, str]] = []

    def send(self, groups, payload) -> None:
        if payload["status"] in ("completed", "failed"):
            job = Job.objects.get(pk=payload["id"])
            connection = Connection.objects.get(pk=job.options["connection"])
            self.read.append((payload["status"], connection.last_outcome))


@pytest.mark.parametrize(
    ("replies", "runs", "ended"),
    [
        ([], 1, ("completed", "delivered")),
        ([(410, 1)], 1, ("failed", "failed")),
        ([(503, 3)], 3, ("failed", "failed")),
    ],
    ids=["delivered", "4xx", "5xx-gave-up"],
)
def test_the_connections_outcome_is_written_before_the_jobs_end_is_sent(
    context, fake_server, boss, replies, runs, ended
):
    connection = webhook(f"{fake_server.url}/hook")
    for status, times in replies:
        fake_server.reply(status, times=times)
    job = connection_test_submit(connection=connection, user=boss)
    context.publisher = publisher = OutcomeAtEnd()

    for _ in range(runs):
        run_notify(job.pk, context=context)

    assert publisher.read == [ended]

"""The monitoring page's figures, checked against jobs whose answers we know."""

from __future__ import annotations

from datetime import timedelta

import dramatiq
import pytest

from jobs import live
from jobs.models import Job
from jobs.ops_selectors import (
    download_time_stats,
    error_reason,
    finished_counts,
    percentile,
    queue_depths,
    recent_errors,
    running_jobs,
)
from jobs.services.queueing import send_job

Kind = Job.Kind
Status = Job.Status


@pytest.fixture
def known_jobs(make_job):
    """20 downloads completed in the last day taking 1…20 s, and failures of two kinds."""
    for seconds in range(1, 21):
        make_job(duration=seconds, finished_ago=timedelta(hours=2))
    make_job(duration=500, finished_ago=timedelta(minutes=10))  # the one within the hour
    make_job(duration=999, finished_ago=timedelta(days=3))  # outside every window
    for n in range(3):
        make_job(
            status=Status.FAILED,
            finished_ago=timedelta(minutes=20 + n),
            error=f"HTTP error 404 for https://videos.example/{n}: the video is gone.",
        )
    make_job(
        status=Status.FAILED,
        finished_ago=timedelta(hours=5),
        error="Not enough disk space: 12 MB free in the library. Gave up after 4 attempts.",
    )
    make_job(status=Status.CANCELLED, finished_ago=timedelta(minutes=1))
    running = make_job(status=Status.PROCESSING, worker="host:7:abc", progress=40.0)
    make_job(status=Status.QUEUED)
    return {"running": running}


def test_finished_counts_per_hour_and_day(known_jobs):
    assert finished_counts() == {
        "hour": {"completed": 1, "failed": 3, "cancelled": 1},
        "day": {"completed": 21, "failed": 4, "cancelled": 1},
    }


def test_median_and_95th_percentile_download_time(known_jobs):
    stats = download_time_stats()
    durations = sorted([*range(1, 21), 500])
    assert stats["count"] == 21
    assert stats["median"] == pytest.approx(11.0)
    assert stats["p95"] == pytest.approx(percentile([float(d) for d in durations], 0.95))
    assert stats["p95"] == pytest.approx(20.0)  # rank 19 of 0…20: the 20th value


def test_percentile_interpolates_between_ranks():
    values = [float(v) for v in range(1, 21)]
    assert percentile(values, 0.5) == pytest.approx(10.5)
    assert percentile(values, 0.95) == pytest.approx(19.05)
    assert percentile([], 0.95) is None


def test_running_jobs_lists_what_is_processing(known_jobs):
    rows = running_jobs()
    assert [row["id"] for row in rows] == [known_jobs["running"].pk]
    assert rows[0]["worker"] == "host:7:abc"
    assert rows[0]["progress"] == 40.0


def test_recent_errors_are_grouped_by_reason(known_jobs):
    groups = recent_errors()
    assert [(g["count"], g["reason"]) for g in groups] == [
        (3, "HTTP error N for <url>: the video is gone."),
        (1, "Not enough disk space: N MB free in the library."),
    ]
    assert len(groups[0]["job_ids"]) == 3


def test_an_error_reason_drops_what_differs_between_jobs():
    reason = error_reason(
        "Timed out after 20 s on https://a.example/x?y=1. Gave up after 4 attempts."
    )
    assert reason == "Timed out after N s on <url>."
    assert error_reason("") == "(no reason recorded)"


def test_queue_depth_counts_waiting_delayed_and_dead_messages(make_job, settings):
    broker = dramatiq.get_broker()
    broker.flush_all()
    waiting = [make_job(status=Status.QUEUED) for _ in range(3)]
    for job in waiting:
        send_job(job)
    send_job(make_job(status=Status.QUEUED), delay_ms=60_000)
    depths = queue_depths()
    assert depths[settings.QUEUE_INTERACTIVE] == {"waiting": 3, "taken": 0, "delayed": 1, "dead": 0}
    assert depths[settings.QUEUE_BULK] == {"waiting": 0, "taken": 0, "delayed": 0, "dead": 0}
    broker.flush_all()


def test_the_page_sends_anonymous_visitors_to_the_login(client):
    response = client.get("/ops/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/ops/")


def test_the_page_refuses_users_who_are_not_staff(client, alice):
    client.force_login(alice)
    assert client.get("/ops/").status_code == 403
    assert client.get("/ops/status.json").status_code == 403


def test_staff_see_the_page_and_its_live_figures(client, boss, known_jobs, heartbeat):
    heartbeat(queues=["interactive", "bulk"], jobs=[known_jobs["running"].pk])
    client.force_login(boss)
    page = client.get("/ops/")
    assert page.status_code == 200
    assert b'id="ops-data"' in page.content
    assert b"/ops/status.json" in page.content  # where the page polls
    data = client.get("/ops/status.json").json()
    assert data["finished"]["day"]["failed"] == 4
    assert data["download_time"]["count"] == 21
    assert [row["id"] for row in data["running"]] == [known_jobs["running"].pk]
    assert data["workers"][0]["current_jobs"] == [known_jobs["running"].pk]
    assert data["workers"][0]["alive"] is True
    assert set(data["queues"]) == {"interactive", "bulk"}
    assert data["errors"][0]["count"] == 3


def test_the_page_still_shows_the_database_figures_when_redis_is_down(
    client, boss, known_jobs, settings, closed_port_redis_url, monkeypatch
):
    monkeypatch.setattr(live, "client", lambda: live._client(closed_port_redis_url))
    monkeypatch.setattr(dramatiq.get_broker(), "client", live._client(closed_port_redis_url))
    client.force_login(boss)
    data = client.get("/ops/status.json").json()
    assert data["queues"] is None and data["workers"] is None
    assert "Redis did not answer" in data["redis_error"]
    assert data["finished"]["day"]["completed"] == 21

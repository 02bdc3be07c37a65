"""Health and HealthRestored: told once per transition of readiness, as the scheduler's
watch sees it."""

from __future__ import annotations

from connections.models import Connection
from jobs.models import Job
from jobs.worker.notify import run_notify
from mvidarr.ops.healthwatch import HealthWatch, problems_now


class Readiness:
    """What the checks find, tick after tick (a test's stand-in for the live checks)."""

    def __init__(self, *states: list[str]) -> None:
        self.states = list(states)

    def __call__(self) -> list[str]:
        return self.states.pop(0)


def test_health_is_told_once_when_readiness_fails_and_once_when_it_recovers(context, fake_server):
    Connection.objects.create(
        kind="webhook",
        name="Ops",
        settings={"url": f"{fake_server.url}/ops"},
        events=["Health", "HealthRestored"],
    )
    down = ["workers: no worker has a heartbeat on the interactive queue."]
    watch = HealthWatch(check=Readiness([], down, down, [], []))

    sent = [watch.tick() for _ in range(5)]

    assert sent == [None, "Health", None, "HealthRestored", None]
    for job in Job.objects.filter(kind="notify").order_by("pk"):
        run_notify(job.pk, context=context)
    health, restored = (r.json() for r in fake_server.received)
    assert health["eventType"] == "Health" and health["level"] == "error"
    assert health["problems"] == down and health["message"] == down[0]
    assert restored["eventType"] == "HealthRestored" and restored["problems"] == []


def test_a_watch_that_starts_while_failing_tells_it_once(db):
    Connection.objects.create(
        kind="webhook", name="Ops", settings={"url": "http://127.0.0.1:9/"}, events=["Health"]
    )
    watch = HealthWatch(check=Readiness(["redis: down"], ["redis: down"]))
    assert [watch.tick(), watch.tick()] == ["Health", None]
    assert Job.objects.filter(kind="notify").count() == 1


def test_a_library_below_the_free_space_minimum_is_a_problem(monkeypatch, db):
    monkeypatch.setenv("MVIDARR_MIN_FREE_MB", "100000000")  # 100 TB

    problems = problems_now(check=lambda: {"status": "ok", "checks": {}})

    assert len(problems) == 1 and problems[0].startswith("disk: ")
    assert "below the minimum" in problems[0]


def test_while_redis_is_down_the_scheduler_tells_health_itself_once_and_recovery_as_a_job(
    own_redis, context, fake_server
):
    Connection.objects.create(
        kind="webhook",
        name="Ops",
        settings={"url": f"{fake_server.url}/ops"},
        events=["Health", "HealthRestored"],
    )
    down = ["redis: Redis does not answer."]
    watch = HealthWatch(check=Readiness([], down, down, down, [], []))
    assert watch.tick() is None  # all well: the connections are remembered

    own_redis.stop()
    sent = [watch.tick() for _ in range(3)]

    assert sent == ["Health", None, None]
    [health] = fake_server.received  # sent from the scheduler at once, not queued
    assert health.json()["eventType"] == "Health" and health.json()["problems"] == down
    assert not Job.objects.filter(kind="notify").exists()

    own_redis.start()
    assert [watch.tick(), watch.tick()] == ["HealthRestored", None]
    [job] = Job.objects.filter(kind="notify")  # Redis is back: the usual delivery job
    run_notify(job.pk, context=context)
    assert [r.json()["eventType"] for r in fake_server.received] == ["Health", "HealthRestored"]

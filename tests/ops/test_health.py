"""/healthz answers without touching anything; /readyz says which dependency is down."""

from __future__ import annotations

import pytest
from django.test import Client

from mvidarr.ops import health
from mvidarr.services import check_database


def test_healthz_answers_ok_without_the_database():
    # No db fixture: pytest-django would fail the test if the view touched the database.
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.fixture
def client(client, boss):
    """The checks' details are for staff: these tests read them as staff."""
    client.force_login(boss)
    return client


def test_readyz_is_ok_when_every_dependency_answers(client, db, all_queues_beating):
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    for name in ("database", "redis", "worker:interactive", "worker:bulk"):
        assert body["checks"][name]["ok"] is True, body["checks"][name]
    assert body["checks"]["js_runtime"]["warning"] is True
    assert body["checks"]["ffmpeg"]["warning"] is True


def test_readyz_fails_when_redis_is_on_a_closed_port(
    client, db, all_queues_beating, settings, closed_port_redis_url
):
    settings.REDIS_URL = closed_port_redis_url
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "fail"
    assert body["checks"]["redis"]["ok"] is False
    assert "Cannot reach Redis" in body["checks"]["redis"]["detail"]
    assert body["checks"]["database"]["ok"] is True
    # Heartbeats live in Redis: with Redis gone, no worker can be seen either.
    assert body["checks"]["worker:interactive"]["ok"] is False


def test_the_database_check_fails_on_a_bad_database_url(broken_database):
    result = check_database(broken_database)
    assert not result.ok
    assert "check DATABASE_URL" in result.detail


def test_readyz_fails_when_the_database_is_unreachable(
    client, broken_database, all_queues_beating, monkeypatch
):
    monkeypatch.setattr(health, "check_database", lambda alias: check_database(broken_database))
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 503
    assert body["checks"]["database"]["ok"] is False
    assert body["checks"]["redis"]["ok"] is True


def test_readiness_reports_each_check_for_a_broken_database(broken_database, all_queues_beating):
    result = health.readiness(database=broken_database)
    assert result["status"] == "fail"
    assert result["checks"]["database"]["ok"] is False


def test_readyz_fails_when_no_worker_consumes_a_queue(client, db, heartbeat, settings):
    heartbeat(queues=[settings.QUEUE_INTERACTIVE])
    body = client.get("/readyz").json()
    assert body["status"] == "fail"
    assert body["checks"]["worker:interactive"]["ok"] is True
    assert body["checks"]["worker:bulk"]["ok"] is False
    assert "bulk queue" in body["checks"]["worker:bulk"]["detail"]


def test_a_heartbeat_older_than_the_window_does_not_count(client, db, heartbeat, settings):
    settings.READY_WORKER_WINDOW_SECONDS = 30
    heartbeat(queues=[settings.QUEUE_INTERACTIVE, settings.QUEUE_BULK], age=45)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker:bulk"]["ok"] is False


@pytest.mark.parametrize(
    ("setting", "value", "check"),
    [("JS_RUNTIME", "none", "js_runtime"), ("FFMPEG_PATH", "/nonexistent/ffmpeg", "ffmpeg")],
)
def test_a_missing_js_runtime_or_ffmpeg_is_a_warning_not_a_failure(
    client, db, all_queues_beating, settings, setting, value, check
):
    setattr(settings, setting, value)
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200
    assert body["checks"][check] == {
        "ok": False,
        "detail": body["checks"][check]["detail"],
        "warning": True,
    }
    assert body["checks"][check]["detail"]


def test_anonymous_callers_get_the_status_alone(
    db, all_queues_beating, settings, closed_port_redis_url
):
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    settings.REDIS_URL = closed_port_redis_url
    failing = Client().get("/readyz")
    assert failing.status_code == 503
    assert failing.json() == {"status": "fail"}


def test_signed_in_members_get_the_status_alone(alice, all_queues_beating):
    client = Client()
    client.force_login(alice)
    assert client.get("/readyz").json() == {"status": "ok"}


def test_the_metrics_token_sees_the_details(db, all_queues_beating, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    detailed = Client().get("/readyz", headers={"Authorization": "Bearer s3cret-token"})
    assert detailed.json()["checks"]["database"]["ok"] is True
    wrong = Client().get("/readyz", headers={"Authorization": "Bearer guess"})
    assert wrong.json() == {"status": "ok"}

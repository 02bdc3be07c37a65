"""Fixtures for the operations tests: worker heartbeats, a broken database."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import dramatiq
import pytest
from django.db import connections
from django.utils import timezone

from mvidarr.ops.health import broker_namespace
from mvidarr.ops.workers import WorkerRecord, write_heartbeat
from tests.support import free_port


@pytest.fixture
def heartbeat(settings):
    """Write a worker heartbeat as a worker would: ``heartbeat(queues=[...], age=0)``."""
    broker = dramatiq.get_broker()

    def beat(*, queues: list[str], age: float = 0.0, worker_id: str = "host:1:abc", jobs=()):
        record = WorkerRecord(
            worker_id=worker_id,
            host="host",
            pid=1,
            queues=list(queues),
            last_seen=time.time() - age,
            threads=4,
            current_jobs=list(jobs),
        )
        write_heartbeat(broker.client, broker_namespace(), record, interval=10)
        return record

    return beat


@pytest.fixture
def all_queues_beating(heartbeat, settings):
    return heartbeat(queues=[settings.QUEUE_INTERACTIVE, settings.QUEUE_BULK])


@pytest.fixture
def closed_port_redis_url():
    return f"redis://127.0.0.1:{free_port()}/0"


@pytest.fixture
def broken_database(db):
    """A database alias whose URL points nowhere: a closed port (PostgreSQL) or a file in a
    folder that does not exist (SQLite). Depends on ``db`` so pytest-django sets up first."""
    config = dict(connections.settings["default"])
    if config["ENGINE"].endswith("sqlite3"):
        config["NAME"] = "/nonexistent-mvidarr-dir/nested/db.sqlite3"
    else:
        config.update(HOST="127.0.0.1", PORT=str(free_port()))
    connections.settings["broken"] = config
    yield "broken"
    connections["broken"].close()
    del connections["broken"]
    del connections.settings["broken"]


def ago(**kwargs) -> datetime:
    return timezone.now() - timedelta(**kwargs)

"""Fixtures for the operations tests: known jobs, heartbeats, users, a broken database."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import dramatiq
import pytest
from django.db import connections
from django.utils import timezone

from jobs.models import Job
from mvidarr.ops.health import broker_namespace
from mvidarr.ops.workers import WorkerRecord, write_heartbeat
from tests.support import free_port, make_user
from videos.models import Video, VideoFile

Kind = Job.Kind
Status = Job.Status


@pytest.fixture
def staff(db):
    return make_user("boss", is_staff=True)


@pytest.fixture
def member(db):
    return make_user("carol")


@pytest.fixture
def make_job(db):
    """Create a job row as it would be at some point of its life, timestamps included."""

    def make(
        *,
        status: str = Status.COMPLETED,
        kind: str = Kind.VIDEO_DOWNLOAD,
        video: Video | None = None,
        duration: float | None = None,
        finished_ago: timedelta = timedelta(minutes=5),
        created_ago: timedelta | None = None,
        file_size: int | None = None,
        **fields,
    ) -> Job:
        now = timezone.now()
        if video is None and kind != Kind.BULK_VIDEO_DOWNLOAD:
            video = Video.objects.create(
                source_url=f"https://videos.example/{time.monotonic_ns()}", title="A video"
            )
        if video is not None and file_size is not None:
            VideoFile.objects.update_or_create(
                video=video, defaults={"path": f"{video.pk}.mp4", "size": file_size}
            )
        finished_at = now - finished_ago if status in Job.FINISHED_STATUSES else None
        started_at = fields.pop("started_at", None)
        if started_at is None and duration is not None and finished_at is not None:
            started_at = finished_at - timedelta(seconds=duration)
        job = Job.objects.create(
            kind=kind,
            status=status,
            video=video,
            started_at=started_at,
            finished_at=finished_at,
            **fields,
        )
        created_at = now - (created_ago if created_ago is not None else finished_ago)
        Job.objects.filter(pk=job.pk).update(created_at=created_at)
        job.refresh_from_db()
        return job

    return make


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

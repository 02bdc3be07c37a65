"""A real Dramatiq worker on the real Redis broker, in this process, for job tests."""

from __future__ import annotations

import contextlib

import dramatiq
import pytest

import jobs.actors  # noqa: F401 - declares the actors and their queues on the broker
from jobs.progress import DirectPublisher
from jobs.worker import RunContext
from tests.support import make_user, wait_until
from videos.models import Video
from videos.services import ytdlp_config


@pytest.fixture
def fast_jobs(settings):
    """Job settings that keep tests short: quick backoff, quick heartbeats."""
    settings.JOB_BACKOFF_BASE_SECONDS = 0.2
    settings.JOB_BACKOFF_MAX_SECONDS = 0.5
    settings.JOB_HEARTBEAT_SECONDS = 0.5
    settings.JOB_PROGRESS_INTERVAL_SECONDS = 0.2
    settings.JOB_MAX_ATTEMPTS = 3
    settings.YTDLP_RETRIES = 1
    settings.YTDLP_SOCKET_TIMEOUT = 5
    return settings


@contextlib.contextmanager
def running_worker(*, threads: int):
    """An in-process worker on every queue of the real broker, stopped and forgotten after."""
    broker = dramatiq.get_broker()
    broker.flush_all()
    started = dramatiq.Worker(broker, worker_threads=threads, worker_timeout=100)
    started.start()
    try:
        yield started
    finally:
        started.stop(timeout=60_000)
        broker.flush_all()
        forget_worker(broker)


@pytest.fixture
def worker(transactional_db, fast_jobs):
    """Start a worker (16 threads) on every queue; it stops before the database is flushed."""
    with running_worker(threads=16) as started:
        yield started


def forget_worker(broker) -> None:
    """A stopped in-process worker leaves its middleware on the shared broker; drop it."""
    broker.middleware[:] = [m for m in broker.middleware if type(m).__name__ != "_WorkerMiddleware"]


@pytest.fixture
def context(transactional_db, fast_jobs):
    """A run context for calling the runner directly, pushing straight to the channel layer."""
    return RunContext(publisher=DirectPublisher(), worker_id="test", config=ytdlp_config())


@pytest.fixture
def alice(transactional_db):
    return make_user("alice")


@pytest.fixture
def bob(transactional_db):
    return make_user("bob")


@pytest.fixture
def make_video(transactional_db, media_server):
    def make(path: str = "clips/360p.mp4", **fields) -> Video:
        url = path if path.startswith("http") else media_server.url(path)
        return Video.objects.create(source_url=url, **fields)

    return make


def wait_for_job(job, *, timeout: float = 60.0, statuses=("completed", "failed", "cancelled")):
    """Poll the row until the job reaches one of ``statuses``; return it refreshed."""

    def done() -> bool:
        job.refresh_from_db()
        return job.status in statuses

    wait_until(done, timeout=timeout, interval=0.1, message=f"job {job.pk} stuck in {job.status}")
    return job

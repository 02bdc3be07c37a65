"""Workers announce which queues they consume and which jobs they run."""

from __future__ import annotations

import dramatiq
import pytest

import jobs.actors  # noqa: F401 - declares the job queues on the broker
import mvidarr.actors  # noqa: F401 - the housekeeping actor
from mvidarr.ops import logs
from mvidarr.ops.health import broker_namespace, check_workers
from mvidarr.ops.heartbeat import WorkerHeartbeat
from mvidarr.ops.workers import read_workers
from tests.support import wait_until


def heartbeat_middleware(broker) -> WorkerHeartbeat:
    return next(m for m in broker.middleware if isinstance(m, WorkerHeartbeat))


@pytest.fixture
def running_worker(transactional_db, settings):
    settings.WORKER_HEARTBEAT_SECONDS = 0.2
    broker = dramatiq.get_broker()
    broker.flush_all()
    worker = dramatiq.Worker(
        broker, queues={settings.QUEUE_INTERACTIVE, settings.QUEUE_BULK}, worker_threads=2
    )
    worker.start()
    yield worker
    worker.stop(timeout=10_000)
    broker.flush_all()


def test_a_started_worker_beats_for_each_queue_it_consumes(running_worker, settings):
    broker = dramatiq.get_broker()
    records = read_workers(broker.client, broker_namespace())
    assert len(records) == 1
    assert set(records[0].queues) == {settings.QUEUE_INTERACTIVE, settings.QUEUE_BULK}
    assert records[0].threads == 2
    first = records[0].last_seen
    wait_until(
        lambda: read_workers(broker.client, broker_namespace())[0].last_seen > first,
        timeout=5,
        message="the heartbeat was not renewed",
    )
    checks = check_workers()
    assert checks["worker:interactive"].ok and checks["worker:bulk"].ok


def test_a_stopped_worker_removes_its_heartbeat(transactional_db, settings):
    settings.WORKER_HEARTBEAT_SECONDS = 0.2
    broker = dramatiq.get_broker()
    worker = dramatiq.Worker(broker, queues={settings.QUEUE_BULK}, worker_threads=1)
    worker.start()
    assert [r.queues for r in read_workers(broker.client, broker_namespace())] == [["bulk"]]
    worker.stop(timeout=10_000)
    assert read_workers(broker.client, broker_namespace()) == []


def test_the_heartbeat_lists_the_jobs_of_the_messages_being_processed(db):
    middleware = WorkerHeartbeat()
    broker = dramatiq.get_broker()
    message = dramatiq.Message(
        queue_name="interactive", actor_name="download_video", args=(42,), kwargs={}, options={}
    )
    middleware.before_process_message(broker, message)
    try:
        assert middleware.record().current_jobs == [42]
        assert logs.current_job_context() == {"job_id": 42}
    finally:
        middleware.after_process_message(broker, message)
    assert middleware.record().current_jobs == []
    assert logs.current_job_context() == {}

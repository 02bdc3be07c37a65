"""The fake providers, with MVidarr's settings pointing at them (through the environment,
whose value wins over the settings store)."""

from __future__ import annotations

import pytest

from jobs.models import Job
from jobs.progress import DirectPublisher
from jobs.worker import RunContext
from tests.providers.fakes import IMVDB_KEY, FakeImvdb, FakeMusicBrainz
from videos.services import ytdlp_config


@pytest.fixture
def imvdb_server(monkeypatch):
    server = FakeImvdb().start()
    monkeypatch.setenv("IMVDB_API_URL", server.url)
    monkeypatch.setenv("IMVDB_API_KEY", IMVDB_KEY)
    monkeypatch.setenv("MVIDARR_IMVDB_RATE", "100")
    yield server
    server.stop()


@pytest.fixture
def musicbrainz_server(monkeypatch):
    server = FakeMusicBrainz().start()
    monkeypatch.setenv("MUSICBRAINZ_API_URL", server.url)
    monkeypatch.setenv("MVIDARR_MUSICBRAINZ_RATE", "100")
    yield server
    server.stop()


@pytest.fixture
def context(transactional_db, fast_jobs):
    """A run context for calling a runner directly."""
    return RunContext(publisher=DirectPublisher(), worker_id="test", base_config=ytdlp_config())


@pytest.fixture
def run_job(context):
    """``run_job(job, runner)``: run each message of the job until it is no longer queued
    (a paged job goes back to the queue for its next page); return the job refreshed."""

    def run(job, runner):
        for _ in range(50):
            job.refresh_from_db()
            if job.status != Job.Status.QUEUED:
                return job
            runner(job.pk, context=context)
        raise AssertionError(f"job {job.pk} still queued after 50 messages")

    return run

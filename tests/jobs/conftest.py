"""The job tests' own: a run context for calling the runner directly, and waiting for a job.
The worker itself is a shared fixture (tests.fixtures)."""

from __future__ import annotations

import pytest

from jobs.progress import DirectPublisher
from jobs.worker import RunContext
from tests.support import wait_until
from videos.services import ytdlp_config


@pytest.fixture
def context(transactional_db, fast_jobs):
    """A run context for calling the runner directly, pushing straight to the channel layer."""
    return RunContext(publisher=DirectPublisher(), worker_id="test", base_config=ytdlp_config())


def wait_for_job(job, *, timeout: float = 60.0, statuses=("completed", "failed", "cancelled")):
    """Poll the row until the job reaches one of ``statuses``; return it refreshed."""

    def done() -> bool:
        job.refresh_from_db()
        return job.status in statuses

    wait_until(done, timeout=timeout, interval=0.1, message=f"job {job.pk} stuck in {job.status}")
    return job

"""The connections' tests: the fake servers (tests.connections.fakes) and a run context."""

from __future__ import annotations

import pytest

from jobs.progress import DirectPublisher
from jobs.worker import RunContext
from tests.connections.fakes import fake_server, kodi_server  # noqa: F401 - fixtures
from videos.services import ytdlp_config


@pytest.fixture
def context(transactional_db, fast_jobs):
    """A run context for calling the runner directly."""
    return RunContext(publisher=DirectPublisher(), worker_id="test", base_config=ytdlp_config())

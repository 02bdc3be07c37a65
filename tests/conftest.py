"""Fixtures shared by every test: a temporary library, a clean Redis database."""

from __future__ import annotations

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.redis_server import redis_of_its_own

pytest_plugins = ["tests.fixtures", "tests.media.conftest_plugin"]


@pytest.fixture(autouse=True)
def library_root(settings, tmp_path, monkeypatch):
    """Every test gets an empty library of its own, no artwork and no minimum free space
    (the machine's disk is not the test's business; tests of that setting unset it)."""
    root = tmp_path / "library"
    root.mkdir()
    settings.LIBRARY_ROOT = root
    settings.ARTWORK_ROOT = tmp_path / "artwork"
    settings.VAR_DIR = tmp_path / "var"
    monkeypatch.setenv("MVIDARR_MIN_FREE_MB", "0")
    return root


@pytest.fixture(autouse=True)
def allow_media_server(settings, media_server):
    """The private-address guard lets MVidarr fetch from the test media server, and only it."""
    settings.ALLOWED_PRIVATE_HOSTS = [f"127.0.0.1:{media_server.port}"]


@pytest.fixture(autouse=True)
def no_refresh_after_probe(monkeypatch):
    """No test asks musicbrainz.org: the providers' refresh that follows an addition (on by
    default) is off unless a test turns it on with the fake providers
    (tests/providers/test_refresh_after_add.py)."""
    monkeypatch.setenv("MVIDARR_PROVIDERS_REFRESH_AFTER_PROBE", "false")


@pytest.fixture(autouse=True)
def in_process_workers_keep_the_tests_priority(settings):
    """A worker started inside the test process (dramatiq.Worker(...).start()) boots in the
    test's own main thread: lowering its CPU priority would slow every test after it (and the
    worker processes those start). Worker processes a test starts read the environment."""
    settings.WORKER_NICE = 0


@pytest.fixture(autouse=True)
def redis_client():
    """The test Redis database, emptied before each test (REDIS_URL names a test database)."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.flushdb()
    yield client
    client.close()


@pytest.fixture
def own_redis(settings, tmp_path):
    """A Redis server of this test's own on a spare port (tests.redis_server), that the test
    may stop and start again; REDIS_URL, the cache, the channel layer and the broker use it."""
    with redis_of_its_own(settings, tmp_path / "redis") as server:
        yield server


@pytest.fixture
def migrator(request, transactional_db):
    """The database migrated back to the test module's ``BEFORE`` state; whatever the test
    does, it is migrated forward to the latest migrations afterwards."""
    executor = MigrationExecutor(connection)
    executor.migrate(request.module.BEFORE)
    yield executor
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

"""Fixtures for the videos tests."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.fixture
def migrator(request, transactional_db):
    """The database migrated back to the test module's ``BEFORE`` state; whatever the test
    does, it is migrated forward to the latest migrations afterwards."""
    executor = MigrationExecutor(connection)
    executor.migrate(request.module.BEFORE)
    yield executor
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

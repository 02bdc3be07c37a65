"""Fixtures for the page, feed and admin tests: logged-in clients."""

from __future__ import annotations

import pytest


@pytest.fixture
def logged_in(client):
    """``logged_in(user)``: the test client, logged in as ``user``."""

    def login(user):
        client.force_login(user)
        return client

    return login

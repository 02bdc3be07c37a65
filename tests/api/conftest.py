"""Fixtures for the REST API tests: clients, a video, fresh throttles."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from videos.models import Video


@pytest.fixture(autouse=True)
def fresh_throttles():
    """Throttles count in the default cache; every test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client_for():
    """``client_for(user)``: an API client authenticated as ``user`` (anonymous for None)."""

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def api(client_for, alice) -> APIClient:
    """Alice's client: most tests act as an ordinary user."""
    return client_for(alice)


@pytest.fixture
def video(db) -> Video:
    return Video.objects.create(source_url="https://example.com/watch?v=army", title="Army of Me")

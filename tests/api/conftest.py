"""Fixtures for the REST API tests: users, clients, videos and jobs in any state."""

from __future__ import annotations

import itertools

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from jobs.models import Job
from tests.jobs.conftest import fast_jobs, make_video, worker  # noqa: F401 - shared fixtures
from tests.support import make_user
from videos.models import Video


@pytest.fixture(autouse=True)
def fresh_throttles():
    """Throttles count in the default cache; every test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def alice(db):
    return make_user("alice")


@pytest.fixture
def bob(db):
    return make_user("bob")


@pytest.fixture
def boss(db):
    """A staff user."""
    return make_user("boss", is_staff=True)


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


@pytest.fixture
def make_job(db):
    """``make_job(user, status, kind=..., video=..., parent=...)``: a job row in any state."""

    numbers = itertools.count(1)

    def make(user, status: str, *, kind: str = Job.Kind.VIDEO_DOWNLOAD, **fields):
        if kind == Job.Kind.VIDEO_DOWNLOAD and "video" not in fields:
            fields["video"] = Video.objects.create(
                source_url=f"https://example.com/v/{next(numbers)}",
                status=Video.Status.QUEUED if status in ("queued", "processing") else "wanted",
            )
        now = timezone.now()
        if status != Job.Status.QUEUED:
            fields.setdefault("started_at", now)
        if status in Job.FINISHED_STATUSES:
            fields.setdefault("finished_at", now)
        if status == Job.Status.FAILED:
            fields.setdefault("error", "The site answered 404: the video is gone.")
        return Job.objects.create(
            user=user, kind=kind, status=status, options={"quality": "best"}, **fields
        )

    return make

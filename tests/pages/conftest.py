"""Fixtures for the page, feed and admin tests: users, logged-in clients, library rows."""

from __future__ import annotations

import itertools

import pytest
from django.utils import timezone

from jobs.models import Job
from tests.support import make_user
from videos.models import Artist, Video, VideoFile


@pytest.fixture
def alice(db):
    return make_user("alice")


@pytest.fixture
def bob(db):
    return make_user("bob")


@pytest.fixture
def boss(db):
    """A staff user."""
    return make_user("boss", is_staff=True, is_superuser=True)


@pytest.fixture
def logged_in(client):
    """``logged_in(user)``: the test client, logged in as ``user``."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def make_video(db):
    """``make_video(title, artist=name, status=..., file_path=..., **fields)``: a video row,
    and its file record when ``file_path`` (``file_size``, ``width``, ``height``, ``format``)
    is given."""
    numbers = itertools.count(1)
    file_fields = {"file_path": "path", "file_size": "size", "width": "width"}
    file_fields.update(height="height", format="format")

    def make(title: str = "", *, artist: str | None = None, **fields) -> Video:
        if artist is not None:
            fields["artist"], _ = Artist.objects.get_or_create(
                name=artist, defaults={"sort_name": artist, "folder_name": artist}
            )
        fields.setdefault("source_url", f"https://videos.example/watch/{next(numbers)}")
        file = {name: fields.pop(key) for key, name in file_fields.items() if key in fields}
        video = Video.objects.create(title=title, **fields)
        if file:
            VideoFile.objects.create(video=video, **file)
        return video

    return make


@pytest.fixture
def make_job(db, make_video):
    """``make_job(user, status, kind=..., video=..., **fields)``: a job row in any state."""

    def make(user, status: str, *, kind: str = Job.Kind.VIDEO_DOWNLOAD, **fields):
        if kind == Job.Kind.VIDEO_DOWNLOAD and "video" not in fields:
            active = status in Job.ACTIVE_STATUSES
            fields["video"] = make_video(
                "Hyperballad", status=Video.Status.QUEUED if active else Video.Status.WANTED
            )
        now = timezone.now()
        if status != Job.Status.QUEUED:
            fields.setdefault("started_at", now)
        if status in Job.FINISHED_STATUSES:
            fields.setdefault("finished_at", now)
        if status == Job.Status.FAILED:
            fields.setdefault("error", "The site answered 404: the video is gone.")
        fields.setdefault("options", {"quality": "best"})
        return Job.objects.create(user=user, kind=kind, status=status, **fields)

    return make

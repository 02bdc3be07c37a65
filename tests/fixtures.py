"""The fixtures every test folder shares: users, artists, videos and jobs; registered in
tests/conftest.py with ``pytest_plugins`` (the media server is ``tests.media.conftest_plugin``).

The worker fixtures run a real Dramatiq worker on the real Redis broker in this process.
The row fixtures ask for ``db``, and pytest-django gives a test a transactional database
whenever anything it uses asks for ``transactional_db`` (a worker, ``live_server``), so each
test keeps the database it needs whatever users or rows it asks for. Rows are made with the
ORM, never through services, so a job can be in any state without a worker.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Iterator
from datetime import timedelta

import dramatiq
import pytest
from django.test import override_settings
from django.utils import timezone

import jobs.actors  # noqa: F401 - declares the actors and their queues on the broker
from jobs.models import Job
from jobs.transitions import bulk_count_move
from tests.support import make_user
from videos.models import Artist, QualityProfile, Source, Video, VideoFile
from videos.quality import VIDEO_QUALITIES

DEFAULT_CLIP = "clips/360p.mp4"
# make_video's keywords for the video's file record, and the VideoFile fields they fill.
FILE_FIELDS = {
    "file_path": "path",
    "file_size": "size",
    "width": "width",
    "height": "height",
    "format": "format",
    "video_codec": "video_codec",
    "audio_codec": "audio_codec",
}
FAILED_JOB_ERROR = "The site answered 404: the video is gone."


@pytest.fixture
def alice(db):
    return make_user("alice")


@pytest.fixture
def bob(db):
    return make_user("bob")


@pytest.fixture
def boss(db):
    """A staff user (no permissions of a superuser)."""
    return make_user("boss", is_staff=True)


@pytest.fixture
def root(db):
    """A superuser: the admin's every page and action."""
    return make_user("root", is_staff=True, is_superuser=True)


@pytest.fixture
def make_artist(db) -> Callable[..., Artist]:
    """``make_artist(name, **fields)``: the artist of that name, made once."""

    def make(name: str, **fields) -> Artist:
        defaults = {"sort_name": name, "folder_name": name, **fields}
        artist, _ = Artist.objects.get_or_create(name=name, defaults=defaults)
        return artist

    return make


@pytest.fixture
def default_profile(db) -> QualityProfile:
    """The default quality profile: migration 0007's "Any", made again when a transactional
    test before this one flushed it."""
    found = QualityProfile.objects.filter(is_default=True).first()
    return found or QualityProfile.objects.create(
        name="Any", qualities=list(VIDEO_QUALITIES), is_default=True
    )


@pytest.fixture
def make_video(db, media_server, make_artist) -> Callable[..., Video]:
    """``make_video(title, clip=..., artist=name or Artist, file_path=..., **fields)``: a video
    row whose source is ``clip`` on the test media server (so a worker can download it) unless
    ``source_url`` is given, and its file record when ``file_path`` (with ``file_size``,
    ``width``, ``height``, ``format``) is given."""

    def make(
        title: str = "", *, clip: str = DEFAULT_CLIP, artist: str | Artist | None = None, **fields
    ) -> Video:
        if isinstance(artist, str):
            artist = make_artist(artist)
        fields.setdefault("source_url", media_server.url(clip))
        file = {name: fields.pop(key) for key, name in FILE_FIELDS.items() if key in fields}
        video = Video.objects.create(title=title, artist=artist, **fields)
        if file:
            VideoFile.objects.create(video=video, **file)
        return video

    return make


@pytest.fixture
def make_source(db, make_artist) -> Callable[..., Source]:
    """``make_source(url, artist=name or Artist, **fields)``: a source row, not scheduled
    (``next_index_at`` None) unless given."""

    def make(url: str, *, artist: str | Artist | None = None, **fields) -> Source:
        if isinstance(artist, str):
            artist = make_artist(artist)
        return Source.objects.create(url=url, artist=artist, **fields)

    return make


@pytest.fixture
def make_job(db, make_video) -> Callable[..., Job]:
    """``make_job(user, status, kind=..., video=..., parent=..., **fields)``: a job row as it
    would be at that point of its life. A job that is not a bulk job gets a video of its own
    unless given one; ``finished_ago`` and ``created_ago`` date it, ``duration`` (seconds) puts
    its start before its end, ``file_size`` is the size of its video's file."""
    numbers = itertools.count(1)

    def make(
        user=None,
        status: str = Job.Status.COMPLETED,
        *,
        kind: str = Job.Kind.VIDEO_DOWNLOAD,
        finished_ago: timedelta = timedelta(0),
        created_ago: timedelta | None = None,
        duration: float | None = None,
        file_size: int | None = None,
        **fields,
    ) -> Job:
        now = timezone.now()
        if kind != Job.Kind.BULK_VIDEO_DOWNLOAD and "video" not in fields:
            downloading = kind == Job.Kind.VIDEO_DOWNLOAD and status in Job.ACTIVE_STATUSES
            fields["video"] = make_video(
                f"Video {next(numbers)}",
                status=Video.Status.QUEUED if downloading else Video.Status.WANTED,
            )
        if file_size is not None:
            video = fields["video"]
            VideoFile.objects.update_or_create(
                video=video, defaults={"path": f"{video.pk}.mp4", "size": file_size}
            )
        if status in Job.FINISHED_STATUSES:
            fields.setdefault("finished_at", now - finished_ago)
        if duration is not None:
            fields.setdefault("started_at", fields["finished_at"] - timedelta(seconds=duration))
        elif status != Job.Status.QUEUED:
            fields.setdefault("started_at", fields.get("finished_at", now))
        if status == Job.Status.FAILED:
            fields.setdefault("error", FAILED_JOB_ERROR)
        fields.setdefault("options", {"quality": "best"})
        job = Job.objects.create(user=user, kind=kind, status=status, **fields)
        if job.parent_id is not None:  # its bulk job counts it, as the transitions would
            bulk_count_move(parent_id=job.parent_id, old=None, new=status)
        if created_ago is not None or job.started_at is not None:
            created_at = now - created_ago if created_ago is not None else job.started_at
            Job.objects.filter(pk=job.pk).update(created_at=created_at)
            job.refresh_from_db()
        return job

    return make


@pytest.fixture
def fast_jobs(settings):
    """Job settings that keep tests short: quick backoff, quick heartbeats."""
    settings.JOB_BACKOFF_BASE_SECONDS = 0.2
    settings.JOB_BACKOFF_MAX_SECONDS = 0.5
    settings.JOB_HEARTBEAT_SECONDS = 0.5
    settings.JOB_PROGRESS_INTERVAL_SECONDS = 0.2
    settings.JOB_MAX_ATTEMPTS = 3
    settings.YTDLP_RETRIES = 1
    settings.YTDLP_SOCKET_TIMEOUT = 5
    return settings


@contextlib.contextmanager
def running_worker(*, threads: int) -> Iterator[dramatiq.Worker]:
    """An in-process worker on every queue of the real broker, stopped and forgotten after."""
    broker = dramatiq.get_broker()
    broker.flush_all()
    started = dramatiq.Worker(broker, worker_threads=threads, worker_timeout=100)
    # In-process, the worker's boot runs in the test's own main thread: lowering its CPU
    # priority would slow every test after it, for good.
    with override_settings(WORKER_NICE=0):
        started.start()
    try:
        yield started
    finally:
        started.stop(timeout=60_000)
        broker.flush_all()
        forget_worker(broker)


def forget_worker(broker) -> None:
    """A stopped in-process worker leaves its middleware on the shared broker; drop it."""
    broker.middleware[:] = [m for m in broker.middleware if type(m).__name__ != "_WorkerMiddleware"]


@pytest.fixture
def worker(transactional_db, fast_jobs):
    """Start a worker (16 threads) on every queue; it stops before the database is flushed."""
    with running_worker(threads=16) as started:
        yield started

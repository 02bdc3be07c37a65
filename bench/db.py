"""What the benchmark does behind the API's back, through MVidarr's own models and services:
set-up (the user, a session cookie, thousands of videos at once) and bookkeeping (job states,
live figures, cancelling what a test leaves running).

Videos are inserted directly: adding one through ``POST /api/videos/`` also starts a metadata
probe, and thousands of probes would be a benchmark of their own.

Import this module only after ``django.setup()``.
"""

from __future__ import annotations

import contextlib
import time

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import close_old_connections

from jobs import live
from jobs.models import Job
from jobs.services import JobStateError, job_cancel
from videos.models import Video

USERNAME = "bench"
PASSWORD = "bench-password-not-secret"
Status = Job.Status


def ensure_user():
    users = get_user_model()
    user = users.objects.filter(username=USERNAME).first()
    if user is None:
        user = users.objects.create_superuser(username=USERNAME, email="", password=PASSWORD)
    return user


def session_cookie(user) -> str:
    """A logged-in session for ``user``: the ``Cookie`` header value for the WebSocket."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"sessionid={session.session_key}"


def add_videos(urls: list[str], *, label: str) -> list[int]:
    """Insert one video per URL (titled ``<label> <n>``); return their ids in order."""
    videos = [Video(source_url=url, title=f"{label} {n:05d}") for n, url in enumerate(urls)]
    created = Video.objects.bulk_create(videos, batch_size=500)
    return [video.pk for video in created]


def statuses(job_ids: list[int]) -> dict[int, str]:
    close_old_connections()
    return dict(Job.objects.filter(pk__in=job_ids).values_list("pk", "status"))


def count_by_status(job_ids: list[int]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in statuses(job_ids).values():
        counts[status] = counts.get(status, 0) + 1
    return counts


def downloaded_bytes(job_ids: list[int]) -> dict[int, int]:
    """Each job's live ``downloaded_bytes`` in Redis (0 when it has none yet)."""
    figures = live.read_live(job_ids)
    return {job_id: int(figures.get(job_id, {}).get("downloaded_bytes") or 0) for job_id in job_ids}


def wait_finished(job_ids: list[int], *, timeout: float, poll: float = 0.05) -> float:
    """Wait until every job has finished; return the monotonic time it happened.

    Raises RuntimeError with the status counts on timeout.
    """
    deadline = time.monotonic() + timeout
    pending = set(job_ids)
    while time.monotonic() < deadline:
        close_old_connections()
        done = Job.objects.filter(pk__in=pending, status__in=Job.FINISHED_STATUSES).values_list(
            "pk", flat=True
        )
        pending -= set(done)
        if not pending:
            return time.monotonic()
        time.sleep(poll)
    raise RuntimeError(
        f"{len(pending)} of {len(job_ids)} jobs had not finished after {timeout:.0f} s: "
        f"{count_by_status(job_ids)}"
    )


def failures(job_ids: list[int]) -> list[str]:
    """The error of every job that did not complete, for a report."""
    close_old_connections()
    rows = Job.objects.filter(pk__in=job_ids).exclude(status=Status.COMPLETED)
    return [f"#{job.pk} {job.status}: {job.error or job.message}" for job in rows]


def cancel_queued() -> int:
    """Mark every queued job cancelled in one UPDATE (their messages become no-ops)."""
    close_old_connections()
    return Job.objects.filter(status=Status.QUEUED).update(
        status=Status.CANCELLED, message="Cancelled by the benchmark"
    )


def cancel_everything(user, *, timeout: float = 60.0) -> None:
    """End every active job and wait until none is active.

    Running jobs are cancelled through the service (they stop at their next progress report);
    queued ones, possibly thousands left by the load generator, are marked cancelled in one
    UPDATE, and their messages become no-ops (or are purged with the queue).
    """
    cancel_queued()
    for job in Job.objects.filter(status=Status.PROCESSING):
        with contextlib.suppress(JobStateError):  # it finished meanwhile
            job_cancel(job=job, user=user)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        close_old_connections()
        if not Job.objects.filter(status__in=Job.ACTIVE_STATUSES).exists():
            return
        time.sleep(0.2)
    raise RuntimeError(f"Jobs were still active {timeout:.0f} s after they were cancelled.")

"""The library-size curve: the pages, the API, the job feed and the ops figures at libraries of
1,000, 10,000 and 100,000 videos across 5,000 artists, with ten finished jobs per video (up to
1,000,000 job rows, half of them past the retention), and one housekeeping run at each size.

Each size starts from an empty library seeded by :mod:`bench.seed` (seconds, not minutes).
Every endpoint is called one request at a time by the benchmark's staff user: up to
``CALLS`` times per repetition, fewer when it is slow (at least ``MIN_CALLS``, within
``BUDGET_SECONDS``); each repetition gives a p50 and a p99 (of so few calls, the p99 is close
to the slowest). Then housekeeping runs once, in this process, as its actor does: it prunes
the expired half of the jobs. A thread meanwhile updates one job row again and again (a
worker's heartbeat): the longest such update is the longest a writer waited on
housekeeping's locks; and the longest transaction housekeeping held open is timed from
its statements.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import close_old_connections, connection, connections
from django.utils import timezone
from websockets.asyncio.client import connect

from bench.context import Context
from bench.seed import seed_library, wipe_library
from bench.stats import Figure, percentile, without_gc
from jobs.housekeeping import run_housekeeping
from jobs.models import Job
from jobs.progress import DirectPublisher
from videos.models import Artist

SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 10_000)
ARTISTS = 5_000
CALLS = 15
MIN_CALLS = 3
BUDGET_SECONDS = 8.0
TIMEOUT_SECONDS = 120  # a call that takes longer counts as this long, and is not repeated
SEARCH = "midnight"  # a word in about one title in twelve
API_PAGE_SIZE = 50
GOAL_MS = 100.0

# (name, how it is called, path): "page" with the session cookie, "api" with the token.
ENDPOINTS = (
    ("library page", "page", "/"),
    ("library page, filtered by status", "page", "/?status=wanted"),
    ("library page, title search", "page", f"/?q={SEARCH}"),
    ("library page, sorted by artist", "page", "/?sort=artist"),
    ("library page, largest files first", "page", "/?sort=-size"),
    ("library page, below cutoff", "page", "/?quality=below_cutoff"),
    ("artists page", "page", "/artists/"),
    ("an artist page", "page", "/artists/{artist}/"),
    ("GET /api/videos/", "api", "/api/videos/"),
    ("GET /api/videos/ page 1,000", "api", "/api/videos/?page={deep_page}"),
    ("GET /api/videos/?search=", "api", f"/api/videos/?search={SEARCH}"),
    (
        "GET /api/videos/?ordering=title page 1,000",
        "api",
        "/api/videos/?ordering=title&page={deep_page}",
    ),
    ("GET /api/jobs/", "api", "/api/jobs/"),
    ("job dashboard", "page", "/jobs/"),
    ("/ops/status.json", "page", "/ops/status.json"),
    ("/metrics", "page", "/metrics"),
)
SNAPSHOT = "WebSocket snapshot"


@dataclass
class Timing:
    p50: Figure = field(default_factory=Figure)
    p99: Figure = field(default_factory=Figure)
    size: Figure = field(default_factory=Figure)  # bytes of the answer
    calls: Figure = field(default_factory=Figure)


def sizes_for(ctx: Context) -> tuple[int, ...]:
    if ctx.sizes:
        return tuple(ctx.sizes)
    return QUICK_SIZES if ctx.quick else SIZES


def run(ctx: Context) -> dict:
    # The other scenarios' workers are not needed: nothing here runs a job.
    for queue, worker in list(ctx.workers.items()):
        ctx.stack.stop(worker)
        ctx.stack.purge_queue(queue)
        del ctx.workers[queue]
    results: dict = {"sizes": [], "seeded": {}, "timings": {}, "housekeeping": {}}
    for size in sizes_for(ctx):
        ctx.log(f"curve: seeding {size:,} videos")
        close_old_connections()
        wipe_library()
        seeded = seed_library(videos=size, artists=ARTISTS, user=ctx.user)
        ctx.log(f"curve: seeded {seeded}")
        results["sizes"].append(size)
        results["seeded"][str(size)] = {
            "videos": seeded.videos,
            "jobs": seeded.jobs,
            "expired_jobs": seeded.expired_jobs,
            "seconds": seeded.seconds,
        }
        results["timings"][str(size)] = _timings(ctx, size)
        ctx.log(f"curve: housekeeping at {size:,} videos")
        results["housekeeping"][str(size)] = _housekeeping(seeded.expired_jobs)
    return results


# --- pages and API ---------------------------------------------------------------------------
def _timings(ctx: Context, size: int) -> dict[str, dict]:
    artist = Artist.objects.filter(videos__isnull=False).order_by("id").first()
    last_page = max(1, -(-size // API_PAGE_SIZE))
    values = {"artist": artist.pk if artist else 0, "deep_page": min(1000, last_page)}
    timings = {name: Timing() for name, _, _ in ENDPOINTS}
    timings[SNAPSHOT] = Timing()
    for rep in range(ctx.reps):
        ctx.log(f"curve {size:,} rep {rep + 1}")
        for name, how, path in ENDPOINTS:
            latencies, size_bytes = _call_repeatedly(ctx, how, path.format(**values))
            _add(timings[name], latencies, size_bytes)
        latencies, size_bytes = _snapshots(ctx)
        _add(timings[SNAPSHOT], latencies, size_bytes)
    return {name: vars(timing) for name, timing in timings.items()}


def _add(timing: Timing, latencies: list[float], size_bytes: int) -> None:
    timing.p50.add(percentile(latencies, 50))
    timing.p99.add(percentile(latencies, 99))
    timing.size.add(size_bytes)
    timing.calls.add(len(latencies))


def _call_repeatedly(ctx: Context, how: str, path: str) -> tuple[list[float], int]:
    """Milliseconds of each call (CALLS, or fewer past BUDGET_SECONDS), and the answer's size."""
    headers = {"Accept": "application/json" if how == "api" else "text/html"}
    if how == "api":
        headers["Authorization"] = f"Bearer {ctx.api.token}"
    else:
        headers["Cookie"] = ctx.cookie
    conn = http.client.HTTPConnection("127.0.0.1", ctx.stack.port, timeout=TIMEOUT_SECONDS)
    latencies: list[float] = []
    size = 0
    began = time.monotonic()
    try:
        while len(latencies) < CALLS:
            if len(latencies) >= MIN_CALLS and time.monotonic() - began > BUDGET_SECONDS:
                break

            def call() -> tuple[float, bytes, int]:
                started = time.perf_counter()
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                body = response.read()
                return time.perf_counter() - started, body, response.status

            try:
                elapsed, body, status = without_gc(call)
            except TimeoutError:  # far too slow: note it as the timeout, and call it no more
                latencies.append(TIMEOUT_SECONDS * 1000)
                break
            if status != 200:
                raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")
            latencies.append(elapsed * 1000)
            size = len(body)
    finally:
        conn.close()
    return latencies, size


def _snapshots(ctx: Context) -> tuple[list[float], int]:
    """Milliseconds from opening ``/ws/jobs/`` to its snapshot, and the snapshot's bytes."""
    latencies: list[float] = []
    size = 0
    uri = f"ws://127.0.0.1:{ctx.stack.port}/ws/jobs/"
    origin = f"http://127.0.0.1:{ctx.stack.port}"

    async def once() -> tuple[float, int]:
        started = time.perf_counter()
        async with connect(
            uri, origin=origin, additional_headers={"Cookie": ctx.cookie}, max_size=None
        ) as socket:
            raw = await asyncio.wait_for(socket.recv(), 120)
            elapsed = time.perf_counter() - started
        if json.loads(raw).get("type") != "snapshot":
            raise RuntimeError("The WebSocket's first message was not its snapshot.")
        return elapsed * 1000, len(raw.encode() if isinstance(raw, str) else raw)

    began = time.monotonic()
    while len(latencies) < CALLS:
        if len(latencies) >= MIN_CALLS and time.monotonic() - began > BUDGET_SECONDS:
            break
        elapsed, size = without_gc(lambda: asyncio.run(once()))
        latencies.append(elapsed)
    return latencies, size


# --- housekeeping ----------------------------------------------------------------------------
def _housekeeping(expired: int) -> dict:
    close_old_connections()
    sentinel = Job.objects.filter(status=Job.Status.COMPLETED).order_by("-id").first()
    probe = _WriteProbe(sentinel.pk)
    spans = _TransactionSpans()
    probe.start()
    try:
        with spans.installed(connection):
            started = time.perf_counter()
            report = run_housekeeping(publisher=DirectPublisher())
            seconds = time.perf_counter() - started
    finally:
        probe.stop()
    if len(report.pruned) < expired:
        raise RuntimeError(f"Housekeeping pruned {len(report.pruned)} of {expired} expired jobs.")
    return {
        "pruned": len(report.pruned),
        "seconds": Figure([seconds]),
        "longest_transaction_ms": Figure([spans.longest() * 1000]),
        "longest_write_wait_ms": Figure([probe.longest * 1000]),
        "probe_writes": probe.writes,
    }


class _WriteProbe:
    """A thread (its own connection) that updates one job's heartbeat again and again, as a
    worker does; ``longest`` is the longest one update took (waiting for the write lock)."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.longest = 0.0
        self.writes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="write-probe", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=120)

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                started = time.perf_counter()
                Job.objects.filter(pk=self.job_id).update(heartbeat_at=timezone.now())
                self.longest = max(self.longest, time.perf_counter() - started)
                self.writes += 1
                time.sleep(0.005)
        finally:
            connections.close_all()


class _TransactionSpans:
    """The time from the first statement of each transaction (an atomic block, or one
    statement in autocommit) to its commit or rollback: how long it held its locks."""

    def __init__(self) -> None:
        self.spans: list[float] = []
        self._open: float | None = None

    @contextlib.contextmanager
    def installed(self, conn) -> Iterator[None]:
        commit, rollback = conn.commit, conn.rollback

        def ended(original):
            def end() -> None:
                try:
                    original()
                finally:
                    if self._open is not None:
                        self.spans.append(time.perf_counter() - self._open)
                        self._open = None

            return end

        conn.commit, conn.rollback = ended(commit), ended(rollback)
        try:
            with conn.execute_wrapper(self):
                yield
        finally:
            del conn.commit, conn.rollback  # the class's own again

    def __call__(self, execute, sql, params, many, context):
        atomic = context["connection"].in_atomic_block
        started = time.perf_counter()
        if atomic and self._open is None:
            self._open = started
        try:
            return execute(sql, params, many, context)
        finally:
            if not atomic:
                self.spans.append(time.perf_counter() - started)

    def longest(self) -> float:
        return max(self.spans, default=0.0)

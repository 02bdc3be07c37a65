"""Bulk at scale: one bulk download of N videos of the 28 kB clip (fast local downloads, each
its own URL) through ``POST /api/videos/bulk/download`` and the bulk worker (16 threads).

For each bulk: the submit request's time and answer's size; the time to the bulk job's end;
the bulk worker's CPU time per item (its process and the processes it waited for, over the
run, divided by N); the bulk job's refresh (``jobs.transitions.bulk_refresh``, what follows
every item's end) timed in this process against the finished bulk of N items; and, sampled
every few seconds while it runs, the dashboard (``/jobs/``), ``GET /api/jobs/<id>/`` and the
WebSocket snapshot (their time and size) and the PSS of the web and worker processes.

Sizes: ``BENCH_BULK_SIZES`` (default 1000,10000; ``--quick`` 200). A bulk under 10,000 runs
``--reps`` times to its end. The 10,000-video bulk runs once, for ``BENCH_BULK_WINDOW``
seconds (default 300; 0: to its end, which took over an hour on a busy 2-core machine at
2-5 items/s) and is then cancelled: its rates count the items finished in that window.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import statistics
import threading
import time

import psutil
from django.db import close_old_connections
from websockets.asyncio.client import connect

from bench import db
from bench.context import BULK, Context
from bench.stats import Figure
from jobs.models import Job
from jobs.transitions import bulk_refresh

PARALLEL = 16  # the bulk worker's default threads (MVIDARR_BULK_WORKER_THREADS)
SIZES = (1_000, 10_000)
QUICK_SIZES = (200,)
ONCE_FROM = 10_000  # a bulk this big runs once
SAMPLE_EVERY = 5.0  # seconds between two samples of the pages while it runs
REFRESHES = 10  # timed calls of bulk_refresh after the bulk has finished
MB = 1024 * 1024


def sizes_for(ctx: Context) -> tuple[int, ...]:
    chosen = os.environ.get("BENCH_BULK_SIZES", "")
    if chosen:
        return tuple(int(size) for size in chosen.split(",") if size.strip())
    return QUICK_SIZES if ctx.quick else SIZES


def run(ctx: Context) -> dict:
    worker = ctx.use_worker(PARALLEL, queue=BULK)
    results: dict = {"sizes": [], "parallel": PARALLEL}
    for size in sizes_for(ctx):
        figures: dict[str, Figure] = {}
        reps = 1 if size >= ONCE_FROM else ctx.reps
        for rep in range(reps):
            ctx.log(f"bulk of {size:,} rep {rep + 1}")
            for key, value in _one_bulk(ctx, worker, size, label=f"bulk{size}-{rep}").items():
                figures.setdefault(key, Figure()).add(value)
            ctx.reset()
        results["sizes"].append(size)
        results[str(size)] = figures
    return results


def _one_bulk(ctx: Context, worker, size: int, *, label: str) -> dict[str, float]:
    urls = [ctx.media.url(ctx.media.tiny_path, tag=f"{label}-{n}") for n in range(size)]
    video_ids = db.add_videos(urls, label=label)
    process = worker.worker_process()
    web = _web_processes(ctx)
    cpu_before = _cpu_seconds(process)
    body = json.dumps({"video_ids": video_ids, "quality": "best"}).encode()
    started = time.monotonic()
    status, answer = _post(ctx, "/api/videos/bulk/download", body)
    submit = time.monotonic() - started
    if status != 202:
        raise RuntimeError(f"The bulk download was refused ({status}): {answer[:300]!r}")
    job_id = json.loads(answer)["id"]
    sampler = _Sampler(ctx, job_id, web=web, worker=process)
    sampler.start()
    window = float(os.environ.get("BENCH_BULK_WINDOW", "300")) if size >= ONCE_FROM else 0.0
    try:
        if window:
            time.sleep(window)
            ended = time.monotonic()
        else:
            ended = db.wait_finished([job_id], timeout=max(600.0, size * 2.0))
    finally:
        sampler.stop()
    cpu = _cpu_seconds(process) - cpu_before
    done = _finished_items(job_id)
    refresh = _refresh_ms(job_id)
    figures = {
        "submit_s": submit,
        "submit_kb": len(answer) / 1000,
        "finished": done,
        "seconds": ended - started,
        "per_second": done / (ended - started),
        "cpu_ms_per_item": cpu * 1000 / max(done, 1),
        "refresh_ms": refresh,
        **sampler.figures(),
    }
    if not window:
        figures["total_s"] = ended - started
    return figures


def _finished_items(job_id: int) -> int:
    close_old_connections()
    return Job.objects.filter(parent_id=job_id, status__in=Job.FINISHED_STATUSES).count()


def _post(ctx: Context, path: str, body: bytes) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", ctx.stack.port, timeout=300)
    try:
        conn.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Authorization": f"Bearer {ctx.api.token}",
            },
        )
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _get(ctx: Context, path: str, *, page: bool) -> tuple[float, int]:
    """Milliseconds and bytes of one GET (a page with the session, else the API's token)."""
    headers = {"Cookie": ctx.cookie} if page else {"Authorization": f"Bearer {ctx.api.token}"}
    conn = http.client.HTTPConnection("127.0.0.1", ctx.stack.port, timeout=120)
    try:
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
    finally:
        conn.close()
    if response.status != 200:
        raise RuntimeError(f"GET {path} answered {response.status}")
    return elapsed, len(body)


def _snapshot(ctx: Context) -> tuple[float, int]:
    """Milliseconds from opening /ws/jobs/ to its snapshot, and the snapshot's bytes."""
    uri = f"ws://127.0.0.1:{ctx.stack.port}/ws/jobs/"
    origin = f"http://127.0.0.1:{ctx.stack.port}"

    async def once() -> tuple[float, int]:
        started = time.perf_counter()
        async with connect(
            uri, origin=origin, additional_headers={"Cookie": ctx.cookie}, max_size=None
        ) as socket:
            raw = await asyncio.wait_for(socket.recv(), 120)
        elapsed = (time.perf_counter() - started) * 1000
        return elapsed, len(raw.encode() if isinstance(raw, str) else raw)

    return asyncio.run(once())


class _Sampler:
    """Every SAMPLE_EVERY seconds while the bulk runs: the pages' time and size, and the
    processes' PSS (the largest seen)."""

    def __init__(self, ctx: Context, job_id: int, *, web, worker) -> None:
        self.ctx, self.job_id, self.web, self.worker = ctx, job_id, web, worker
        self.samples: dict[str, list[float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bulk-sampler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(180)

    def _add(self, key: str, value: float) -> None:
        self.samples.setdefault(key, []).append(value)

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_EVERY):
            try:
                self._sample()
            except Exception as exc:  # a sample that failed is missing, not fatal
                self.ctx.log(f"bulk sample failed: {exc}")

    def _sample(self) -> None:
        ms, size = _get(self.ctx, "/jobs/", page=True)
        self._add("dashboard_ms", ms)
        self._add("dashboard_kb", size / 1000)
        ms, size = _get(self.ctx, f"/api/jobs/{self.job_id}/", page=False)
        self._add("job_ms", ms)
        self._add("job_kb", size / 1000)
        ms, size = _snapshot(self.ctx)
        self._add("snapshot_ms", ms)
        self._add("snapshot_kb", size / 1000)
        self._add("web_mb", sum(_pss(process) for process in self.web))
        self._add("worker_mb", _pss(self.worker))

    def figures(self) -> dict[str, float]:
        """The median of each timing over the run, the largest of each size and memory."""
        result = {}
        for key, values in self.samples.items():
            result[key] = statistics.median(values) if key.endswith("_ms") else max(values)
        return result


def _web_processes(ctx: Context) -> list[psutil.Process]:
    web = next(child for child in ctx.stack.children if child.name == "web")
    root = psutil.Process(web.pid)
    return [root, *root.children(recursive=True)]


def _pss(process: psutil.Process | None) -> float:
    if process is None:
        return 0.0
    try:
        return process.memory_full_info().pss / MB
    except psutil.Error:
        return 0.0


def _cpu_seconds(process: psutil.Process | None) -> float:
    if process is None:
        return 0.0
    times = process.cpu_times()
    return times.user + times.system + times.children_user + times.children_system


def _refresh_ms(job_id: int) -> float:
    """The median time of a bulk job's refresh against its N items (what follows each
    item's end), called in this process once the bulk has finished."""
    close_old_connections()
    timings = []
    for _ in range(REFRESHES):
        started = time.perf_counter()
        bulk_refresh(parent_id=job_id)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)

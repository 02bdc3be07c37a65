"""Adding videos while the workers are busy, on the whole stack as ``make run`` starts it.

The workload of issue 23: 20 downloads at 150 kB/s run (one bulk download, on the bulk
worker), and 20 clients each add 10 new videos
(``POST /api/videos/``: the video and its metadata probe) and start each one's download
(``POST /api/videos/<id>/download``: a 1 MB file) at once — a closed loop, every client
waiting for one answer before it sends the next request. The figures: median / p95 / p99 of
each kind of request, adds per second (the 200 adds, first request to last answer), and the
PSS of every process of the stack (the supervisor's tree, plus Redis when the benchmark
started it: ``make run`` starts its own) at idle and at its peak.

The stack is the Procfile's, under ``mvidarr.supervisor``, with the issue's settings
(``MVIDARR_BULK_WORKER_THREADS=50``, ``MVIDARR_PER_HOST_LIMIT=50``); the benchmark's own
workers stop for the while, so every job runs in the supervised ones.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import urllib.request

import redis
from django.db import close_old_connections

from bench import db, footprint
from bench.client import Api
from bench.context import Context
from bench.stack import PYTHON, Child, wait_until
from bench.stats import Figure, percentile
from jobs.models import Job
from mvidarr.children import free_port

CLIENTS = 20
ADDS_PER_CLIENT = 10
BACKGROUND = 20
BACKGROUND_MB = 20  # at 150 kB/s: over two minutes, longer than a repetition
BACKGROUND_RATE = 150_000
ADD_MB = 1
IDLE_SECONDS = 5.0
SETTINGS = {"MVIDARR_BULK_WORKER_THREADS": "50", "MVIDARR_PER_HOST_LIMIT": "50"}
ADD, DOWNLOAD = "POST add", "POST download"
KINDS = (ADD, DOWNLOAD)


def run(ctx: Context) -> dict:
    clients, per_client, background = (
        (4, 3, 5) if ctx.quick else (CLIENTS, ADDS_PER_CLIENT, BACKGROUND)
    )
    for worker in ctx.workers.values():  # every job runs in the supervised workers
        ctx.stack.stop(worker)
    for queue in ctx.workers:
        ctx.stack.purge_queue(queue)
    stack = start_supervised(ctx)
    pids = stack_pids(ctx, stack)
    try:
        api = Api("127.0.0.1", stack.port)
        api.token = ctx.api.token
        _warm_up(ctx, api)
        time.sleep(IDLE_SECONDS)
        idle, idle_processes = footprint.tree_pss(pids())
        ctx.log(f"adds: idle stack {idle / footprint.MB:.0f} MB in {idle_processes} processes")
        return measure(ctx, api, pids, clients, per_client, background) | {
            "idle_mb": idle / footprint.MB,
            "idle_processes": idle_processes,
        }
    finally:
        with contextlib.suppress(Exception):
            db.cancel_everything(ctx.user, timeout=30)
        stack.child.stop(timeout=60)  # the supervisor stops its processes on SIGTERM
        for queue in ctx.workers:
            ctx.stack.purge_queue(queue)


def measure(ctx: Context, api: Api, pids, clients: int, per_client: int, background: int):
    latency = {(kind, q): Figure() for kind in KINDS for q in (50, 95, 99)}
    adds_per_second, peak, peak_processes, errors, finished = (Figure() for _ in range(5))
    for rep in range(ctx.reps):
        urls = [
            ctx.media.url(
                ctx.media.sized_path(BACKGROUND_MB), rate=BACKGROUND_RATE, tag=f"abg{rep}-{n}"
            )
            for n in range(background)
        ]
        bulk = api.bulk_download(db.add_videos(urls, label=f"adds bg {rep}"))
        _wait_running(bulk["id"], background)
        ctx.log(f"adds rep {rep + 1}: {background} downloads running, {clients} clients")
        with footprint.PeakSampler(pids()) as sampler:
            samples, seconds, jobs = closed_loop(ctx, api, rep, clients, per_client)
            waited = _wait_done(jobs, timeout=180)
        for kind in KINDS:
            ok = [ms for k, ms, status in samples if k == kind and status in (200, 201, 202)]
            for q in (50, 95, 99):
                latency[(kind, q)].add(percentile(ok, q))
        errors.add(sum(1 for _, _, status in samples if status not in (200, 201, 202)))
        adds_per_second.add(clients * per_client / seconds)
        finished.add(seconds + waited)
        peak.add(sampler.peak / footprint.MB)
        peak_processes.add(sampler.peak_processes)
        db.cancel_everything(ctx.user, timeout=60)
        ctx.reset()
    return {
        "clients": clients,
        "adds_per_client": per_client,
        "background": background,
        "background_mb": BACKGROUND_MB,
        "background_rate": BACKGROUND_RATE,
        "latency": latency,
        "adds_per_second": adds_per_second,
        "all_done_seconds": finished,
        "errors": errors,
        "peak_mb": peak,
        "peak_processes": peak_processes,
    }


def closed_loop(ctx: Context, api: Api, rep: int, clients: int, per_client: int):
    """``clients`` threads, each adding ``per_client`` videos and asking for each one's
    download; returns ``([(kind, ms, status)], seconds, download job ids)``."""
    samples: list[tuple[str, float, int]] = []
    jobs: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def client(number: int) -> None:
        start.wait()
        for n in range(per_client):
            url = ctx.media.url(ctx.media.sized_path(ADD_MB), tag=f"add{rep}-{number}-{n}")
            began = time.perf_counter()
            status, video = api.call("POST", "/api/videos/", {"url": url})
            added = time.perf_counter()
            with lock:
                samples.append((ADD, (added - began) * 1000, status))
            if status != 201:
                continue
            body = {"quality": "best", "force_redownload": False}
            status, job = api.call("POST", f"/api/videos/{video['id']}/download", body)
            with lock:
                samples.append((DOWNLOAD, (time.perf_counter() - added) * 1000, status))
                if status in (200, 202):
                    jobs.append(job["id"])

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.monotonic()
    for thread in threads:
        thread.join()
    return samples, time.monotonic() - began, jobs


class Supervised:
    def __init__(self, child: Child, port: int) -> None:
        self.child = child
        self.port = port


def start_supervised(ctx: Context) -> Supervised:
    """``python -m mvidarr.supervisor`` with the Procfile's web, workers and scheduler (Redis
    is the benchmark's), on a port of its own, once the web answers and both workers run."""
    port = free_port()
    env = {**ctx.stack.env, **SETTINGS, **extra_settings()}
    env.update(MVIDARR_HTTP_PORT=str(port), HOST="127.0.0.1")
    child = ctx.stack.spawn(
        "supervisor",
        [
            PYTHON,
            "-m",
            "mvidarr.supervisor",
            "--env-file",
            "/nonexistent",
            "--procfile",
            "Procfile",
            "web",
            "worker",
            "bulkworker",
            "scheduler",
        ],
        env=env,
    )
    client = redis.Redis.from_url(ctx.stack.redis_url)

    def ready() -> bool:
        mine = {str(p.pid) for p in footprint.tree([child.pid])}
        keys = client.scan_iter(match="mvidarr:worker:*", count=1000)
        workers = {k.decode().split(":")[3] for k in keys} & mine
        return len(workers) >= 2 and _answers(f"http://127.0.0.1:{port}/healthz")

    try:
        wait_until(lambda: ready() or not child.alive(), timeout=120, interval=0.5,
                   what="the supervised stack")  # fmt: skip
    finally:
        client.close()
    if not child.alive():
        raise RuntimeError(f"The supervisor exited at start:\n{child.output()}")
    return Supervised(child, port)


def extra_settings() -> dict[str, str]:
    """``BENCH_ADDS_SETTINGS="MVIDARR_WORKER_NICE=0 MVIDARR_WEB_WORKERS=1"``: settings of the
    supervised stack for this run, to compare one change before and after."""
    pairs = (item.partition("=") for item in os.environ.get("BENCH_ADDS_SETTINGS", "").split())
    allowed = ("MVIDARR_", "BENCH_", "DJANGO_SETTINGS_MODULE")
    return {name: value for name, sep, value in pairs if sep and name.startswith(allowed)}


def stack_pids(ctx: Context, stack: Supervised):
    """A callable: the roots whose trees make up the stack (the supervisor; the benchmark's
    Redis when it started one, as ``make run`` would)."""
    redis_child = next((c for c in ctx.stack.children if c.name == "redis"), None)

    def roots() -> list[int]:
        extra = [redis_child.pid] if redis_child is not None and ctx.stack.started_redis else []
        return [stack.child.pid, *extra]

    return roots


def _answers(url: str) -> bool:
    with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:
        return response.status == 200
    return False


def _warm_up(ctx: Context, api: Api) -> None:
    """A few tiny downloads: the first in a worker compiles yt-dlp's URL patterns."""
    urls = [ctx.media.url(ctx.media.tiny_path, tag=f"adds-warm-{n}") for n in range(4)]
    jobs = [api.download(v)["id"] for v in db.add_videos(urls, label="adds warm-up")]
    db.wait_finished(jobs, timeout=120)


def _wait_running(bulk_id: int, count: int) -> None:
    """Until the bulk's ``count`` downloads have all received bytes."""

    def running() -> bool:
        close_old_connections()
        items = list(Job.objects.filter(parent_id=bulk_id).values_list("pk", flat=True))
        received = db.downloaded_bytes(items).values()
        return len(items) == count and sum(1 for v in received if v > 0) == count

    wait_until(running, timeout=90, interval=0.25, what="the background downloads")


def _wait_done(job_ids: list[int], *, timeout: float) -> float:
    """Seconds until every job in ``job_ids`` has ended (``timeout`` when some had not)."""
    started = time.monotonic()
    with contextlib.suppress(Exception):
        db.wait_finished(job_ids, timeout=timeout, poll=0.5)
    return time.monotonic() - started

"""API responsiveness under load: latency of ``POST /api/videos/<id>/download`` and
``GET /api/jobs/<id>/`` at a fixed offered rate (open loop) while 60 downloads run, then a
rising rate until the 99th percentile passes 100 ms.

Requests alternate between the two endpoints. Every POST asks for a new video, so each one
creates a job (202) that waits in the queue behind the running downloads; every GET reads
one of the running downloads' jobs, live figures included.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time

import psutil

from bench import db
from bench.context import Context
from bench.httpload import Client, Request, Sample, open_loop
from bench.stats import Figure, percentile, without_gc

BACKGROUND = 60
BACKGROUND_MB = 8
BACKGROUND_RATE = 32_000  # bytes/s: each background download lasts about four minutes
RATE = 100  # requests/s, the headline figure
SECONDS = 10
LADDER_UP = [150, 200, 300, 400, 600, 800]
LADDER_DOWN = [50, 25]
LADDER_SECONDS = 4
P99_LIMIT = 0.100
SETTLE_SECONDS = 2.0  # at least, between two steps
SETTLE_MAX_SECONDS = 30.0
IDLE_CPU = 0.15  # of one core: the web process has worked off the last step's backlog
POST, GET = "POST download", "GET job"


def run(ctx: Context) -> dict:
    background = 10 if ctx.quick else BACKGROUND
    ctx.use_worker(background + 4)
    urls = [
        ctx.media.url(ctx.media.sized_path(BACKGROUND_MB), rate=BACKGROUND_RATE, tag=f"bg{n}")
        for n in range(background)
    ]
    running = [ctx.api.download(v)["id"] for v in db.add_videos(urls, label="background")]
    _wait_running(running)
    ctx.log(f"api: {background} downloads running")
    figures = {(kind, q): Figure() for kind in (POST, GET) for q in (50, 95, 99)}
    errors = Figure()
    max_rate = Figure()
    ladders: list[list[tuple[int, float]]] = []
    during = Figure()
    for rep in range(ctx.reps):
        ctx.log(f"api rep {rep + 1}: {RATE} requests/s for {SECONDS} s")
        samples = _step(ctx, running, rate=RATE, seconds=3 if ctx.quick else SECONDS)
        during.add(db.count_by_status(running).get("processing", 0))
        for kind in (POST, GET):
            ok = [s.latency * 1000 for s in samples if s.kind == kind and _ok(s)]
            for q in (50, 95, 99):
                figures[(kind, q)].add(percentile(ok, q))
        errors.add(sum(1 for s in samples if not _ok(s)))
        ladder = [(RATE, _p99(samples))]
        best = RATE if _passes(samples) else 0
        # Up from the headline rate while p99 holds, or down when it does not.
        for rate in [] if ctx.quick else (LADDER_UP if best else LADDER_DOWN):
            ctx.log(f"api rep {rep + 1}: {rate} requests/s")
            step = _step(ctx, running, rate=rate, seconds=LADDER_SECONDS)
            ladder.append((rate, _p99(step)))
            if _passes(step):
                best = max(best, rate)
                if rate < RATE:
                    break
            elif rate > RATE:
                break
        ladders.append(ladder)
        max_rate.add(best)
    return {
        "background": background,
        "background_still_running": during,
        "rate": RATE,
        "seconds": SECONDS,
        "latency": figures,
        "errors": errors,
        "max_rate": max_rate,
        "ladders": ladders,
        "ladder_top": LADDER_UP[-1],
        "background_mb": BACKGROUND_MB,
        "background_rate": BACKGROUND_RATE,
    }


def _ok(sample: Sample) -> bool:
    return sample.status in (200, 202)


def _p99(samples: list[Sample]) -> float:
    """The 99th percentile in ms over both endpoints, failures counting as infinitely slow."""
    return percentile([s.latency * 1000 for s in samples], 99)


def _passes(samples: list[Sample]) -> bool:
    return _p99(samples) < P99_LIMIT * 1000 and all(_ok(s) for s in samples)


def _step(ctx: Context, running: list[int], *, rate: int, seconds: float) -> list[Sample]:
    posts = rate * seconds // 2 + 1
    fresh = db.add_videos(
        [
            ctx.media.url(
                ctx.media.sized_path(BACKGROUND_MB), rate=BACKGROUND_RATE, tag=f"p{rate}-{n}"
            )
            for n in range(int(posts))
        ],
        label=f"api {rate}",
    )
    videos = iter(fresh)
    jobs = itertools.cycle(running)

    def next_request(index: int) -> Request:
        if index % 2 == 0:
            body = {"quality": "best", "force_redownload": False}
            return Request(POST, "POST", f"/api/videos/{next(videos)}/download", body)
        return Request(GET, "GET", f"/api/jobs/{next(jobs)}/")

    async def go() -> list[Sample]:
        client = Client("127.0.0.1", ctx.stack.port, token=ctx.api.token)
        try:
            return await open_loop(client, rate=rate, duration=seconds, next_request=next_request)
        finally:
            client.close()

    samples = without_gc(lambda: asyncio.run(go()))
    db.cancel_queued()  # the step's jobs would otherwise start as background downloads end
    _settle(ctx)
    return samples


def _settle(ctx: Context) -> None:
    """Wait until the web process is idle again: after an overloaded step it goes on
    answering requests whose clients gave up, and the next step would inherit that."""
    web = psutil.Process(next(c.pid for c in ctx.stack.children if c.name == "web"))
    time.sleep(SETTLE_SECONDS)
    deadline = time.monotonic() + SETTLE_MAX_SECONDS
    while time.monotonic() < deadline and _busy_cores(web, 0.5) > IDLE_CPU:
        pass


def _busy_cores(web: psutil.Process, interval: float) -> float:
    """The CPU the web server's processes (uvicorn's and its workers) use, in cores."""

    def cpu_seconds() -> float:
        total = 0.0
        for process in [web, *web.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += sum(process.cpu_times()[:2])
        return total

    before = cpu_seconds()
    time.sleep(interval)
    return (cpu_seconds() - before) / interval


def _wait_running(job_ids: list[int]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if all(v > 0 for v in db.downloaded_bytes(job_ids).values()):
            return
        time.sleep(0.25)
    raise RuntimeError(f"The background downloads did not all start: {db.count_by_status(job_ids)}")

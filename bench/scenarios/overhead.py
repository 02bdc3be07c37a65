"""Job overhead: tiny downloads per second from submit to ``completed``, and the time from a
worker's progress update to a WebSocket client receiving it.

The worker runs with the publish probe (``bench.settings``, see ``bench.probe``), which writes
when each progress update began; the client on ``/ws/jobs/`` notes when the same (job id,
seq) arrives. Both clocks are this machine's wall clock.
"""

from __future__ import annotations

import asyncio
import functools
import json
import time
from pathlib import Path

from websockets.asyncio.client import connect

from bench import db
from bench.context import Context
from bench.stats import Figure, percentile, without_gc

THREADS = 16
TINY_JOBS = 60
WS_DOWNLOADS = 16
WS_MB = 2
WS_RATE = 64_000  # bytes/s: each download lasts about 30 s, the window is shorter
WS_SECONDS = 8.0


def run(ctx: Context) -> dict:
    probe_log = ctx.stack.workdir / "publish.log"
    ctx.use_worker(THREADS, probe_log=str(probe_log))
    tiny = 10 if ctx.quick else TINY_JOBS
    jobs_per_second = Figure()
    for rep in range(ctx.reps):
        ctx.log(f"overhead rep {rep + 1}: {tiny} tiny downloads")
        urls = [ctx.media.url(ctx.media.tiny_path, tag=f"tiny{rep}-{n}") for n in range(tiny)]
        video_ids = db.add_videos(urls, label=f"tiny {rep}")
        started = time.monotonic()
        job_ids = [ctx.api.download(video_id)["id"] for video_id in video_ids]
        finished = db.wait_finished(job_ids, timeout=120)
        failed = db.failures(job_ids)
        if failed:
            raise RuntimeError(f"{len(failed)} tiny downloads did not complete: {failed[:3]}")
        jobs_per_second.add(tiny / (finished - started))
        ctx.reset()
    median, p95, from_hand_over = Figure(), Figure(), Figure()
    count = 0
    for rep in range(ctx.reps):
        ctx.log(f"overhead rep {rep + 1}: progress to WebSocket, {WS_DOWNLOADS} downloads")
        latencies = without_gc(functools.partial(asyncio.run, _ws_latencies(ctx, probe_log, rep)))
        ctx.reset()
        if not latencies:
            raise RuntimeError("The WebSocket client received no progress update.")
        total = [whole for whole, _ in latencies]
        median.add(percentile(total, 50))
        p95.add(percentile(total, 95))
        from_hand_over.add(percentile([after for _, after in latencies], 95))
        count += len(latencies)
    return {
        "tiny": tiny,
        "tiny_size": ctx.media.tiny_size,
        "threads": THREADS,
        "jobs_per_second": jobs_per_second,
        "ws_median": median,
        "ws_p95": p95,
        "ws_p95_from_hand_over": from_hand_over,
        "ws_samples": count,
        "ws_downloads": WS_DOWNLOADS,
    }


async def _ws_latencies(ctx: Context, probe_log: Path, rep: int) -> list[tuple[float, float]]:
    """Milliseconds to each progress update's arrival over the WebSocket, from its start and
    from its hand-over to the worker's publisher thread."""
    received: dict[tuple[int, int], float] = {}
    uri = f"ws://127.0.0.1:{ctx.stack.port}/ws/jobs/"
    async with connect(
        uri, origin=f"http://127.0.0.1:{ctx.stack.port}", additional_headers={"Cookie": ctx.cookie}
    ) as socket:
        first = json.loads(await asyncio.wait_for(socket.recv(), 10))
        if first.get("type") != "snapshot":
            raise RuntimeError(f"The WebSocket sent {first.get('type')!r} before its snapshot.")
        urls = [
            ctx.media.url(ctx.media.sized_path(WS_MB), rate=WS_RATE, tag=f"ws{rep}-{n}")
            for n in range(WS_DOWNLOADS)
        ]
        loop = asyncio.get_running_loop()
        video_ids = await loop.run_in_executor(None, lambda: db.add_videos(urls, label=f"ws {rep}"))
        await loop.run_in_executor(None, lambda: [ctx.api.download(v) for v in video_ids])
        deadline = loop.time() + WS_SECONDS
        while (remaining := deadline - loop.time()) > 0:
            try:
                raw = await asyncio.wait_for(socket.recv(), remaining)
            except TimeoutError:
                break
            now = time.time()
            message = json.loads(raw)
            job = message.get("job") or {}
            if message.get("type") == "job" and job.get("id") is not None:
                received.setdefault((int(job["id"]), int(job.get("seq") or 0)), now)
    await asyncio.sleep(0.2)  # the probe's last lines
    latencies = []
    for line in probe_log.read_text().splitlines():
        job_id, seq, began, handed, kind = line.split()
        key = (int(job_id), int(seq))
        if kind == "p" and key in received:
            arrived = received.pop(key)
            latencies.append(((arrived - float(began)) * 1000, (arrived - float(handed)) * 1000))
    return latencies

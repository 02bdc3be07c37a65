"""Throughput: N videos of 1-20 MB through MVidarr, against the same files fetched by a plain
HTTP client with the same parallelism, and against the blocking pattern MVidarr replaces (the
``yt-dlp`` command line, one process per video, one video after another).

MVidarr gets the N videos as one bulk download (``POST /api/videos/bulk/download``), run by
the bulk queue's worker with ``PARALLEL`` threads; its time runs from that request to the
bulk job's completion.

The blocking pattern is timed on a sample whose mean size is the set's mean (10.5 MB) and
scaled per video to N, so the run stays short. Each mode runs unthrottled and with a
per-connection rate cap, where parallelism is what counts.
"""

from __future__ import annotations

import http.client
import random
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench import db
from bench.context import BULK, Context
from bench.media import MB
from bench.stack import ROOT
from bench.stats import Figure

PARALLEL = 16  # MVidarr's default worker threads (MVIDARR_WORKER_THREADS)
CAP = 4_000_000  # bytes/s per connection in the capped mode
SIZES = [size for size in range(1, 21) for _ in range(2)]  # 40 videos, 1-20 MB, mean 10.5
QUICK_SIZES = [1, 4, 8, 12, 16, 20]
# Samples for the blocking pattern with the set's mean size, 10.5 MB.
BLOCKING_SAMPLE = {"unthrottled": [1, 2, 5, 8, 10, 11, 13, 16, 19, 20], "capped": [1, 10, 11, 20]}
YTDLP = str(ROOT / ".venv" / "bin" / "yt-dlp")
MODES = {"unthrottled": None, "capped": CAP}


def run(ctx: Context) -> dict:
    sizes = list(QUICK_SIZES if ctx.quick else SIZES)
    random.Random(7).shuffle(sizes)  # the same order for every client
    ctx.use_worker(PARALLEL, queue=BULK)
    results: dict = {"n": len(sizes), "bytes": sum(sizes) * MB, "parallel": PARALLEL, "cap": CAP}
    for mode, rate in MODES.items():
        figures = {key: Figure() for key in ("mvidarr", "plain", "blocking", "mv_plain", "blk_mv")}
        sample = BLOCKING_SAMPLE[mode][:2] if ctx.quick else BLOCKING_SAMPLE[mode]
        for rep in range(ctx.reps):
            ctx.log(f"throughput {mode} rep {rep + 1}: MVidarr")
            urls = [
                ctx.media.url(ctx.media.sized_path(s), rate=rate, tag=f"{mode}{rep}-{n}")
                for n, s in enumerate(sizes)
            ]
            mvidarr = time_mvidarr(ctx, urls, label=f"throughput {mode} {rep}")
            ctx.log(f"throughput {mode} rep {rep + 1}: plain HTTP")
            plain = time_plain(urls, parallel=PARALLEL, scratch=ctx.stack.workdir)
            ctx.log(f"throughput {mode} rep {rep + 1}: yt-dlp one by one ({len(sample)} videos)")
            sample_urls = [
                ctx.media.url(ctx.media.sized_path(s), rate=rate, tag=f"b{rep}-{n}")
                for n, s in enumerate(sample)
            ]
            blocking = time_blocking(sample_urls, scratch=ctx.stack.workdir)
            blocking *= len(sizes) / len(sample)
            for key, value in (
                ("mvidarr", mvidarr),
                ("plain", plain),
                ("blocking", blocking),
                ("mv_plain", plain / mvidarr),
                ("blk_mv", blocking / mvidarr),
            ):
                figures[key].add(value)
        results[mode] = figures
        results[f"{mode}_sample"] = len(sample)
    return results


def time_mvidarr(ctx: Context, urls: list[str], *, label: str) -> float:
    """Seconds from the bulk download request to the bulk job's completion."""
    video_ids = db.add_videos(urls, label=label)
    started = time.monotonic()
    job = ctx.api.bulk_download(video_ids)
    finished = db.wait_finished([job["id"]], timeout=300)
    failed = db.failures([item["id"] for item in job["items"]])
    ctx.reset()
    if failed or len(job["items"]) != len(urls):
        raise RuntimeError(f"{len(failed)} downloads did not complete: {failed[:3]}")
    return finished - started


def time_plain(urls: list[str], *, parallel: int, scratch: Path) -> float:
    """Seconds for ``parallel`` threads to fetch every URL to disk with http.client."""
    pending = list(reversed(urls))
    lock = threading.Lock()
    errors: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="plain-", dir=scratch))

    def fetch_all(index: int) -> None:
        while True:
            with lock:
                if not pending:
                    return
                url = pending.pop()
            try:
                fetch(url, folder / f"{index}.mp4")
            except (OSError, http.client.HTTPException) as exc:
                errors.append(f"{url}: {exc}")

    threads = [threading.Thread(target=fetch_all, args=(i,)) for i in range(parallel)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    shutil.rmtree(folder, ignore_errors=True)
    if errors:
        raise RuntimeError(f"plain HTTP client failed: {errors[:3]}")
    return elapsed


def fetch(url: str, dest: Path) -> None:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.request("GET", f"{parts.path}?{parts.query}")
        response = conn.getresponse()
        if response.status != 200:
            raise OSError(f"HTTP {response.status}")
        with dest.open("wb") as out:
            while chunk := response.read(1 << 20):
                out.write(chunk)
    finally:
        conn.close()


def time_blocking(urls: list[str], *, scratch: Path) -> float:
    """Seconds for ``yt-dlp URL`` run once per URL, one after another."""
    folder = Path(tempfile.mkdtemp(prefix="ytdlp-", dir=scratch))
    started = time.monotonic()
    for n, url in enumerate(urls):
        subprocess.run(
            [
                YTDLP,
                "--quiet",
                "--no-warnings",
                "--no-progress",
                "--no-cache-dir",
                "-o",
                str(folder / f"{n}.%(ext)s"),
                url,
            ],
            check=True,
            stdin=subprocess.DEVNULL,
            timeout=300,
        )
    elapsed = time.monotonic() - started
    shutil.rmtree(folder, ignore_errors=True)
    return elapsed

"""Concurrency: how many simultaneous downloads one worker process holds with every one of them
progressing, and the worker's memory (PSS, shared pages counted once) at 50 downloads.

Downloads of rate-capped files are added level by level to a worker with enough threads for
the top level. At each level, once every download has received bytes, the live figures in
Redis are read twice a few seconds apart, once per repetition; a download "progresses" when
its ``downloaded_bytes`` grew in between.
"""

from __future__ import annotations

import contextlib
import threading
import time

import psutil

from bench import db
from bench.context import Context
from bench.stats import Figure

LEVELS = [50, 100, 150, 200]
QUICK_LEVELS = [10, 20]
SIZE_MB = 4
RATE = 32_000  # bytes/s per connection: each download lasts about two minutes
CHECK_SECONDS = 3.0
MEMORY_LEVEL = 50


class MemorySampler:
    """Samples the PSS of a process (and, separately, with its children) every 0.25 s."""

    def __init__(self, process: psutil.Process) -> None:
        self.process = process
        self.samples: list[tuple[float, int, int]] = []  # (monotonic, pss, pss with children)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pss-sampler", daemon=True)

    def start(self) -> MemorySampler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                own = self.process.memory_full_info().pss
                children = 0
                for child in self.process.children(recursive=True):
                    with contextlib.suppress(psutil.Error):  # it ended meanwhile
                        children += child.memory_full_info().pss
                self.samples.append((time.monotonic(), own, own + children))
            except psutil.Error:
                return
            self._stop.wait(0.25)

    def peak(self, start: float, end: float) -> tuple[int, int]:
        window = [(own, tree) for t, own, tree in self.samples if start <= t <= end]
        if not window:
            return 0, 0
        return max(own for own, _ in window), max(tree for _, tree in window)


def run(ctx: Context) -> dict:
    levels = QUICK_LEVELS if ctx.quick else LEVELS
    memory_level = levels[0] if ctx.quick else MEMORY_LEVEL
    worker = ctx.use_worker(max(levels))
    process = worker.worker_process()
    if process is None:
        raise RuntimeError("Could not find the Dramatiq worker process.")
    sampler = MemorySampler(process).start()
    jobs: list[int] = []
    checks: dict[int, list[int]] = {}  # level -> downloads progressing, per repetition
    memory = Figure()
    memory_tree = Figure()
    top_memory = Figure()
    try:
        for level in levels:
            ctx.log(f"concurrency: {level} downloads")
            urls = [
                ctx.media.url(ctx.media.sized_path(SIZE_MB), rate=RATE, tag=f"c{level}-{n}")
                for n in range(level - len(jobs))
            ]
            video_ids = db.add_videos(urls, label=f"concurrency {level}")
            jobs += [ctx.api.download(video_id)["id"] for video_id in video_ids]
            if not _all_started(jobs, timeout=60):
                ctx.notes.append(
                    f"At {level} downloads not every download had started within 60 s."
                )
                checks[level] = [0] * ctx.reps
                break
            checks[level] = []
            for _ in range(ctx.reps):
                start = time.monotonic()
                before = db.downloaded_bytes(jobs)
                time.sleep(CHECK_SECONDS)
                after = db.downloaded_bytes(jobs)
                checks[level].append(sum(1 for j in jobs if after[j] > before[j]))
                own, tree = sampler.peak(start, time.monotonic())
                if level == memory_level:
                    memory.add(own / 2**20)
                    memory_tree.add(tree / 2**20)
                if level == levels[-1]:
                    top_memory.add(own / 2**20)
    finally:
        sampler.stop()
    held = Figure()
    for rep in range(ctx.reps):
        held.add(max((lvl for lvl, got in checks.items() if got[rep] >= lvl), default=0))
    return {
        "levels": levels,
        "checks": checks,
        "held": held,
        "memory_level": memory_level,
        "memory": memory,
        "memory_tree": memory_tree,
        "top_memory": top_memory,
        "threads": max(levels),
        "rate": RATE,
        "size_mb": SIZE_MB,
    }


def _all_started(jobs: list[int], *, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(value > 0 for value in db.downloaded_bytes(jobs).values()):
            return True
        time.sleep(0.25)
    return False

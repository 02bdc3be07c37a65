"""What every scenario gets: the running stack, the media, an API client, and a worker per
queue configured as the scenario needs it."""

from __future__ import annotations

import shutil
import sys
import time
from dataclasses import dataclass, field

from bench import db
from bench.client import Api
from bench.media import Media
from bench.stack import Child, Stack

INTERACTIVE, BULK = "interactive", "bulk"
WARM_UP_JOBS = 4


@dataclass
class Context:
    stack: Stack
    media: Media
    api: Api
    user: object
    cookie: str
    reps: int
    quick: bool
    sizes: tuple[int, ...] = ()  # the curve scenario's library sizes (empty: its own)
    workers: dict[str, Child] = field(default_factory=dict)
    configs: dict[str, tuple] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def log(self, message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    def use_worker(self, threads: int, *, queue: str = INTERACTIVE, probe_log: str = "") -> Child:
        """The ``queue`` worker with ``threads`` threads (and the publish probe when
        ``probe_log`` is set), restarted and warmed up only when that changes.

        Leaves no job active. A new worker first runs a few tiny downloads: the first
        download in a process compiles yt-dlp's URL patterns (most of a second), a cost a
        long-running worker paid long ago.
        """
        config = (threads, probe_log)
        current = self.workers.get(queue)
        self.reset()
        if current is not None and current.alive() and self.configs.get(queue) == config:
            return current
        if current is not None:
            self.stack.stop(current)
            self.stack.purge_queue(queue)
        env = {}
        if probe_log:
            env = {"DJANGO_SETTINGS_MODULE": "bench.settings", "BENCH_PUBLISH_LOG": probe_log}
        worker = self.stack.start_worker(threads=threads, queue=queue, env=env)
        self.workers[queue] = worker
        self.configs[queue] = config
        self._warm_up(queue)
        return worker

    def _warm_up(self, queue: str) -> None:
        urls = [
            self.media.url(self.media.tiny_path, tag=f"warm-{time.monotonic()}-{n}")
            for n in range(WARM_UP_JOBS)
        ]
        video_ids = db.add_videos(urls, label="warm-up")
        if queue == BULK:
            job_ids = [self.api.bulk_download(video_ids)["id"]]
        else:
            job_ids = [self.api.download(video_id)["id"] for video_id in video_ids]
        db.wait_finished(job_ids, timeout=120)
        self.reset()

    def reset(self) -> None:
        """Cancel whatever is still active and empty the library (its files only)."""
        if any(worker.alive() for worker in self.workers.values()):
            db.cancel_everything(self.user)
        for child in self.stack.library.iterdir():
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)

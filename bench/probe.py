"""The publish probe: when ``BENCH_PUBLISH_LOG`` names a file, a worker appends one line per
job update it hands to its channel publisher: ``<job id> <seq> <began> <handed> <p|s>``
(unix times).

``began`` is when the update began: for a progress update (``p``) the start of
``ProgressReporter.push`` (live figures to Redis, seq, serialisation); for a state change
(``s``) the hand-over itself. ``handed`` is when it reached the publisher thread's queue.
``bench.scenarios.overhead`` matches the lines with what a WebSocket client receives, by job
id and seq. Loaded only through ``bench.settings``.
"""

from __future__ import annotations

import os
import threading
import time

from django.apps import AppConfig


class ProbeConfig(AppConfig):
    name = "bench"
    label = "bench_probe"
    verbose_name = "Benchmark publish probe"

    def ready(self) -> None:
        path = os.environ.get("BENCH_PUBLISH_LOG")
        if path:
            # Imported here: the app registry must be ready before jobs' models load.
            from jobs import progress, worker

            install(path, progress.ChannelPublisher, worker.ProgressReporter)


def install(path: str, publisher_class: type, reporter_class: type) -> None:
    log = open(path, "a", buffering=1)  # noqa: SIM115 - lives as long as the worker
    lock = threading.Lock()
    local = threading.local()
    original_push = reporter_class.push
    original_send = publisher_class.send

    def push(self) -> None:
        local.started = time.time()
        try:
            original_push(self)
        finally:
            local.started = None

    def send(self, groups: list[str], payload: dict) -> None:
        handed = time.time()
        started = getattr(local, "started", None)
        kind = "p" if started is not None else "s"
        began = started or handed
        line = f"{payload.get('id')} {payload.get('seq')} {began:.6f} {handed:.6f} {kind}\n"
        with lock:
            log.write(line)
        original_send(self, groups, payload)

    reporter_class.push = push
    publisher_class.send = send

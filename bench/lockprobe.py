"""The write-lock probe: when ``BENCH_SQL_LOG`` names a file, every process of the stack
(web, workers, scheduler) appends one line per SQLite write transaction that waited for the
write lock or held it for at least ``BENCH_SQL_LOG_MS`` (10):
``<pid> <process> <waited ms> <held ms> <where>`` — the wait is ``BEGIN IMMEDIATE``'s (the
lock's), the hold is from then to the commit or rollback, and ``where`` names the innermost
frames of MVidarr's own code that opened the transaction. Loaded only through
``bench.settings`` (``bench.scenarios.adds`` with ``BENCH_ADDS_SETTINGS``).
"""

from __future__ import annotations

import os
import sys
import threading
import time

from django.apps import AppConfig

OWN = ("/jobs/", "/videos/", "/mvidarr/", "/accounts/", "/preferences/", "/connections/")


class LockProbeConfig(AppConfig):
    name = "bench.lockprobe"
    label = "bench_lockprobe"
    verbose_name = "Benchmark write-lock probe"

    def ready(self) -> None:
        path = os.environ.get("BENCH_SQL_LOG")
        if path:
            from django.db import connections

            threshold = float(os.environ.get("BENCH_SQL_LOG_MS", "10"))
            install(path, type(connections["default"]), threshold)


def _where() -> str:
    frames = []
    frame = sys._getframe(3)
    while frame is not None and len(frames) < 4:
        name = frame.f_code.co_filename
        if any(part in name for part in OWN) and "/site-packages/" not in name:
            frames.append(f"{name.rsplit('/', 2)[-2]}/{name.rsplit('/', 1)[-1]}:{frame.f_lineno}")
        frame = frame.f_back
    return ",".join(frames) or "-"


def install(path: str, wrapper: type, threshold_ms: float) -> None:
    log = open(path, "a", buffering=1)  # noqa: SIM115 - lives as long as the process
    lock = threading.Lock()
    who = " ".join(sys.argv[1:3])[:40].replace(" ", "_") or "python"
    begin, commit, rollback = (
        wrapper._start_transaction_under_autocommit,
        wrapper._commit,
        wrapper._rollback,
    )

    def started(self) -> None:
        t0 = time.perf_counter()
        begin(self)
        t1 = time.perf_counter()
        self._lockprobe = (t0, t1, _where())

    def ended(self, original) -> None:
        try:
            original(self)
        finally:
            state = getattr(self, "_lockprobe", None)
            self._lockprobe = None
            if state is not None:
                t0, t1, where = state
                waited, held = (t1 - t0) * 1000, (time.perf_counter() - t1) * 1000
                if waited >= threshold_ms or held >= threshold_ms:
                    with lock:
                        log.write(f"{os.getpid()} {who} {waited:.1f} {held:.1f} {where}\n")

    wrapper._start_transaction_under_autocommit = started
    wrapper._commit = lambda self: ended(self, commit)
    wrapper._rollback = lambda self: ended(self, rollback)

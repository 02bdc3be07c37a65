"""The memory of a whole process tree: PSS (proportional set size: a page shared by n
processes counts 1/n in each, so the sum is what the tree really holds) from
``/proc/<pid>/smaps_rollup``, summed over a process and every descendant, sampled in a thread.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable

import psutil

MB = 1_000_000


def tree(pids: Iterable[int]) -> list[psutil.Process]:
    """The processes ``pids`` and all their descendants (those still alive)."""
    found: dict[int, psutil.Process] = {}
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(pid)
            for process in [root, *root.children(recursive=True)]:
                found[process.pid] = process
    return list(found.values())


def pss_of(pid: int) -> int:
    """One process's PSS in bytes (``Pss:`` of its smaps_rollup); 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def tree_pss(pids: Iterable[int]) -> tuple[int, int]:
    """``(bytes, processes)``: the summed PSS of ``pids`` and their descendants."""
    processes = tree(pids)
    return sum(pss_of(p.pid) for p in processes), len(processes)


class PeakSampler:
    """Samples :func:`tree_pss` of ``pids`` every ``interval`` seconds in a thread of its own
    until stopped; ``peak`` (bytes) and ``peak_processes`` hold the largest sample."""

    def __init__(self, pids: list[int], *, interval: float = 0.25) -> None:
        self.pids = pids
        self.interval = interval
        self.peak = 0
        self.peak_processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pss-sampler", daemon=True)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(self.interval):
                return

    def sample(self) -> None:
        total, count = tree_pss(self.pids)
        if total > self.peak:
            self.peak, self.peak_processes = total, count

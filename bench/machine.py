"""The machine a run was taken on, and how busy other work kept it meanwhile."""

from __future__ import annotations

import os
import platform
import time
from dataclasses import dataclass

import psutil


def describe() -> dict[str, str]:
    model = ""
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            model = next(
                (
                    line.split(":", 1)[1].strip()
                    for line in cpuinfo
                    if line.startswith("model name")
                ),
                "",
            )
    except OSError:
        pass
    return {
        "cores": str(os.cpu_count()),
        "memory": f"{psutil.virtual_memory().total / 2**30:.0f} GiB",
        "cpu": model or platform.processor() or "unknown",
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
    }


def _busy_seconds() -> float:
    times = psutil.cpu_times()
    idle = times.idle + getattr(times, "iowait", 0.0) + getattr(times, "steal", 0.0)
    return sum(times) - idle - getattr(times, "guest", 0.0) - getattr(times, "guest_nice", 0.0)


def _own_seconds() -> float:
    """This process's CPU time plus that of every child it has reaped (and theirs, in turn)."""
    times = psutil.Process().cpu_times()
    return times.user + times.system + times.children_user + times.children_system


@dataclass
class OtherWork:
    """How much of the machine other work used while the benchmark ran.

    The machine's busy CPU time minus the benchmark's own (its process and every child it
    started, counted once they are reaped): call :meth:`start` before any child starts and
    :meth:`share` after they have all stopped.
    """

    started: float = 0.0
    busy_before: float = 0.0
    own_before: float = 0.0

    def start(self) -> None:
        self.started = time.monotonic()
        self.busy_before = _busy_seconds()
        self.own_before = _own_seconds()

    def share(self) -> float:
        """Other work's CPU as a share of the machine's capacity over the run (0-1)."""
        other = (_busy_seconds() - self.busy_before) - (_own_seconds() - self.own_before)
        elapsed = max(time.monotonic() - self.started, 1e-9)
        return min(1.0, max(0.0, other / (elapsed * (os.cpu_count() or 1))))

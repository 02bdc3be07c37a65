"""MVidarr's settings plus the benchmark's publish probe (``bench.probe``), for the one worker
whose progress updates are timed against a WebSocket client. Nothing else changes."""

from mvidarr.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench.probe.ProbeConfig", "bench.lockprobe.LockProbeConfig"]  # noqa: F405

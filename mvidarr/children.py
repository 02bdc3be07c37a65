"""MVidarr's own processes (the web server, workers, Redis) started as children, the way the
tests and the benchmark start them: each in a process group of its own, with its output in a
log file, stopped group-wide so that what it forked goes with it.

No Django here: the benchmark imports it before any settings exist.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on at the moment of asking."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def worker_command(
    *, threads: int, queues: tuple[str, ...] = (), shutdown_timeout_ms: int
) -> list[str]:
    """The command line of one Dramatiq worker process of MVidarr's with ``threads`` threads,
    on ``queues`` (every queue when empty)."""
    args = [
        str(ROOT / "bin" / "mvidarr-python"),
        "manage.py",
        "rundramatiq",
        "--processes",
        "1",
        "--threads",
        str(threads),
        "--worker-shutdown-timeout",
        str(shutdown_timeout_ms),
    ]
    if queues:
        args += ["--queues", *queues]
    return args


def inherited_env(environ: Mapping[str, str], *, drop: tuple[str, ...]) -> dict[str, str]:
    """``environ`` (the caller's environment) less the variables whose names start with
    ``drop``: the base of a child's environment, to which the caller adds the settings it
    means. The caller passes it: only mvidarr.config reads the environment in the app."""
    return {k: v for k, v in environ.items() if not k.startswith(drop)}


class Child:
    """A child process in its own process group, run from the project's root, its output
    (stdout and stderr) in ``log``."""

    def __init__(
        self,
        args: list[str],
        *,
        env: Mapping[str, str],
        log: Path,
        preexec_fn: Callable[[], None] | None = None,
    ) -> None:
        self.log = log
        self._file = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.popen = subprocess.Popen(
            args,
            cwd=ROOT,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=self._file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=preexec_fn,
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def signal_group(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signum)

    def stop(self, *, timeout: float = 30.0) -> int | None:
        """SIGTERM to the group, SIGKILL after ``timeout`` seconds; return the exit status."""
        if self.popen.poll() is None:
            self.signal_group(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.signal_group(signal.SIGKILL)
                self.popen.wait(10)
        self.signal_group(signal.SIGKILL)  # forked children (Dramatiq's worker), if any are left
        self._file.close()
        return self.popen.returncode

    def output(self, chars: int = 5000) -> str:
        """The last ``chars`` characters of the output."""
        return self.log.read_text(errors="replace")[-chars:]

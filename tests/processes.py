"""Running MVidarr's own processes (workers, the web server) against the test database."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def test_database_url() -> str:
    """A DATABASE_URL naming the database this test runs on (the test database)."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    user = quote(params.get("USER") or "", safe="")
    password = quote(params.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{params['NAME']}"


def process_env(**overrides: str) -> dict[str, str]:
    """The environment for a child process that shares this test's database, Redis and library."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=test_database_url(),
        REDIS_URL=settings.REDIS_URL,
        MVIDARR_LIBRARY=str(settings.LIBRARY_ROOT),
        MVIDARR_MIN_FREE_MB="0",
        MVIDARR_TESTING="1",
        MVIDARR_JOB_MAX_ATTEMPTS=str(settings.JOB_MAX_ATTEMPTS),
        MVIDARR_JOB_BACKOFF_BASE=str(settings.JOB_BACKOFF_BASE_SECONDS),
        MVIDARR_JOB_BACKOFF_MAX=str(settings.JOB_BACKOFF_MAX_SECONDS),
        MVIDARR_JOB_HEARTBEAT=str(settings.JOB_HEARTBEAT_SECONDS),
        MVIDARR_PROGRESS_INTERVAL=str(settings.JOB_PROGRESS_INTERVAL_SECONDS),
        MVIDARR_PER_HOST_LIMIT=str(settings.PER_HOST_LIMIT),
        YTDLP_RETRIES=str(settings.YTDLP_RETRIES),
        YTDLP_SOCKET_TIMEOUT=str(settings.YTDLP_SOCKET_TIMEOUT),
        MVIDARR_ALLOWED_PRIVATE_HOSTS=",".join(settings.ALLOWED_PRIVATE_HOSTS),
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env


class Process:
    """A child process in its own process group, with its output kept in a file."""

    def __init__(self, args: list[str], *, env: dict[str, str], log: Path) -> None:
        self.log = log
        self._file = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.popen = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=self._file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def signal_group(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signum)

    def stop(self, *, timeout: float = 30.0) -> int | None:
        if self.popen.poll() is None:
            self.signal_group(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.signal_group(signal.SIGKILL)
                self.popen.wait(10)
        self.signal_group(signal.SIGKILL)  # forked children, if any are left
        self._file.close()
        return self.popen.returncode

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-5000:]


def start_worker(log: Path, *, threads: int = 4, queues: tuple[str, ...] = (), **env) -> Process:
    args = [
        str(ROOT / "bin" / "mvidarr-python"),
        "manage.py",
        "rundramatiq",
        "--processes",
        "1",
        "--threads",
        str(threads),
        "--worker-shutdown-timeout",
        "20000",
    ]
    if queues:
        args += ["--queues", *queues]
    return Process(args, env=process_env(**env), log=log)

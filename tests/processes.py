"""Running MVidarr's own processes (workers, the web server) against the test database."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from mvidarr.children import ROOT, Child, inherited_env, worker_command


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
    env = inherited_env(os.environ, drop=("PYTEST",))
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
        YTDLP_RETRIES=str(settings.YTDLP_RETRIES),
        YTDLP_SOCKET_TIMEOUT=str(settings.YTDLP_SOCKET_TIMEOUT),
        MVIDARR_ALLOWED_PRIVATE_HOSTS=",".join(settings.ALLOWED_PRIVATE_HOSTS),
        PYTHONUNBUFFERED="1",
    )
    if os.environ.get("MVIDARR_PER_HOST_LIMIT"):  # a test's own limit; else the setting's
        env["MVIDARR_PER_HOST_LIMIT"] = os.environ["MVIDARR_PER_HOST_LIMIT"]
    env.update(overrides)
    return env


def start_worker(log: Path, *, threads: int = 4, queues: tuple[str, ...] = (), **env) -> Child:
    """A worker process on this test's database, Redis and library (``env`` added)."""
    command = worker_command(threads=threads, queues=queues, shutdown_timeout_ms=20_000)
    return Child(command, env=process_env(**env), log=log)


def run_manage_py(
    *args: str, env: Mapping[str, str], timeout: float = 60
) -> subprocess.CompletedProcess:
    """``manage.py ARGS`` run to its end with exactly ``env``; its output as text."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )

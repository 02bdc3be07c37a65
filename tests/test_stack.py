"""The README's run command brings the whole stack up, and Ctrl-C takes all of it down."""

import os
import signal
import subprocess
from pathlib import Path

import psutil
import pytest
import redis

from tests.support import free_port, wait_for_http, wait_until

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.stack


@pytest.fixture
def stack_env(tmp_path):
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
    )
    return env


def test_make_run_serves_the_styled_admin_connects_workers_and_stops_on_ctrl_c(stack_env):
    process = subprocess.Popen(
        ["make", "run"],
        cwd=ROOT,
        env=stack_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, as a terminal gives it
    )
    base = f"http://127.0.0.1:{stack_env['PORT']}"
    descendants: list[psutil.Process] = []
    try:
        assert wait_for_http(f"{base}/admin/login/", timeout=120, process=process) == 200
        css = subprocess.run(
            ["curl", "-s", f"{base}/admin/login/"], capture_output=True, text=True
        ).stdout
        stylesheet = next(part for part in css.split('"') if part.endswith(".css"))
        assert wait_for_http(f"{base}{stylesheet}", timeout=10) == 200

        # Both worker processes register a heartbeat with the broker's Redis.
        broker = redis.Redis(port=int(stack_env["MVIDARR_REDIS_PORT"]))
        wait_until(
            lambda: broker.zcard("mvidarr:__heartbeats__") >= 2,
            timeout=60,
            message="the Dramatiq workers never connected to Redis",
        )
        broker.close()
        descendants = psutil.Process(process.pid).children(recursive=True)
        assert len(descendants) >= 4  # honcho, redis, web, two workers (and their forks)
    finally:
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        output = process.communicate(timeout=60)[0].decode(errors="replace")

    _gone, alive = psutil.wait_procs(descendants, timeout=30)
    assert not alive, f"still running after Ctrl-C: {[p.pid for p in alive]}\n{output[-3000:]}"

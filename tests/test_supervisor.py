"""`make run`'s supervisor, with small stand-in processes: one SIGTERM each on Ctrl-C, Redis
last; a process that dies is restarted and the others go on; the ready line waits for the port.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import psutil
import pytest

from tests.support import free_port, wait_until

ROOT = Path(__file__).resolve().parent.parent

# A stand-in process: notes every signal it gets, and exits `delay` seconds after the first.
# With "fork" it is a Dramatiq worker in small: the main process forks a worker process and
# passes each SIGTERM or SIGINT it gets on to it as a SIGTERM, then waits for it.
STAND_IN = textwrap.dedent(
    """
    import os, signal, sys, time
    name, log, delay = sys.argv[1], sys.argv[2], float(sys.argv[3])
    forks = sys.argv[4:] == ["fork"]

    def note(text):
        with open(log, "a") as f:
            f.write(text + "\\n")

    def serve(who):
        got = []
        def on_signal(signum, frame):
            note(f"{who} {signal.Signals(signum).name}")
            got.append(signum)
        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        note(f"{who} ready")
        while not got:
            time.sleep(0.02)
        time.sleep(delay)  # time for a second signal to arrive, if one is coming
        note(f"{who} exit")

    child = os.fork() if forks else 0
    if child == 0:
        serve(f"{name}-process" if forks else name)
        os._exit(0)

    def forward(signum, frame):
        note(f"{name} {signal.Signals(signum).name}")
        os.kill(child, signal.SIGTERM)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    os.waitpid(child, 0)
    """
)


class Supervised:
    """``python -m mvidarr.supervisor`` on a Procfile, in its own process group (a terminal's)."""

    def __init__(self, tmp_path: Path, procfile: str, *args: str) -> None:
        (tmp_path / "Procfile").write_text(textwrap.dedent(procfile))
        self.log = tmp_path / "supervisor.log"
        self._file = open(self.log, "wb")  # noqa: SIM115 - closed in stop()
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
        env["PYTHONPATH"] = str(ROOT)
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "mvidarr.supervisor", *args],
            cwd=tmp_path,
            env=env,
            stdout=self._file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def ctrl_c(self) -> int:
        """SIGINT to the whole process group, as the terminal sends it; the exit status."""
        os.killpg(self.popen.pid, signal.SIGINT)
        return self.popen.wait(30)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def started_pids(self, name: str) -> list[int]:
        return [int(pid) for pid in re.findall(rf"{name} started \(pid (\d+)\)", self.output())]

    def stop(self) -> None:
        if self.popen.poll() is None:
            descendants = psutil.Process(self.popen.pid).children(recursive=True)
            self.popen.kill()
            for process in descendants:
                process.kill()
            self.popen.wait(10)
        self._file.close()


@pytest.fixture
def supervised(tmp_path):
    started: list[Supervised] = []

    def start(procfile: str, *args: str) -> Supervised:
        started.append(Supervised(tmp_path, procfile, *args))
        return started[-1]

    yield start
    for process in started:
        process.stop()


def test_ctrl_c_sends_each_process_one_sigterm_and_stops_redis_after_the_others(
    supervised, tmp_path
):
    (tmp_path / "stand_in.py").write_text(STAND_IN)
    log = tmp_path / "signals.log"
    stack = supervised(
        f"""
        redis: exec {sys.executable} stand_in.py redis {log} 0
        worker: exec {sys.executable} stand_in.py worker {log} 1 fork
        """
    )
    wait_until(
        lambda: log.exists() and log.read_text().count("ready") == 2,
        timeout=30,
        message=stack.output(),
    )

    assert stack.ctrl_c() == 0, stack.output()

    # A second signal would have made a Dramatiq worker process kill its running downloads;
    # Redis still takes the messages of the jobs that the worker gives back while it stops.
    assert log.read_text().splitlines()[2:] == [
        "worker SIGTERM",
        "worker-process SIGTERM",
        "worker-process exit",
        "redis SIGTERM",
        "redis exit",
    ]


def test_a_killed_process_and_what_it_left_behind_are_replaced_while_the_others_go_on(
    supervised, tmp_path
):
    (tmp_path / "stand_in.py").write_text(STAND_IN)
    port = free_port()
    stack = supervised(
        f"""
        web: exec {sys.executable} -m http.server --bind 127.0.0.1 {port}
        worker: sleep 300 & echo "leftover $!"; exec {sys.executable} stand_in.py w x.log 0
        """
    )
    wait_until(lambda: stack.started_pids("worker") and "leftover" in stack.output(), timeout=30)
    [worker] = stack.started_pids("worker")
    [web] = stack.started_pids("web")
    leftover = int(re.search(r"leftover (\d+)", stack.output()).group(1))

    os.kill(worker, signal.SIGKILL)  # what the out-of-memory killer does

    wait_until(lambda: len(stack.started_pids("worker")) == 2, timeout=30, message=stack.output())
    assert "worker killed by SIGKILL after 0 s; restarting it in 1 s" in stack.output()
    assert not psutil.pid_exists(leftover)  # a Dramatiq worker process would be in its place
    assert stack.started_pids("web") == [web]
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
    assert stack.ctrl_c() == 0, stack.output()


def test_the_ready_line_is_printed_once_the_port_accepts_connections(supervised):
    port = free_port()
    stack = supervised(
        f"web: sleep 2; exec {sys.executable} -m http.server --bind 127.0.0.1 {port}\n",
        "--ready",
        f"127.0.0.1:{port}",
        "--ready-message",
        "Serving now",
    )
    wait_until(lambda: "Serving now" in stack.output(), timeout=30, interval=0.01)
    with socket.create_connection(("127.0.0.1", port), timeout=0.5):
        pass
    assert stack.ctrl_c() == 0, stack.output()


def test_a_second_ctrl_c_kills_what_is_still_stopping(supervised, tmp_path):
    (tmp_path / "stand_in.py").write_text(STAND_IN)
    log = tmp_path / "signals.log"
    stack = supervised(f"worker: exec {sys.executable} stand_in.py worker {log} 60 fork\n")
    wait_until(lambda: log.exists() and "ready" in log.read_text(), timeout=30)
    os.killpg(stack.popen.pid, signal.SIGINT)
    wait_until(lambda: "worker-process SIGTERM" in log.read_text(), timeout=30)

    assert stack.ctrl_c() == 1  # something had to be killed
    assert "Ctrl-C again: killing worker" in stack.output()
    assert "worker-process exit" not in log.read_text()

"""``make run``'s supervisor: runs the Procfile's processes, restarts one that dies, and stops
them all on Ctrl-C without losing a running download.

``python -m mvidarr.supervisor [--procfile Procfile] [--ready HOST:PORT --ready-message TEXT]
[NAME ...]`` starts the named processes (all of them when none is named), each with
``/bin/sh -c`` in a session of its own, and prefixes their output with their name.

- **Ctrl-C** (SIGINT to the terminal's foreground process group) reaches only this process,
  because every child is in its own session. It sends exactly one SIGTERM to each child's main
  process — a Dramatiq main process passes one SIGTERM on to its worker process, which gives its
  running downloads back to the queue; a second signal would kill that worker at once (Dramatiq's
  rule), which is what happened when honcho and the terminal both signalled it. ``redis`` is
  stopped last, once the others are gone, so the messages they send while stopping are kept.
  A second Ctrl-C kills whatever is left. A stop ends with exit status 0 when nothing had to be
  killed.
- **A process that dies** (the out-of-memory killer, a crash) is started again after a backoff
  (1 s, doubling to a minute; back to 1 s once it has run for a minute), and the other processes
  go on. Whatever it left behind in its process group (a Dramatiq worker process, uvicorn's
  workers) gets a SIGTERM first, and the restart waits until they are gone.
- ``--ready``: the ready message is printed when HOST:PORT accepts connections, not before.
- ``.env`` in the working directory is read as honcho read it: its values win over the
  environment's.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

# Started last and stopped last: the others send and requeue messages through it.
STOPPED_LAST = frozenset({"redis"})
BACKOFF_FIRST_SECONDS = 1.0
BACKOFF_MAX_SECONDS = 60.0
# A process that ran this long before it died is restarted after the first backoff again.
HEALTHY_AFTER_SECONDS = 60.0
# Longer than a worker's --worker-shutdown-timeout (30 s), so running downloads can hand back.
STOP_TIMEOUT_SECONDS = 45.0
POLL_SECONDS = 0.1
_PR_SET_CHILD_SUBREAPER = 36


def read_procfile(path: Path) -> dict[str, str]:
    """``{name: command}`` in the file's order (``name: command`` lines; ``#`` comments)."""
    processes: dict[str, str] = {}
    for line in path.read_text().splitlines():
        name, sep, command = line.partition(":")
        if sep and name.strip() and not line.lstrip().startswith("#"):
            processes[name.strip()] = command.strip()
    return processes


def read_dotenv(path: Path) -> dict[str, str]:
    """``KEY=value`` lines of a ``.env`` file (quotes as in a shell); {} when there is none."""
    if not path.is_file():
        return {}
    values: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        line = line.removeprefix("export ").strip()
        key, sep, raw = line.partition("=")
        if not sep or line.startswith("#") or not key.strip().isidentifier():
            continue
        try:
            parts = shlex.split(raw, comments=True)
        except ValueError:
            parts = [raw]
        values[key.strip()] = " ".join(parts)
    return values


def describe_exit(status: int) -> str:
    """``exited with code 1`` or ``killed by SIGKILL``, from a ``waitpid`` status."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(number).name}"
        return f"killed by signal {number}"
    return f"exited with code {os.waitstatus_to_exitcode(status)}"


class Output:
    """Lines of every process, each prefixed with the time and the process's name."""

    def __init__(self, names: list[str]) -> None:
        self.width = max(len(name) for name in [*names, "supervisor"])
        self._lock = threading.Lock()

    def line(self, name: str, text: str) -> None:
        prefix = f"{time.strftime('%H:%M:%S')} {name:<{self.width}} | "
        with self._lock:
            sys.stdout.write(prefix + text.rstrip("\n") + "\n")
            sys.stdout.flush()

    def say(self, text: str) -> None:
        self.line("supervisor", text)

    def follow(self, name: str, stream) -> None:
        """Copy ``stream`` (a child's stdout and stderr) line by line, in a thread of its own."""

        def copy() -> None:
            with stream:
                for raw in iter(stream.readline, b""):
                    self.line(name, raw.decode(errors="replace"))

        threading.Thread(target=copy, name=f"output-{name}", daemon=True).start()


@dataclass
class Child:
    """One Procfile process: its current main process and process group, or its restart."""

    name: str
    command: str
    pid: int | None = None  # the main process while it runs; also its process group's id
    started_at: float = 0.0
    exit_status: int | None = None  # set when the main process has exited
    leftovers_termed_at: float | None = None
    restart_at: float | None = None
    backoff: float = BACKOFF_FIRST_SECONDS

    def group_alive(self) -> bool:
        if self.pid is None:
            return False
        try:
            os.killpg(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def signal_group(self, signum: int) -> None:
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, signum)


class Supervisor:
    def __init__(
        self,
        processes: dict[str, str],
        *,
        env: dict[str, str],
        ready: tuple[str, int] | None = None,
        ready_message: str = "",
    ) -> None:
        self.children = [Child(name, command) for name, command in processes.items()]
        self.env = env
        self.ready = ready
        self.ready_message = ready_message
        self.output = Output(list(processes))
        # Set by the signal handler only; the loop acts on them (a handler that wrote output
        # could wait forever for the output lock that the interrupted loop holds).
        self.stop_signal: int | None = None
        self.kill_requested = False
        self.killed_any = False

    # -- signals -------------------------------------------------------------------------------
    def on_stop_signal(self, signum: int, _frame) -> None:
        if self.stop_signal is None:
            self.stop_signal = signum
        else:
            self.kill_requested = True

    # -- processes -----------------------------------------------------------------------------
    def start(self, child: Child) -> None:
        popen = subprocess.Popen(
            ["/bin/sh", "-c", child.command],
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # out of the terminal's process group: Ctrl-C is ours
        )
        # Reaped by reap() with os.waitpid(-1): Popen must not wait for it as well.
        popen.returncode = 0
        child.pid = popen.pid
        child.started_at = time.monotonic()
        child.exit_status = None
        child.leftovers_termed_at = None
        child.restart_at = None
        self.output.follow(child.name, popen.stdout)
        self.output.say(f"{child.name} started (pid {child.pid})")

    def reap(self) -> None:
        """Collect every exited process: our children and the orphans we adopted."""
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            for child in self.children:
                if child.pid == pid and child.exit_status is None:
                    child.exit_status = status
                    self._exited(child)

    def _exited(self, child: Child) -> None:
        ran = time.monotonic() - child.started_at
        how = describe_exit(child.exit_status)
        if self.stop_signal is not None:
            self.output.say(f"{child.name} stopped ({how})")
            return
        if ran >= HEALTHY_AFTER_SECONDS:
            child.backoff = BACKOFF_FIRST_SECONDS
        child.restart_at = time.monotonic() + child.backoff
        self.output.say(
            f"{child.name} {how} after {ran:.0f} s; restarting it in {child.backoff:.0f} s"
        )
        child.backoff = min(child.backoff * 2, BACKOFF_MAX_SECONDS)

    def settle(self, child: Child) -> bool:
        """After its main process exited, clear the child's process group; True once empty."""
        if not child.group_alive():
            return True
        now = time.monotonic()
        if child.leftovers_termed_at is None:
            child.leftovers_termed_at = now
            child.signal_group(signal.SIGTERM)
        elif now - child.leftovers_termed_at > STOP_TIMEOUT_SECONDS or self.kill_requested:
            child.signal_group(signal.SIGKILL)
            self.killed_any = True
        return False

    def announce_when_ready(self) -> None:
        if self.ready is None:
            return
        host, port = self.ready
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.2):
            self.output.say(self.ready_message)
            self.ready = None

    # -- the loop ------------------------------------------------------------------------------
    def run(self) -> int:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self.on_stop_signal)
        become_subreaper()
        for child in sorted(self.children, key=lambda c: c.name not in STOPPED_LAST):
            self.start(child)
        while self.stop_signal is None:
            self.reap()
            now = time.monotonic()
            for child in self.children:
                waiting = child.exit_status is not None and child.restart_at is not None
                if waiting and self.settle(child) and now >= child.restart_at:
                    self.start(child)
            self.announce_when_ready()
            time.sleep(POLL_SECONDS)
        self.output.say(
            f"{signal.Signals(self.stop_signal).name}: stopping (running downloads go back to "
            "the queue); Ctrl-C again kills everything at once."
        )
        self.killed_any = False
        self.stop([c for c in self.children if c.name not in STOPPED_LAST])
        self.stop([c for c in self.children if c.name in STOPPED_LAST])
        return 1 if self.killed_any else 0

    def stop(self, children: list[Child]) -> None:
        """One SIGTERM to each main process; wait until their groups are empty."""
        started = time.monotonic()
        for child in children:
            if child.exit_status is None and child.pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child.pid, signal.SIGTERM)
        pending = [c for c in children if c.pid is not None]
        while pending:
            self.reap()
            overdue = time.monotonic() - started > STOP_TIMEOUT_SECONDS
            if (overdue or self.kill_requested) and not self.killed_any:
                names = ", ".join(c.name for c in pending)
                why = "Ctrl-C again" if self.kill_requested else "not stopped in time"
                self.output.say(f"{why}: killing {names}")
            if overdue or self.kill_requested:
                for child in pending:
                    child.signal_group(signal.SIGKILL)
                    self.killed_any = True
            pending = [c for c in pending if c.exit_status is None or not self.settle(c)]
            time.sleep(POLL_SECONDS)


def become_subreaper() -> None:
    """Adopt the orphans of our children (Linux), so they are reaped and their groups empty."""
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _address(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    host = host.strip("[]")
    # A server listening on every address answers on the loopback one.
    host = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    return host, int(port)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mvidarr.supervisor")
    parser.add_argument("names", nargs="*", help="the Procfile's processes to run (default: all)")
    parser.add_argument("--procfile", type=Path, default=Path("Procfile"))
    parser.add_argument("--env-file", type=Path, default=Path(".env"))
    parser.add_argument("--ready", type=_address, help="HOST:PORT to wait for")
    parser.add_argument("--ready-message", default="", help="printed when --ready accepts")
    args = parser.parse_args(argv)
    processes = read_procfile(args.procfile)
    unknown = [name for name in args.names if name not in processes]
    if unknown:
        parser.error(f"{args.procfile} has no process called {', '.join(unknown)}.")
    if args.names:
        processes = {name: processes[name] for name in processes if name in args.names}
    if not processes:
        parser.error(f"{args.procfile} names no process to run.")
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **read_dotenv(args.env_file)}
    supervisor = Supervisor(
        processes, env=env, ready=args.ready, ready_message=args.ready_message or "ready"
    )
    return supervisor.run()


if __name__ == "__main__":
    sys.exit(main())

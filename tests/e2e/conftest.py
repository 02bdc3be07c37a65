"""The whole stack as real processes, for tests that use only HTTP (API and browser tests).

``running_stack`` starts the web server (``manage.py serve``: uvicorn, two processes) and a
Dramatiq worker on this test's database, Redis and library, waits until both are ready, and
stops them before the database is flushed. Override ``stack_env`` in a test module to change
their settings.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from django.conf import settings

from mvidarr.children import ROOT, Child
from tests.processes import process_env, start_worker
from tests.support import free_port, wait_for_http, wait_until

HEARTBEATS_KEY = "mvidarr:__heartbeats__"  # the broker's namespace + Dramatiq's key
_REPORTS = pytest.StashKey[dict]()


@dataclass
class Stack:
    base_url: str
    library_root: Path
    redis_url: str
    web: Child
    worker: Child

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def output(self) -> str:
        """The tail of both processes' output, for a failure message."""
        return (
            f"--- web (manage.py serve) output ---\n{self.web.output()}\n"
            f"--- worker output ---\n{self.worker.output()}"
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell a failure in teardown."""
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


@pytest.fixture
def stack_env() -> dict[str, str]:
    """Extra environment variables for the stack's processes (override to change settings)."""
    return {}


@pytest.fixture
def running_stack(request, transactional_db, library_root, stack_env, tmp_path) -> Iterator[Stack]:
    """The web server and a worker as subprocesses, ready; stopped before the DB is flushed."""
    request.getfixturevalue("fast_jobs")  # the processes inherit its settings
    port = free_port()
    # The access log: a test can see what the server itself answered.
    env = {"ALLOWED_HOSTS": "127.0.0.1,localhost", "MVIDARR_ACCESS_LOG": "true", **stack_env}
    web = Child(
        [
            str(ROOT / "bin" / "mvidarr-python"),
            "manage.py",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=process_env(**env),
        log=tmp_path / "web.log",
    )
    worker = start_worker(tmp_path / "worker.log", threads=8, **env)
    stack = Stack(
        base_url=f"http://127.0.0.1:{port}",
        library_root=Path(library_root),
        redis_url=settings.REDIS_URL,
        web=web,
        worker=worker,
    )
    try:
        try:
            wait_for_http(stack.url("/admin/login/"), timeout=60, process=web.popen)
            broker = redis.Redis.from_url(settings.REDIS_URL)
            try:
                wait_until(
                    lambda: worker.popen.poll() is None and broker.zcard(HEARTBEATS_KEY) >= 1,
                    timeout=60,
                    interval=0.2,
                    message="the worker never sent a heartbeat to the broker",
                )
            finally:
                broker.close()
        except AssertionError as exc:
            raise AssertionError(f"the stack did not start: {exc}\n{stack.output()}") from None
        yield stack
    finally:
        web.stop(timeout=15)
        worker.stop(timeout=30)
        reports = request.node.stash.get(_REPORTS, {})
        if any(report.failed for report in reports.values()):
            print(stack.output())

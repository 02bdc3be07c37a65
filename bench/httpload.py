"""An open-loop HTTP/1.1 load generator on asyncio streams (no third-party client).

Open loop: request *i* is due at ``start + i / rate`` whatever happened to the ones before, and
its latency runs from that due time to the last byte of the answer, so a server that falls
behind shows it in the figures instead of slowing the generator down (no coordinated
omission). Connections are kept alive and reused; a new one is opened whenever every open one
is busy.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass

REQUEST_TIMEOUT = 10.0
MAX_CONNECTIONS = 1000
# A connection idle this long is closed, not reused: a server may close an idle kept-alive
# connection at any moment past its own keep-alive timeout, and a request sent on it then
# fails through no fault of the server. Well under the 65 s `manage.py serve` keeps them.
MAX_IDLE_SECONDS = 4.0


@dataclass(frozen=True)
class Request:
    kind: str  # the label the figures are grouped by
    method: str
    path: str
    body: dict | None = None


@dataclass(frozen=True)
class Sample:
    kind: str
    due: float  # monotonic seconds
    latency: float  # seconds from due time to the whole answer; inf when it failed
    status: int  # 0 when there was no answer


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.idle_since = time.monotonic()

    def close(self) -> None:
        self.writer.close()


class Client:
    """Keep-alive connections to one host:port, with a bearer token on every request."""

    def __init__(self, host: str, port: int, *, token: str) -> None:
        self.host = host
        self.port = port
        self.token = token
        self._idle: list[_Connection] = []
        self._open = 0

    async def _take(self) -> _Connection:
        while self._idle:
            conn = self._idle.pop()
            if time.monotonic() - conn.idle_since < MAX_IDLE_SECONDS:
                return conn
            self._drop(conn)
        if self._open >= MAX_CONNECTIONS:
            raise ConnectionError("too many connections")
        self._open += 1
        try:
            reader, writer = await asyncio.open_connection(self.host, self.port)
        except OSError:
            self._open -= 1
            raise
        return _Connection(reader, writer)

    def _drop(self, conn: _Connection) -> None:
        self._open -= 1
        conn.close()

    async def send(self, request: Request) -> tuple[int, bytes]:
        body = json.dumps(request.body).encode() if request.body is not None else b""
        head = (
            f"{request.method} {request.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Authorization: Bearer {self.token}\r\nAccept: application/json\r\n"
            f"Content-Length: {len(body)}\r\n"
        )
        if body:
            head += "Content-Type: application/json\r\n"
        conn = await self._take()
        try:
            conn.writer.write(head.encode() + b"\r\n" + body)
            status, headers, payload = await _read_response(conn.reader)
        except BaseException:
            self._drop(conn)
            raise
        if headers.get("connection", "").lower() == "close":
            self._drop(conn)
        else:
            conn.idle_since = time.monotonic()
            self._idle.append(conn)
        return status, payload

    def close(self) -> None:
        for conn in self._idle:
            conn.close()
        self._idle.clear()
        self._open = 0


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        return status, headers, await reader.readexactly(int(headers["content-length"]))
    if headers.get("transfer-encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            chunks.append(await reader.readexactly(size + 2))
            if size == 0:
                return status, headers, b"".join(c[:-2] for c in chunks)
    headers["connection"] = "close"
    return status, headers, await reader.read()


async def open_loop(
    client: Client, *, rate: float, duration: float, next_request: Callable[[int], Request]
) -> list[Sample]:
    """Offer ``rate`` requests/s for ``duration`` seconds; return one sample per request."""
    samples: list[Sample] = []
    tasks: set[asyncio.Task] = set()
    count = int(rate * duration)
    start = time.monotonic() + 0.05

    async def one(request: Request, due: float) -> None:
        try:
            status, _ = await asyncio.wait_for(client.send(request), REQUEST_TIMEOUT)
            latency = time.monotonic() - due
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError):
            status, latency = 0, float("inf")
        samples.append(Sample(request.kind, due, latency, status))

    for index in range(count):
        due = start + index / rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(one(next_request(index), due))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    if tasks:
        await asyncio.wait(tasks, timeout=REQUEST_TIMEOUT + 5)
    return samples

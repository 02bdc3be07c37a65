"""``python -m bench.media_server ROOT``: the test media server in a process of its own.

Run apart from the load generator so its hundreds of rate-capped sending threads never share
a GIL with the clocks that measure latency. Prints ``PORT <n>`` once it listens, and serves
until SIGTERM (the benchmark stops it, or dies: see ``bench.stack``).
"""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

from tests.media.server import MediaServer


def main() -> None:
    root = Path(sys.argv[1])
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with MediaServer(root, hold_timeout=5.0) as server:
        server.request_log = _NoLog()  # a benchmark makes thousands of requests
        print(f"PORT {server.port}", flush=True)
        stop.wait()


class _NoLog(list):
    def append(self, item) -> None:
        pass


if __name__ == "__main__":
    main()

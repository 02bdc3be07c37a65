"""The providers' rate limit is shared by every process: requests at least 1/rate apart
as the provider receives them, whichever process sends them."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings

from tests.providers.fakes import IMVDB_KEY
from videos.providers import limiter

RATE = 8.0  # requests a second: 125 ms apart

# Another process: Django set up afresh, the IMVDb client asking for the videos given.
ASK = """
import os, sys, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mvidarr.settings")
django.setup()
from videos.providers.imvdb import Imvdb
client = Imvdb.build(base_url=sys.argv[1], api_key=sys.argv[2], rate=float(sys.argv[3]),
                     cache_ttl=0)
for video_id in sys.argv[4:]:
    client.video(video_id)
"""


@pytest.mark.django_db
def test_two_processes_asking_at_once_keep_the_spacing(imvdb_server):
    env = {**os.environ, "REDIS_URL": settings.REDIS_URL}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", ASK, imvdb_server.url, IMVDB_KEY, str(RATE), *ids],
            env=env,
            cwd=settings.BASE_DIR,
        )
        for ids in (["1001", "1002", "1003", "1004"], ["1005", "1006", "1007", "1001"])
    ]
    assert [process.wait(timeout=120) for process in processes] == [0, 0]
    times = sorted(item.at for item in imvdb_server.received)
    assert len(times) == 8
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert min(gaps) >= 1 / RATE


def test_a_waiter_gets_its_turn_once_the_request_on_its_way_is_answered(redis_client):
    """While a request is on its way its turn holds a lease of a minute (in case its process
    dies); a second process asking meanwhile gets the next turn an interval after that
    request's answer, not when the lease would have run out."""
    provider = "test-waiter"
    got_turn: list[float] = []

    def second_process() -> None:
        with limiter.turn(provider, rate=RATE):
            got_turn.append(time.monotonic())

    with limiter.turn(provider, rate=RATE):
        waiter = threading.Thread(target=second_process)
        waiter.start()
        time.sleep(0.3)  # the waiter asked while this request was on its way
        assert not got_turn
        answered_at = time.monotonic()
    waiter.join(timeout=limiter.LEASE)
    assert got_turn, "the waiter had no turn before the lease ran out"
    assert got_turn[0] - answered_at < limiter.LEASE / 4

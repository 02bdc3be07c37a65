"""The providers' rate limit is shared by every process: requests at least 1/rate apart
as the provider receives them, whichever process sends them."""

from __future__ import annotations

import itertools
import multiprocessing

import pytest

from tests.providers.fakes import IMVDB_KEY
from videos.providers.imvdb import Imvdb

RATE = 8.0  # requests a second: 125 ms apart


def _ask(url: str, ids: list[int]) -> None:
    client = Imvdb.build(base_url=url, api_key=IMVDB_KEY, rate=RATE, cache_ttl=0)
    for video_id in ids:
        client.video(str(video_id))


@pytest.mark.django_db
def test_two_processes_asking_at_once_keep_the_spacing(imvdb_server):
    context = multiprocessing.get_context("fork")
    workers = [
        context.Process(target=_ask, args=(imvdb_server.url, ids))
        for ids in ([1001, 1002, 1003, 1004], [1005, 1006, 1007, 1001])
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
        assert worker.exitcode == 0
    times = sorted(item.at for item in imvdb_server.received)
    assert len(times) == 8
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert min(gaps) >= 1 / RATE

"""A per-provider rate limit shared by every process: requests at least ``1/rate`` apart.

The last request's time is one Redis key per provider; one script compares it with Redis'
own clock and either takes the turn (writes the time) or answers how long to wait, so two
processes never both go within the interval whatever their clocks. A 429's Retry-After
pushes the next turn back for everyone (:func:`defer`).

``MARGIN`` is added to every interval: between the turn and the request reaching the
provider lie a connect and a thread switch, which differ from one request to the next.
"""

from __future__ import annotations

import functools
import time

import redis
from django.conf import settings

PREFIX = "mvidarr:providers:turn:"
MARGIN = 0.025  # seconds

_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local interval = tonumber(ARGV[1])
if now >= last + interval then
  redis.call('SET', KEYS[1], now, 'PX', math.floor(interval / 1000) + 60000)
  return 0
end
return last + interval - now
"""

_DEFER = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local wanted = now + tonumber(ARGV[1]) - tonumber(ARGV[2])
if wanted > last then
  redis.call('SET', KEYS[1], wanted, 'PX', math.floor(tonumber(ARGV[1]) / 1000) + 60000)
end
return 0
"""


@functools.cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=2)


def _interval_us(rate: float) -> int:
    return int((1.0 / rate + MARGIN) * 1_000_000)


def wait_turn(provider: str, *, rate: float, give_up_after: float = 120.0) -> None:
    """Block until ``provider`` may be sent a request; raise TimeoutError after
    ``give_up_after`` seconds (a queue of turns that long means something is wrong)."""
    client = _client(settings.REDIS_URL)
    deadline = time.monotonic() + give_up_after
    while True:
        wait_us = int(client.eval(_TAKE, 1, PREFIX + provider, _interval_us(rate)))
        if wait_us <= 0:
            return
        if time.monotonic() + wait_us / 1e6 > deadline:
            raise TimeoutError(f"Waited {give_up_after:g} s for a turn to ask {provider}.")
        time.sleep(wait_us / 1e6)


def defer(provider: str, *, seconds: float, rate: float) -> None:
    """No request to ``provider`` for ``seconds`` from now, in any process."""
    client = _client(settings.REDIS_URL)
    client.eval(_DEFER, 1, PREFIX + provider, int(seconds * 1_000_000), _interval_us(rate))

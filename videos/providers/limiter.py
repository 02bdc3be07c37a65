"""A per-provider rate limit shared by every process: requests at least ``1/rate`` apart,
as the provider receives them.

One Redis key per provider holds the time from which the interval counts. Taking a turn
(one script, on Redis' own clock) sets it to a lease ``LEASE`` seconds ahead, so no other
process gets a turn while this request is on its way; when the answer is in,
:func:`turn_done` sets it to that moment. The next request therefore leaves at least the
interval after the previous one arrived, whatever the clocks and delays of the processes.
A request whose process died gives its turn back when the lease ends. A 429's Retry-After
pushes the next turn back for everyone (:func:`defer`).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from contextlib import contextmanager

import redis
from django.conf import settings

PREFIX = "mvidarr:providers:turn:"
LEASE = 60.0  # seconds: longer than a request's timeout
POLL = 0.05  # seconds: the shortest look again while another request is on its way

_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local interval = tonumber(ARGV[1])
if now >= last + interval then
  local lease = string.format('%.0f', now + tonumber(ARGV[2]))
  redis.call('SET', KEYS[1], lease, 'PX', math.floor((tonumber(ARGV[2]) + interval) / 1000) + 1000)
  return {1, lease}
end
return {0, string.format('%.0f', last + interval - now)}
"""

_DONE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local keep = math.floor(tonumber(ARGV[2]) / 1000) + 1000
redis.call('SET', KEYS[1], string.format('%.0f', now), 'PX', keep)
return 1
"""

_DEFER = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local wanted = now + tonumber(ARGV[1]) - tonumber(ARGV[2])
if wanted > last then
  local keep = math.floor(tonumber(ARGV[1]) / 1000) + 1000
  redis.call('SET', KEYS[1], string.format('%.0f', wanted), 'PX', keep)
end
return 0
"""


@functools.cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=2)


def _interval_us(rate: float) -> int:
    return int(1_000_000 / rate)


@contextmanager
def turn(provider: str, *, rate: float, give_up_after: float = 120.0) -> Iterator[None]:
    """Wait for ``provider``'s turn, hold it while the body sends a request and reads the
    answer, then start the interval. TimeoutError after ``give_up_after`` seconds of
    waiting (a queue of turns that long means something is wrong)."""
    client = _client(settings.REDIS_URL)
    key, interval = PREFIX + provider, _interval_us(rate)
    deadline = time.monotonic() + give_up_after
    while True:
        granted, value = client.eval(_TAKE, 1, key, interval, int(LEASE * 1_000_000))
        if int(granted):
            break
        # While another request is on its way the key holds its lease, and the wait it
        # answers runs to the lease's end (a minute): look again every interval instead,
        # since the turn comes an interval after that request's answer.
        wait = min(int(value) / 1e6, max(interval / 1e6, POLL))
        if time.monotonic() + wait > deadline:
            raise TimeoutError(f"Waited {give_up_after:g} s for a turn to ask {provider}.")
        time.sleep(wait)
    try:
        yield
    finally:
        client.eval(_DONE, 1, key, value, interval)


def defer(provider: str, *, seconds: float, rate: float) -> None:
    """No request to ``provider`` for ``seconds`` from now, in any process."""
    client = _client(settings.REDIS_URL)
    client.eval(_DEFER, 1, PREFIX + provider, int(seconds * 1_000_000), _interval_us(rate))

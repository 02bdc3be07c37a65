"""The cache backend: Django's Redis cache that fails open while Redis is down.

The cache holds API throttle counters and nothing that must not be lost. When Redis is down,
reads find nothing and writes are dropped (logged once per outage), so a throttled endpoint,
a login above all, answers as if nothing had been counted instead of failing.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

from mvidarr.redis_outage import skipped_while_down

_WHAT = "cache reads and writes (API throttles count nothing)"


class FailOpenRedisCacheClient(RedisCacheClient):
    def get(self, key, default):
        value = default
        with skipped_while_down(_WHAT):
            value = super().get(key, default)
        return value

    def get_many(self, keys):
        values: dict = {}
        with skipped_while_down(_WHAT):
            values = super().get_many(keys)
        return values

    def has_key(self, key):
        found = False
        with skipped_while_down(_WHAT):
            found = super().has_key(key)
        return found

    def add(self, key, value, timeout):
        added = False
        with skipped_while_down(_WHAT):
            added = super().add(key, value, timeout)
        return added

    def set(self, key, value, timeout):
        with skipped_while_down(_WHAT):
            super().set(key, value, timeout)

    def set_many(self, data, timeout):
        with skipped_while_down(_WHAT):
            super().set_many(data, timeout)

    def touch(self, key, timeout):
        touched = False
        with skipped_while_down(_WHAT):
            touched = super().touch(key, timeout)
        return touched

    def delete(self, key):
        deleted = False
        with skipped_while_down(_WHAT):
            deleted = super().delete(key)
        return deleted

    def delete_many(self, keys):
        with skipped_while_down(_WHAT):
            super().delete_many(keys)


class FailOpenRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` whose reads and writes fail open
    (``incr``, ``decr`` and ``clear`` still raise: their callers must know)."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = FailOpenRedisCacheClient

"""The stored values, cached in Redis for every process, and their invalidation.

Every process reads the same cache entry, ``preferences:values``: the values with the version
they were read at. A write bumps the version (``preferences:version``), so the next read in
any process finds the entry's version behind and reads the database again; no process keeps
a copy of its own, so a change needs no restart. A reader that read the database just before a
write can only store an entry whose version is already behind. Both keys are read in one
round trip (a worker reads settings about ten times a download).

While Redis is down every read goes to the database (the cache fails open,
mvidarr/cache.py). A write made while Redis is down cannot bump the version: an entry cached
before the outage may then be served until it expires (``TIMEOUT``) once Redis is back.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import connection

from mvidarr.redis_outage import REDIS_DOWN, outage
from preferences.models import Setting

VERSION_KEY = "preferences:version"
VALUES_KEY = "preferences:values"
# How long a cached copy may live: the bound on a stale value after a write made while Redis
# was down (see above). Reading the whole table again is one small query.
TIMEOUT = 60


def stored_values() -> dict[str, Any]:
    """Every key set in the database and its value (cached; the database when Redis is down)."""
    found = cache.get_many([VERSION_KEY, VALUES_KEY])
    version = found.get(VERSION_KEY, 0)
    entry = found.get(VALUES_KEY)
    if isinstance(entry, dict) and entry.get("version") == version:
        return entry["values"]
    values = dict(Setting.objects.values_list("key", "value"))
    # Inside a transaction the rows may be uncommitted writes of this very transaction,
    # which other processes must not see (and which a rollback would take back).
    if not connection.in_atomic_block:
        cache.set(VALUES_KEY, {"version": version, "values": values}, TIMEOUT)
    return values


def invalidate() -> None:
    """Make every process read the database at its next read (a no-op while Redis is down)."""
    try:
        cache.add(VERSION_KEY, 0, None)
        cache.incr(VERSION_KEY)
    except REDIS_DOWN as exc:
        outage().went_down(exc, skipped="settings cache invalidation")
    except ValueError:  # the version key vanished between add and incr: nothing is cached
        pass

"""Checks of the services MVidarr depends on, shared by start-up and the health endpoints."""

from __future__ import annotations

from dataclasses import dataclass

import redis
from django.conf import settings
from django.db import connections

from mvidarr.config import redact


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    detail: str


def check_database(alias: str = "default") -> CheckResult:
    connection = connections[alias]
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        vendor = connection.vendor
        name = connection.settings_dict.get("NAME")
        host = connection.settings_dict.get("HOST") or "local file"
        return CheckResult(
            False,
            f"Cannot reach the {vendor} database {name!r} at {host} ({first_line(exc)}); "
            "check DATABASE_URL and that the database server is running.",
        )
    return CheckResult(True, f"{connection.vendor} database reachable")


def check_redis(url: str | None = None, *, timeout: float = 2.0) -> CheckResult:
    url = url or settings.REDIS_URL
    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        client.ping()
    except Exception as exc:
        return CheckResult(
            False,
            f"Cannot reach Redis at {redact(url)} ({first_line(exc)}); check REDIS_URL, or "
            "leave it unset so that `make run` starts its own Redis.",
        )
    finally:
        client.close()
    return CheckResult(True, "Redis reachable")


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__

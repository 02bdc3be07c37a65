"""Reading configuration from the environment.

Small, dependency-free helpers used by ``settings.py``. Every problem is reported as a
:class:`ConfigError` whose message is one sentence a person can act on; ``manage.py`` prints
that sentence instead of a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from videos.netguard import AddressPolicy


class ConfigError(Exception):
    """A setting in the environment is missing or malformed."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false (1/0, yes/no), not {raw!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {value}.")
    return value


def env_float(name: str, default: float, *, minimum: float | None = None) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, not {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {value}.")
    return value


def log_format() -> str:
    """``LOG_FORMAT``: ``json`` (one JSON object per line, as the Docker image sets) or
    ``text`` (the default, for ``make run``)."""
    value = env_str("LOG_FORMAT", "text").strip().lower() or "text"
    if value not in {"json", "text"}:
        raise ConfigError(f"LOG_FORMAT must be json or text, not {value!r}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_path_list(name: str) -> list[str]:
    """Paths separated by ``os.pathsep`` (":" on Linux), blanks dropped; not checked here: a
    path that does not exist is skipped where it is used."""
    raw = os.environ.get(name) or ""
    return [item.strip() for item in raw.split(os.pathsep) if item.strip()]


def private_hosts(entries: list[str]) -> list[str]:
    """MVIDARR_ALLOWED_PRIVATE_HOSTS, each entry checked now so a typo stops the start."""
    try:
        AddressPolicy(entries)
    except ValueError as error:
        raise ConfigError(
            f"MVIDARR_ALLOWED_PRIVATE_HOSTS: {error} Use entries such as nas.local:8096, "
            "192.168.1.20 or 10.0.0.0/8, separated by commas."
        ) from None
    return entries


SQLITE_OPTIONS = {
    # WAL lets the web process read while a worker writes; the busy timeout makes a writer
    # wait for the lock instead of failing; IMMEDIATE takes the write lock at BEGIN, so two
    # threads never deadlock upgrading read locks ("database is locked").
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
}


def pg_pool_options() -> dict:
    """Each process keeps a pool of PostgreSQL connections (Django's ``pool`` option).

    Without one, every web request (a thread of its own under ASGI) opened and closed a
    connection: tens of milliseconds under load, and past ``max_connections`` requests
    failed with "too many clients" (bench/README.md). With it a process holds at most
    ``MVIDARR_DB_POOL_SIZE`` connections, and a request beyond that waits for one
    (``MVIDARR_DB_POOL_TIMEOUT`` seconds) instead of failing.
    """
    return {
        "min_size": 1,
        "max_size": env_int("MVIDARR_DB_POOL_SIZE", 10, minimum=1),
        "timeout": env_float("MVIDARR_DB_POOL_TIMEOUT", 30.0, minimum=1.0),
    }


def database_config(url: str | None, *, default_sqlite: Path, test_name: str) -> dict:
    """Return Django's ``DATABASES['default']`` for ``url`` (SQLite under var/ when unset)."""
    if not url:
        url = f"sqlite:///{default_sqlite}"
    try:
        config = dj_database_url.parse(url, conn_max_age=0)
    except Exception as exc:  # dj_database_url raises several types for bad input
        raise ConfigError(
            f"DATABASE_URL {redact(url)!r} is not a database URL this app understands ({exc}); "
            "use postgres://user:password@host:5432/name or sqlite:////absolute/path.db."
        ) from None
    engine = config.get("ENGINE", "")
    if engine == "django.db.backends.sqlite3":
        if not config.get("NAME"):
            raise ConfigError(f"DATABASE_URL {redact(url)!r} names no SQLite file.")
        config["OPTIONS"] = dict(SQLITE_OPTIONS)
        # Django's backend, with one writer per process at a time (see its docstring);
        # MVIDARR_SQLITE_WRITE_TURN=off leaves every thread to SQLite's busy wait.
        if env_bool("MVIDARR_SQLITE_WRITE_TURN", True):
            config["ENGINE"] = "mvidarr.sqlite3"
        # SQLite creates the file but not its folder (var/ on a fresh checkout).
        Path(str(config["NAME"])).parent.mkdir(parents=True, exist_ok=True)
        # The test database must be a file: worker threads and processes open it too.
        test_file = Path(str(config["NAME"])).with_name(f"test-{test_name}.sqlite3")
        config["TEST"] = {"NAME": str(test_file)}
    elif engine == "django.db.backends.postgresql":
        if not config.get("NAME"):
            raise ConfigError(f"DATABASE_URL {redact(url)!r} names no database.")
        config["OPTIONS"] = {"connect_timeout": 5, "pool": pg_pool_options()}
        config["TEST"] = {"NAME": f"test_{config['NAME']}_{test_name}"}
    else:
        raise ConfigError(
            f"DATABASE_URL {redact(url)!r} selects {engine or 'an unknown engine'}; "
            "MVidarr supports PostgreSQL (postgres://…) and SQLite (sqlite:///…)."
        )
    return config


def redis_url(url: str) -> str:
    """Validate a Redis URL and return it unchanged."""
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss", "unix"}:
        raise ConfigError(f"REDIS_URL {redact(url)!r} is not a Redis URL; use redis://host:6379/0.")
    if parts.scheme != "unix" and not parts.hostname:
        raise ConfigError(f"REDIS_URL {redact(url)!r} names no host; use redis://host:6379/0.")
    try:
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        raise ConfigError(f"REDIS_URL {redact(url)!r} has a malformed port.") from None
    return url


def http_url(name: str, default: str) -> str:
    """An http(s) address from the environment (``default`` when unset), checked now so a
    typo stops the start."""
    url = env_str(name, default).strip() or default
    try:
        parts = urlsplit(url)
        valid = parts.scheme in {"http", "https"} and bool(parts.hostname)
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        valid = False
    if not valid:
        raise ConfigError(
            f"{name} {redact(url)!r} is not a web address; use one that starts with https://."
        )
    return url


def optional_http_url(name: str) -> str:
    """An http(s) address from the environment, or "" when unset (checked like
    :func:`http_url`)."""
    if not env_str(name).strip():
        return ""
    return http_url(name, "")


def env_fraction(name: str, default: float) -> float:
    """A number from 0 to 1 (a score threshold)."""
    value = env_float(name, default, minimum=0.0)
    if value > 1:
        raise ConfigError(f"{name} must be a number from 0 to 1, not {value}.")
    return value


def redact(url: str) -> str:
    """Hide the password in a URL before it is shown to a person."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable>"
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url

"""Helpers for tests that run real processes."""

from __future__ import annotations

import os
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from mvidarr.children import free_port

__all__ = ["free_port", "make_user", "password_of", "wait_for_http", "wait_until"]


def wait_for_http(url: str, *, timeout: float, process=None) -> int:
    """Poll ``url`` until it answers; return its status. Fails if ``process`` exits first."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"process exited with {process.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError as exc:
            last_error = exc
        time.sleep(0.25)
    raise AssertionError(f"{url} did not answer within {timeout} s: {last_error}")


def wait_until(predicate, *, timeout: float, interval: float = 0.1, message: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(message or f"condition not met within {timeout} s")


def password_of(username: str) -> str:
    """The password every test user made by :func:`make_user` has."""
    return f"pw-{username}-123"


def make_user(username: str, **fields):
    """A user row with a known password (:func:`password_of`); ``fields`` as for the model."""
    return get_user_model().objects.create_user(username, password=password_of(username), **fields)


@contextmanager
def frozen(path: Path) -> Iterator[None]:
    """``path`` made so that nothing in it can be renamed (immutable for root, which ignores
    permissions; read-only otherwise)."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        return
    if path.is_file():
        pytest.skip("only root can make a single file impossible to rename")
    mode = path.stat().st_mode
    path.chmod(0o555)
    try:
        yield
    finally:
        path.chmod(mode)

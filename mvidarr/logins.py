"""Login throttles: one service for the token endpoint and the three login forms.

Failed logins are counted per client address and per account in the default cache, which
is Redis, so every web process shares the counts. Once a count reaches its limit, every
login for that address or account (right password or not) is answered ``429`` with
``Retry-After`` until the window that began with its first failure has passed: a pause,
never a permanent lock-out. A successful login clears its account's count (not its
address's: one's own account must not reset the count of guesses at others).

While Redis cannot be reached the throttles fail open: logins keep working and the log says
so (here, and once per outage in the fail-open cache, mvidarr/cache.py).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from redis.exceptions import RedisError
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger(__name__)

_PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class LoginThrottled(Exception):
    """Too many failed logins; ``wait`` is the whole seconds until the next try counts."""

    def __init__(self, message: str, *, wait: int) -> None:
        super().__init__(message)
        self.message = message
        self.wait = wait


@dataclass(frozen=True)
class _Counter:
    """One count of failures: a limit over a window, for one address or one account."""

    scope: str  # "address" or "account"
    ident: str
    limit: int
    window: int  # seconds

    @property
    def key(self) -> str:
        # surrogatepass: a fuzzer's lone surrogate is a name too (a 400 later, not a 500).
        digest = hashlib.sha256(self.ident.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return f"login-failures:{self.scope}:{digest}"

    @property
    def started_key(self) -> str:
        return f"{self.key}:started"


def client_address(request: HttpRequest) -> str:
    """The client's address as DRF's throttles see it.

    That is ``REMOTE_ADDR``, or with ``MVIDARR_BEHIND_PROXY`` (``NUM_PROXIES = 1``) the
    address the proxy appended to ``X-Forwarded-For``: what the client wrote there itself
    is never trusted.
    """
    return BaseThrottle().get_ident(request)


def _counters(address: str, username: str) -> list[_Counter]:
    counters = []
    rate = settings.LOGIN_ADDRESS_RATE
    if rate:
        count, _, period = rate.partition("/")
        counters.append(_Counter("address", address, int(count), _PERIOD_SECONDS[period[0]]))
    username = username.strip().casefold()
    if username:
        counters.append(
            _Counter(
                "account",
                username,
                settings.LOGIN_ACCOUNT_FAILURES,
                settings.LOGIN_ACCOUNT_WINDOW_SECONDS,
            )
        )
    return counters


def _fail_open(exc: Exception) -> None:
    logger.warning(
        "Login throttles are not counting because Redis cannot be reached (%s); "
        "logins are allowed until it is back.",
        exc,
    )


def check_login_allowed(*, address: str, username: str) -> None:
    """Raise :class:`LoginThrottled` when the address or the account has no tries left."""
    counters = _counters(address, username)
    try:
        values = cache.get_many([key for c in counters for key in (c.key, c.started_key)])
    except (RedisError, OSError) as exc:
        _fail_open(exc)
        return
    now = time.time()
    for counter in counters:
        if values.get(counter.key, 0) < counter.limit:
            continue
        started = values.get(counter.started_key, now)
        wait = max(1, math.ceil(started + counter.window - now))
        who = "this account" if counter.scope == "account" else "your address"
        raise LoginThrottled(
            f"Too many failed logins for {who}; try again in {wait} seconds.", wait=wait
        )


def record_login_failure(*, address: str, username: str) -> None:
    """Count one failed login against the address and the account."""
    now = time.time()
    try:
        for counter in _counters(address, username):
            if cache.add(counter.key, 0, timeout=counter.window):
                cache.set(counter.started_key, now, timeout=counter.window)
            try:
                cache.incr(counter.key)
            except ValueError:  # the window ended between add() and incr()
                cache.set(counter.key, 1, timeout=counter.window)
                cache.set(counter.started_key, now, timeout=counter.window)
    except (RedisError, OSError) as exc:
        _fail_open(exc)


def record_login_success(*, username: str) -> None:
    """Clear the account's failures (its owner knows the password)."""
    counters = [c for c in _counters("", username) if c.scope == "account"]
    try:
        cache.delete_many([key for c in counters for key in (c.key, c.started_key)])
    except (RedisError, OSError) as exc:
        _fail_open(exc)


def throttled_login(view):
    """Wrap a login form's view (Django's ``LoginView``, the admin's login) in the throttles.

    A POST is refused with ``429`` while the address or the account has no tries left;
    otherwise the view decides, and an answer other than its redirect is a failed login.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        address = client_address(request)
        username = request.POST.get("username", "")
        try:
            check_login_allowed(address=address, username=username)
        except LoginThrottled as exc:
            response = HttpResponse(exc.message, status=429, content_type="text/plain")
            response["Retry-After"] = str(exc.wait)
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 302:  # LoginView.form_valid: logged in
            record_login_success(username=username)
        else:
            record_login_failure(address=address, username=username)
        return response

    return wrapper

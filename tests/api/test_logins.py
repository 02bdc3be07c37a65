"""Every login is throttled per client address and per account, with counts in Redis.

The four ways in: the token endpoint and the three login forms (the site's, the admin's and
the browsable API's). A form's failed login answers 200 (the form again), a success 302.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import time

import pytest
from django.test import Client, override_settings
from rest_framework.test import APIClient

from tests.support import free_port, password_of
from tests.test_config import ROOT, run_manage

ENTRIES = ["/api/auth/token/", "/accounts/login/", "/admin/login/", "/api/auth/login/"]


def login(entry: str, username: str, password: str, *, address: str = "198.51.100.7", **headers):
    """One login attempt at ``entry`` from ``address``; returns (outcome, response)."""
    body = {"username": username, "password": password}
    if entry == "/api/auth/token/":
        response = APIClient().post(entry, body, format="json", REMOTE_ADDR=address, **headers)
        outcome = {200: "in", 401: "refused"}.get(response.status_code)
    else:
        response = Client().post(entry, body, REMOTE_ADDR=address, **headers)
        outcome = {302: "in", 200: "refused"}.get(response.status_code)
    if response.status_code == 429:
        outcome = "throttled"
    return outcome, response


@pytest.fixture
def boss_password(boss):
    """A staff account, so the admin's form lets it in too."""
    return password_of("boss")


def test_ten_failures_pause_the_account_at_every_entry_even_from_new_addresses(boss_password):
    # Failures spread over all four entries and ten addresses count as one series.
    for attempt in range(10):
        outcome, _ = login(ENTRIES[attempt % 4], "boss", "guess", address=f"10.0.0.{attempt}")
        assert outcome == "refused"

    for number, entry in enumerate(ENTRIES):
        outcome, response = login(entry, "boss", boss_password, address=f"10.9.9.{number}")
        assert outcome == "throttled", entry
        assert 0 < int(response["Retry-After"]) <= 900
        body = response.content.decode()
        assert "Too many failed logins for this account; try again in" in body


def test_the_account_pause_ends_when_its_window_has_passed(boss_password, settings):
    """A pause, never a lock-out (one entry: the four share the service, as above)."""
    settings.LOGIN_ACCOUNT_FAILURES = 2
    settings.LOGIN_ACCOUNT_WINDOW_SECONDS = 4  # long enough for two password hashes
    for attempt in range(2):
        assert login(ENTRIES[1], "boss", "guess", address=f"10.0.1.{attempt}")[0] == "refused"
    outcome, response = login(ENTRIES[1], "boss", boss_password)
    assert outcome == "throttled"
    time.sleep(int(response["Retry-After"]) + 0.2)
    assert login(ENTRIES[1], "boss", boss_password)[0] == "in"


def test_a_successful_login_clears_the_accounts_failures(boss_password):
    for _ in range(2):
        for attempt in range(9):
            assert login(ENTRIES[0], "boss", "guess", address=f"10.0.2.{attempt}")[0] == "refused"
        assert login(ENTRIES[0], "boss", boss_password)[0] == "in"


@pytest.mark.parametrize("entry", ENTRIES)
def test_every_entry_is_throttled_per_address_across_accounts(entry, db, settings):
    settings.LOGIN_ADDRESS_RATE = "3/min"
    outcomes = [login(entry, f"user{n}", "guess")[0] for n in range(4)]
    assert outcomes == ["refused", "refused", "refused", "throttled"]
    assert login(entry, "other", "guess", address="198.51.100.8")[0] == "refused"


def test_a_forged_x_forwarded_for_does_not_escape_the_address_throttle(db):
    """Without a proxy, what a client writes in X-Forwarded-For is not its address."""
    outcomes = [
        login(ENTRIES[0], f"user{n}", "guess", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")[0]
        for n in range(11)
    ]
    assert outcomes == ["refused"] * 10 + ["throttled"]


def test_behind_a_proxy_the_address_is_the_one_the_proxy_appended(db, settings):
    settings.LOGIN_ADDRESS_RATE = "3/min"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    outcomes = [
        login(
            entry,
            f"user{n}",
            "guess",
            address="127.0.0.1",  # the proxy
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 192.0.2.44",  # forged, then the real one
        )[0]
        for n, entry in enumerate(ENTRIES)
    ]
    assert outcomes == ["refused", "refused", "refused", "throttled"]


@pytest.mark.parametrize(("behind_proxy", "num_proxies"), [("true", "1"), ("false", "0")])
def test_num_proxies_follows_mvidarr_behind_proxy(behind_proxy, num_proxies):
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.REST_FRAMEWORK['NUM_PROXIES'])",
        MVIDARR_BEHIND_PROXY=behind_proxy,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == num_proxies


def test_failures_counted_by_another_process_pause_the_account(boss_password):
    """The counts live in Redis, so every web process sees the others' failures."""
    code = (
        "from mvidarr.logins import record_login_failure\n"
        "for n in range(10): record_login_failure(address=f'10.0.3.{n}', username='boss')\n"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        check=True,
        timeout=60,
    )
    assert login(ENTRIES[1], "boss", boss_password)[0] == "throttled"


@pytest.mark.parametrize("entry", ENTRIES)
def test_logins_keep_working_while_redis_is_down(entry, boss_password, settings, caplog):
    dead = f"redis://127.0.0.1:{free_port()}/0"
    caches = {"default": {**settings.CACHES["default"], "LOCATION": dead}}
    # Restored inside the test: the teardown that empties the cache needs the real one.
    with override_settings(CACHES=caches), caplog.at_level(logging.WARNING, "mvidarr.logins"):
        assert login(entry, "boss", "guess")[0] == "refused"
        assert login(entry, "boss", boss_password)[0] == "in"
    assert "Login throttles are not counting because Redis cannot be reached" in caplog.text

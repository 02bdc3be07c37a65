"""A headless Chromium page signed in to the test server, for the browser tests."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, sync_playwright

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@contextlib.contextmanager
def signed_in_page(base_url: str, user) -> Iterator[Page]:
    """A new page whose relative URLs go to ``base_url``, with ``user``'s session cookie.

    Skips the test when Debian's chromium is not installed.
    """
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed")
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            context = browser.new_context(base_url=base_url)
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}]
            )
            yield context.new_page()
        finally:
            browser.close()

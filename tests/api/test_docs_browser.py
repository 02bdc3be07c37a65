"""The Swagger UI at /api/docs/ works in a browser with no internet and under the CSP."""

from __future__ import annotations

import shutil
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import sync_playwright

from tests.support import make_user

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def test_the_docs_render_from_this_site_alone_without_breaking_the_csp(live_server, db):
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed")
    client = Client()
    client.force_login(make_user("alice"))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    own_host = urlsplit(live_server.url).netloc
    requested, complaints = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(base_url=live_server.url)
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        page = context.new_page()
        page.on("request", lambda request: requested.append(request.url))
        page.on(
            "console",
            lambda message: complaints.append(message.text) if message.type == "error" else None,
        )
        page.goto("/api/docs/")
        page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
        title = page.locator(".swagger-ui .info .title").inner_text()
        operations = page.locator(".opblock").count()
        browser.close()
    assert "MVidarr API" in title
    assert operations > 10
    elsewhere = [url for url in requested if urlsplit(url).netloc not in ("", own_host)]
    assert elsewhere == []
    assert complaints == []

"""The Swagger UI at /api/docs/ works in a browser with no internet and under the CSP."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser import signed_in_page
from tests.support import make_user

pytestmark = pytest.mark.browser


def test_the_docs_render_from_this_site_alone_without_breaking_the_csp(live_server, db):
    user = make_user("alice")
    own_host = urlsplit(live_server.url).netloc
    requested, complaints = [], []
    with signed_in_page(live_server.url, user) as page:
        page.on("request", lambda request: requested.append(request.url))
        page.on(
            "console",
            lambda message: complaints.append(message.text) if message.type == "error" else None,
        )
        page.goto("/api/docs/")
        page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
        title = page.locator(".swagger-ui .info .title").inner_text()
        operations = page.locator(".opblock").count()
    assert "MVidarr API" in title
    assert operations > 10
    elsewhere = [url for url in requested if urlsplit(url).netloc not in ("", own_host)]
    assert elsewhere == []
    assert complaints == []

"""The Account page in headless Chromium against the real stack: a key is created, shown once
with a Copy button, works as ``Authorization: Token <key>`` on the API, and is revoked."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from playwright.sync_api import expect

from tests.e2e import test_browser
from tests.e2e.test_browser import (  # noqa: F401 - pytestmark: the browser marks
    log_in,
    pytestmark,
    visit,
)

page = test_browser.page  # the fixture: a Chromium page on the running stack


def api_status(url: str, key: str) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"Authorization": f"Token {key}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_a_key_created_on_the_account_page_works_until_it_is_revoked(running_stack, page, alice):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(page, "alice")
    page.get_by_role("link", name="alice").click()
    expect(page.get_by_role("heading", name="Account")).to_be_visible()

    page.get_by_label("Name").fill("backup script")
    page.get_by_role("button", name="Create key").click()
    shown = page.locator("#new-key")
    expect(shown).to_be_visible()
    key = shown.input_value()
    assert len(key) == 43
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("() => navigator.clipboard.readText()") == key

    status, body = api_status(running_stack.url("/api/jobs/"), key)
    assert status == 200, body
    visit(page, "/account/")
    row = page.locator("#api-keys tr", has_text="backup script")
    expect(row).to_contain_text(key[:8] + "…")
    expect(page.locator("#new-key")).to_have_count(0)  # shown once

    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Revoke backup script").click()
    expect(page.get_by_text("Revoked the API key “backup script”")).to_be_visible()
    status, body = api_status(running_stack.url("/api/jobs/"), key)
    assert status == 401
    assert "revoked" in body["detail"]

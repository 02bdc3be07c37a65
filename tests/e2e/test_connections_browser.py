"""The connections page follows a Test to its end without a reload, in headless Chromium
against the real stack (see tests/e2e/test_browser.py for the fixtures)."""

from __future__ import annotations

from playwright.sync_api import expect

from connections.models import Connection
from tests.connections import fakes
from tests.e2e import test_browser
from tests.e2e.test_browser import (  # noqa: F401 - pytestmark: the browser marks
    log_in,
    pytestmark,
    visit,
)

page = test_browser.page  # the fixture: a Chromium page on the running stack
fake_server = fakes.fake_server  # the fixture: a recording webhook receiver


def test_test_is_followed_live_to_the_connections_last_outcome(
    running_stack, page, fake_server, boss
):
    hook = Connection.objects.create(
        kind="webhook", name="Hook", settings={"url": f"{fake_server.url}/hook"}, events=[]
    )
    fake_server.go_on.clear()  # the receiver holds its answer until the page is shown
    log_in(page, "boss")
    visit(page, "/connections/")
    outcome = page.locator(f"#connection-{hook.pk}-outcome")
    expect(outcome).to_contain_text("Never sent")

    page.get_by_role("button", name="Test Hook").click()
    status = page.locator("[data-test-job] [data-job-field=status]")
    expect(status).to_be_visible()
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads
    fake_server.go_on.set()

    expect(status).to_have_text("Completed", timeout=60_000)
    expect(outcome).to_contain_text("Delivered", timeout=30_000)
    expect(outcome).to_contain_text("Delivered (200).")
    assert page.evaluate("window.__sameDocument") is True
    assert fake_server.received[0].json()["eventType"] == "Test"

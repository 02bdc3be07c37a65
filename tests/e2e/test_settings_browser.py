"""The settings page in the browser: staff reach it from the menu, see a setting the
environment sets greyed out with its variable, are told why a wrong value is refused, save a
limit, upload and remove a cookies file and follow a link to another settings page; in
headless Chromium against the real stack."""

from __future__ import annotations

from playwright.sync_api import expect

from preferences.selectors import setting_get
from tests.e2e import test_browser
from tests.e2e.test_browser import (  # noqa: F401 - pytestmark: the browser marks
    log_in,
    pytestmark,
    visit,
)

page = test_browser.page  # the fixture: a Chromium page on the running stack

COOKIES = "# Netscape HTTP Cookie File\n.example.com\tTRUE\t/\tTRUE\t0\tSID\tvery-secret\n"


def test_staff_walk_the_settings_page(running_stack, page, boss, tmp_path):
    log_in(page, "boss")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Settings", exact=True)).to_be_visible()

    # The stack's processes get MVIDARR_MIN_FREE_MB=0: shown, not editable, and why.
    expect(page.get_by_label("Minimum free space (MB)")).to_be_disabled()
    expect(page.locator('[data-setting="downloads.min_free_mb"]')).to_contain_text(
        "Set in the environment (MVIDARR_MIN_FREE_MB): change it there."
    )

    page.get_by_label("Downloads at once per site").fill("0")
    page.get_by_label("Proxy for downloads").fill("proxy.lan")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The settings were not saved")).to_be_visible()
    expect(page.locator('[data-setting="downloads.per_site"] .errors')).to_contain_text(
        "Write from 1 to 100000 downloads (this is 0)."
    )
    expect(page.locator('[data-setting="downloads.proxy"] .errors')).to_contain_text(
        "http://host:port"
    )

    page.get_by_label("Downloads at once per site").fill("2")
    page.get_by_label("Proxy for downloads").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved the settings")).to_be_visible()
    expect(page.get_by_label("Downloads at once per site")).to_have_value("2")
    assert setting_get("downloads.per_site") == 2

    cookies = tmp_path / "cookies.txt"
    cookies.write_text(COOKIES)
    page.get_by_label("Cookies file to upload").set_input_files(str(cookies))
    page.get_by_role("button", name="Upload the cookies file").click()
    expect(page.get_by_text("Saved the cookies file")).to_be_visible()
    expect(page.locator("[data-cookies-state]")).to_contain_text("Set")
    assert "very-secret" not in page.content()
    page.screenshot(path=test_browser.SCREENSHOTS / "settings.png", full_page=True)

    page.get_by_role("button", name="Remove the cookies file").click()
    expect(page.locator('[data-cookies-state="not set"]')).to_be_visible()

    page.locator("#settings-pages").get_by_role("link", name="Naming").click()
    expect(page).to_have_url(running_stack.url("/settings/naming/"))

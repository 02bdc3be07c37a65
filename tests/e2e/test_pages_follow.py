"""Parts of a page rendered from what a job leaves behind follow the job, without a reload.

The video page's file panel and Download button after a download, what a failed probe
says, and the library's videos after an import; in headless Chromium against the real stack
(see tests/e2e/test_browser.py for the fixtures).
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from jobs.services import probe_submit
from tests.e2e import test_browser
from tests.e2e.test_browser import (  # noqa: F401 - pytestmark: the browser marks
    log_in,
    off_the_browser_thread,
    pytestmark,
    visit,
)
from videos.models import Artist, Video

page = test_browser.page  # the fixture: a Chromium page on the running stack


def same_document(page: Page) -> None:
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads


def test_the_file_panel_and_the_button_follow_a_download_to_its_end(
    running_stack, page, media_server, media_root, alice
):
    artist = Artist.objects.create(name="Björk", sort_name="Björk", folder_name="Björk")
    size = (media_root / "clips" / "360p.mp4").stat().st_size
    video = Video.objects.create(
        title="Hunter", artist=artist, source_url=media_server.url(f"slow/{size}/clips/360p.mp4")
    )
    log_in(page, "alice")
    visit(page, f"/videos/{video.pk}/")
    file_panel = page.locator("#file-panel")
    expect(file_panel).to_contain_text("No file yet.")

    page.get_by_role("button", name="Download", exact=True).click()
    expect(page.get_by_text("Download started (the profile's quality).")).to_be_visible()
    same_document(page)

    expect(file_panel).to_contain_text("Björk/Hunter [", timeout=60_000)
    expect(file_panel).not_to_contain_text("No file yet.")
    expect(file_panel.get_by_role("link", name="Save the file")).to_be_visible()
    expect(page.get_by_role("button", name="Re-download")).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True


def test_a_failed_probe_says_why_and_an_import_fills_the_library_without_a_reload(
    running_stack, page, media_server, alice
):
    log_in(page, "alice")
    expect(page.get_by_text("No videos yet — add one by URL")).to_be_visible()
    same_document(page)
    off_the_browser_thread(probe_submit, user=alice, url=media_server.url("feed/3.xml"))
    expect(page.locator(".video-card")).to_have_count(3, timeout=60_000)
    expect(page.get_by_label("Choose “Entry 2” for download")).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True

    typo = Video.objects.create(source_url=media_server.url("404/typo.mp4"))
    visit(page, f"/videos/{typo.pk}/")
    same_document(page)
    off_the_browser_thread(probe_submit, user=alice, video=typo)
    expect(page.locator("[data-probe-error]")).to_contain_text("Looking up this video failed:")
    assert page.evaluate("window.__sameDocument") is True

    page.get_by_label("Video URL").fill(media_server.url("clips/720p.mp4"))
    page.get_by_role("button", name="Save and look it up again").click()
    expect(page.get_by_text("Link saved: looking the video up again.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("720p", timeout=60_000)

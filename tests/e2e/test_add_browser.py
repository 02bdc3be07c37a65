"""Adding in one step in the browser: several addresses pasted at once, each line told what
happened, the downloads followed live on the same page, and an address whose probe finds a
playlist offered "Import all" there; in headless Chromium against the real stack."""

from __future__ import annotations

from playwright.sync_api import expect

from jobs.models import Job
from tests.e2e import test_browser
from tests.e2e.test_browser import (  # noqa: F401 - pytestmark: the browser marks
    log_in,
    pytestmark,
    visit,
)
from tests.e2e.test_pages_follow import same_document
from tests.support import wait_until
from videos.models import Video

page = test_browser.page  # the fixture: a Chromium page on the running stack


def test_add_several_addresses_in_one_step_and_watch_them_download(
    running_stack, page, media_server, media_root, alice
):
    size = (media_root / "clips" / "360p.mp4").stat().st_size
    clips = [
        media_server.url(f"slow/{size // 2}/clips/360p.mp4?v=one-step-a"),
        media_server.url("clips/240p.mp4?v=one-step-b"),
    ]
    multi = media_server.url("feed/3.html")  # a page of three videos: its probe says so
    log_in(page, "alice")
    visit(page, "/videos/add/")
    page.get_by_label("Addresses, one a line").fill("\n".join([*clips, "not an address", multi]))
    page.get_by_label("Performer").fill("Björk")
    page.get_by_role("button", name="Add and download").click()

    results = page.locator("#add-results")
    expect(results).to_contain_text("3 videos added")
    test_browser.wait_for_the_feed(page)
    same_document(page)
    lines = results.locator("li")
    expect(lines).to_have_count(4)
    expect(lines.nth(2)).to_contain_text(
        "Enter a web address that starts with http:// or https://."
    )
    for number, url in enumerate(clips):
        video = Video.objects.get(source_url=url)
        assert video.artist.name == "Björk"
        expect(lines.nth(number)).to_contain_text("Added and queued for download.")
        badge = lines.nth(number).locator('[data-video-field="status"]')
        expect(badge).to_have_text("Downloaded", timeout=60_000)
    page.screenshot(path=test_browser.SCREENSHOTS / "add-in-one-step.png", full_page=True)

    # The page of three videos was added as one; its probe found the playlist, and the line
    # now offers to import it (once its download, refused as a playlist, has ended).
    line = lines.nth(3)
    expect(line.get_by_text("Its probe found a playlist of 3 videos")).to_be_visible(timeout=60_000)
    expect(line.locator('[data-video-field="status"]')).to_have_text("Failed", timeout=60_000)
    assert page.evaluate("window.__sameDocument") is True
    placeholder = Video.objects.get(source_url=multi)
    line.get_by_role("button", name="Import all").click()
    expect(page.get_by_text("Import started")).to_be_visible()
    assert not Video.objects.filter(pk=placeholder.pk).exists()
    imported = Job.objects.get(options__import=True, options__url=multi)
    wait_until(
        lambda: Job.objects.get(pk=imported.pk).status == "completed",
        timeout=60,
        message="the import never completed",
    )
    assert Video.objects.count() == 5  # the two clips and the three entries

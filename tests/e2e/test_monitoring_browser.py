"""Monitoring in the browser: staff monitor an artist, add a source, index it now, and watch
its new videos appear and download on the artist page without a reload; in headless Chromium
against the real stack (the web server and a worker as processes, the real Redis, the media
server's channel feed)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e import test_browser
from tests.e2e.test_browser import (  # noqa: F401 - pytestmark: the browser marks
    log_in,
    pytestmark,
    visit,
)
from tests.e2e.test_pages_follow import same_document
from videos.models import Artist

page = test_browser.page  # the fixture: a Chromium page on the running stack


def test_a_monitored_artists_new_videos_appear_and_download_live(
    running_stack, page, media_server, boss
):
    artist = Artist.objects.create(name="Björk", sort_name="Björk", folder_name="Björk")
    channel = media_server.channel("bjork-e2e")
    channel.add(title="Army of Me")
    channel.add(title="Hyperballad", src="/clips/720p.mp4")

    log_in(page, "boss")
    visit(page, f"/artists/{artist.pk}/")
    expect(page.locator("#artist-completeness")).to_have_text("0 of 0 downloaded")
    video_count = page.locator(".page-head .count-pill")
    expect(video_count).to_have_text("0 videos")

    page.get_by_label("Monitored: download the new videos its sources find").check()
    page.get_by_label("Newly found videos").select_option("all")
    page.get_by_role("button", name="Save monitoring").click()
    expect(page.get_by_text("Saved the monitoring of “Björk”.")).to_be_visible()

    page.get_by_text("Add a source").click()
    page.get_by_label("Channel, playlist or feed URL").fill(channel.url)
    page.get_by_role("button", name="Add source").click()
    expect(page.get_by_text("Added the source")).to_be_visible()
    expect(page.locator("#artist-sources")).to_contain_text(channel.url)

    page.get_by_role("button", name="Index now").click()
    expect(page.get_by_text("Indexing")).to_be_visible()
    test_browser.wait_for_the_feed(page)
    same_document(page)

    cards = page.locator("#artist-videos .video-card")
    expect(cards).to_have_count(2, timeout=60_000)
    expect(video_count).to_have_text("2 videos")  # the header follows the index too
    badges = page.locator('#artist-videos .badge[data-video-field="status"]')
    expect(badges.filter(has_text="Downloaded")).to_have_count(2, timeout=90_000)
    expect(page.locator("#artist-completeness")).to_have_text("2 of 2 downloaded", timeout=30_000)
    expect(page.locator("#artist-sources")).not_to_contain_text("Never")
    assert page.evaluate("window.__sameDocument") is True
    page.screenshot(path=test_browser.SCREENSHOTS / "artist.png", full_page=True)

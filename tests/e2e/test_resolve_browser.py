"""Adding a video by artist and title in the browser: its source is looked for, the
candidates appear on its page with their scores and reasons, a person picks one and watches
it download; in headless Chromium against the real stack (the web server and a worker as
processes, the real Redis, the media server's search service)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e import test_browser
from tests.e2e.test_browser import (  # noqa: F401 - pytestmark: the browser marks
    log_in,
    pytestmark,
    visit,
)
from tests.e2e.test_pages_follow import same_document
from videos.models import Video

page = test_browser.page  # the fixture: a Chromium page on the running stack


@pytest.fixture
def stack_env(media_server) -> dict[str, str]:
    """The stack's resolver asks the media server's search service."""
    return {"MVIDARR_SEARCH_URL": media_server.url("search")}


def test_add_a_video_by_artist_and_title_pick_a_candidate_and_watch_it_download(
    running_stack, page, media_server, media_root, alice
):
    size = (media_root / "clips" / "360p.mp4").stat().st_size
    live = f"slow/{size // 2}/clips/360p.mp4?v=e2e-live"
    media_server.set_search(
        "Björk Army of Me",
        [
            {"url": "clips/240p.mp4?v=e2e-lyrics", "title": "Björk - Army of Me (Lyrics)",
             "channel": "Lyric Vault"},
            {"url": live, "title": "Björk - Army of Me (Live at Glastonbury)",
             "channel": "björk"},
        ],
    )  # fmt: skip

    log_in(page, "alice")
    visit(page, "/videos/add/")
    page.get_by_label("Artist").fill("Björk")
    page.get_by_label("Title").fill("Army of Me")
    page.get_by_role("button", name="Add video").click()
    expect(page.get_by_text("Video added: its source is being looked for.")).to_be_visible()
    test_browser.wait_for_the_feed(page)
    video = Video.objects.get(title="Army of Me")
    assert page.url.endswith(f"/videos/{video.pk}/")

    panel = page.locator("#source-panel")
    rows = panel.locator("[data-candidate]")
    expect(rows).to_have_count(2, timeout=60_000)
    expect(panel).to_contain_text("No candidate scored 0.70 or more")
    expect(rows.first).to_contain_text("Björk - Army of Me (Live at Glastonbury)")
    expect(rows.first).to_contain_text("It looks like a live version")
    badge = page.locator('.badge[data-video-field="status"]')
    expect(badge).to_have_text("Needs a source")
    page.screenshot(path=test_browser.SCREENSHOTS / "needs-source.png", full_page=True)

    rows.first.get_by_role("button", name="Use this").click()
    expect(page.get_by_text("Source chosen: downloading it.")).to_be_visible()
    test_browser.wait_for_the_feed(page)
    same_document(page)
    expect(badge).to_have_text("Downloaded", timeout=60_000)
    expect(page.locator("#player")).to_be_visible()
    expect(panel).to_be_hidden()
    assert page.evaluate("window.__sameDocument") is True
    video.refresh_from_db()
    assert video.source_url == media_server.url(live)
    assert video.status == "downloaded"

"""Adding an artist from IMVDb in the browser: staff search the fake IMVDb, add an artist,
watch the import to its end without a reload, and open the artist to find its whole
videography; in headless Chromium against the real stack (its worker runs the import)."""

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
from tests.providers.fakes import IMVDB_KEY, VIDEOGRAPHY, FakeImvdb, FakeMusicBrainz

page = test_browser.page  # the fixture: a Chromium page on the running stack


@pytest.fixture
def fake_providers():
    imvdb, musicbrainz = FakeImvdb().start(), FakeMusicBrainz().start()
    yield imvdb, musicbrainz
    imvdb.stop()
    musicbrainz.stop()


@pytest.fixture
def stack_env(fake_providers) -> dict[str, str]:
    """The stack's processes ask the fake providers (never the real ones)."""
    imvdb, musicbrainz = fake_providers
    return {
        "IMVDB_API_URL": imvdb.url,
        "IMVDB_API_KEY": IMVDB_KEY,
        "MVIDARR_IMVDB_RATE": "100",
        "MUSICBRAINZ_API_URL": musicbrainz.url,
        "MVIDARR_MUSICBRAINZ_RATE": "100",
    }


def test_an_artist_found_on_imvdb_is_added_live_with_its_videos(running_stack, page, boss):
    log_in(page, "boss")
    visit(page, "/artists/")
    page.get_by_role("link", name="Add from IMVDb").click()
    page.get_by_label("Search IMVDb").fill("nightfall")
    page.get_by_role("button", name="Search", exact=True).click()
    results = page.locator("#imvdb-results")
    expect(results).to_contain_text("Nightfall Choir")
    expect(results).to_contain_text("7 videos")

    page.get_by_role("button", name="Add artist Nightfall Choir").click()
    test_browser.wait_for_the_feed(page)
    same_document(page)
    status = page.locator('#imvdb-job [data-job-field="status"]')
    expect(status).to_have_text("Completed", timeout=60_000)
    opening = page.get_by_role("link", name="Open Nightfall Choir (7 videos)")
    expect(opening).to_be_visible(timeout=30_000)
    found = page.locator("#imvdb-results [data-imvdb-id='100']")
    expect(found.get_by_role("link", name="In the library")).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True

    opening.click()
    cards = page.locator("#artist-videos .video-card")
    expect(cards).to_have_count(len(VIDEOGRAPHY))
    for video in VIDEOGRAPHY:
        expect(page.locator("#artist-videos")).to_contain_text(video["song_title"])

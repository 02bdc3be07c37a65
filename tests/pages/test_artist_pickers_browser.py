"""In a browser: the history's Artist field suggests names as one types (from the API), and
the name chosen filters the page; in headless Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jobs.models import HistoryEvent
from tests.browser import signed_in_page
from tests.support import make_user

pytestmark = pytest.mark.browser


def test_the_history_suggests_an_artist_as_one_types_and_filters_by_it(
    live_server, transactional_db, make_artist
):
    bjork, blur = make_artist("Björk"), make_artist("Blur")
    mine = HistoryEvent.objects.create(event="added", title="Army of Me", artist=bjork)
    other = HistoryEvent.objects.create(event="added", title="Song 2", artist=blur)
    with signed_in_page(live_server.url, make_user("reader")) as page:
        page.goto("/history/")
        artist = page.get_by_label("Artist")
        artist.press_sequentially("bjö")
        options = page.locator(f"datalist#{artist.get_attribute('list')} option")
        expect(options).to_have_count(1)
        assert options.first.get_attribute("value") == "Björk"
        artist.fill("Björk")
        page.get_by_role("button", name="Filter").click()
        page.wait_for_url("**/history/?*artist_name=*")
        expect(page.locator(f'[data-history="{mine.pk}"]')).to_be_visible()
        expect(page.locator(f'[data-history="{other.pk}"]')).to_have_count(0)

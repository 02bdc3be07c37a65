"""In a browser: the history's Source field suggests sources' addresses (with their titles)
as one types, from the API, and the one chosen filters the page; in headless Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jobs.models import HistoryEvent
from tests.browser import signed_in_page
from tests.support import make_user
from videos.models import Source

pytestmark = pytest.mark.browser


def test_the_history_suggests_a_source_as_one_types_and_filters_by_it(
    live_server, transactional_db
):
    vevo = Source.objects.create(url="https://example.com/bjork", title="Björk VEVO")
    blur = Source.objects.create(url="https://example.com/blur", title="Blur")
    mine = HistoryEvent.objects.create(event="indexed", title="Army of Me", source=vevo)
    other = HistoryEvent.objects.create(event="indexed", title="Song 2", source=blur)
    with signed_in_page(live_server.url, make_user("reader")) as page:
        page.goto("/history/")
        source = page.get_by_label("Source")
        source.press_sequentially("vevo")
        options = page.locator(f"datalist#{source.get_attribute('list')} option")
        expect(options).to_have_count(1)
        assert options.first.get_attribute("value") == vevo.url
        assert options.first.get_attribute("label") == "Björk VEVO"
        source.fill(vevo.url)
        page.get_by_role("button", name="Filter").click()
        page.wait_for_url("**/history/?*source_name=*")
        expect(page.locator(f'[data-history="{mine.pk}"]')).to_be_visible()
        expect(page.locator(f'[data-history="{other.pk}"]')).to_have_count(0)

"""The library page in Chromium: sort it, switch to the list, and the list is still there
after a reload; at 375 px the filters, sort, view and bulk controls fold behind "Filters" and
nothing scrolls sideways, in either view."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import signed_in_page
from tests.support import make_user
from videos.models import Artist, Video, VideoFile

pytestmark = pytest.mark.browser

LONG_TITLE = "Army of Me (Official Music Video, Remastered in 4K from the Original 35 mm Film)"


def test_sort_switch_to_the_list_and_find_it_again_after_a_reload(live_server, transactional_db):
    bjork = Artist.objects.create(name="Björk Guðmundsdóttir", sort_name="Björk Guðmundsdóttir")
    for title, size, height in (("Jóga", 10, 2160), (LONG_TITLE, 90, 480), ("Hunter", 50, 1080)):
        video = Video.objects.create(
            title=title, artist=bjork, source_url=f"https://videos.example/{size}", duration=245
        )
        VideoFile.objects.create(
            video=video, path=f"{title}.mp4", size=size * 1_000_000, height=height
        )
    titles = '[data-video-field="title"]'
    with signed_in_page(live_server.url, make_user("alice")) as page:
        page.goto("/")
        page.get_by_label("Sort by").select_option(label="Largest file first")
        page.get_by_role("button", name="Apply").click()
        page.wait_for_url(re.compile(r"sort=-size"))
        expect(page.locator(titles)).to_have_text([LONG_TITLE, "Hunter", "Jóga"])
        card = page.locator(".video-card").first
        expect(card.locator("[data-resolution]")).to_have_text("480p")
        expect(card.locator("[data-duration]")).to_have_text("4:05")
        clamped = card.locator(titles)
        assert clamped.get_attribute("title") == LONG_TITLE
        assert clamped.evaluate("el => el.scrollHeight > el.clientHeight")  # two lines, cut

        page.get_by_role("button", name="List").click()
        page.wait_for_url(re.compile(r"sort=-size"))
        expect(page.locator("table.video-rows")).to_be_visible()
        expect(page.locator(titles)).to_have_text([LONG_TITLE, "Hunter", "Jóga"])
        expect(page.get_by_role("button", name="List")).to_have_attribute("aria-pressed", "true")
        page.reload()
        expect(page.locator("table.video-rows")).to_be_visible()
        page.goto("/")
        expect(page.locator("table.video-rows")).to_be_visible()

        page.set_viewport_size({"width": 375, "height": 812})
        for view in ("List", "Grid"):
            page.goto("/")
            toggle = page.get_by_role("button", name="Filters")
            expect(toggle).to_be_visible()
            expect(page.get_by_label("Sort by")).to_be_hidden()
            expect(page.locator(".bulk-bar")).to_be_hidden()
            assert page.evaluate("document.documentElement.scrollWidth") <= 375, view
            toggle.click()
            expect(page.get_by_label("Sort by")).to_be_visible()
            expect(page.locator(".bulk-bar")).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= 375, view
            page.get_by_role("button", name=view).click()  # the other view
        expect(page.locator(".grid .video-card")).to_have_count(3)

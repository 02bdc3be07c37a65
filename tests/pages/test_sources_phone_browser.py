"""The sources tables fit the page: at phone width (390 px) nothing scrolls sideways and a
source's Status and its Index now button are on screen; on a laptop (1280 px) a row's
actions are not cut off by the table's edge; in headless Chromium."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.browser import signed_in_page
from tests.support import make_user
from videos.models import Artist, Source

pytestmark = pytest.mark.browser

LONG_URL = "https://www.youtube.com/playlist?list=PLx0sYbCqOb8TBPRdmBHs5Iftvv9TPboYG-long-list"


def test_the_sources_fit_a_phone_without_scrolling_sideways(live_server, transactional_db):
    artist = Artist.objects.create(name="Björk", sort_name="Björk", folder_name="Björk")
    source = Source.objects.create(
        url=LONG_URL,
        title="Björk: every official music video, in the order they came out",
        artist=artist,
        last_error="The site answered 404: the playlist is gone; check the link.",
        failures=2,
        next_index_at=timezone.now() + datetime.timedelta(hours=12),
    )
    boss = make_user("boss", is_staff=True)
    with signed_in_page(live_server.url, boss) as page:
        page.set_viewport_size({"width": 390, "height": 844})
        for path in (f"/artists/{artist.pk}/", "/sources/"):
            page.goto(path)
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], f"{path} scrolls sideways: {widths}"
            row = page.locator(f'tr[data-source="{source.pk}"]')
            for part in (row.get_by_role("button", name="Index now"), row.locator(".error-text")):
                box = part.bounding_box()
                assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
            url = row.locator(".source-url")
            assert url.get_attribute("title") == LONG_URL
            assert url.evaluate("el => el.scrollWidth > el.clientWidth")  # cut, not wrapped


def test_a_sources_actions_fit_a_laptops_width(live_server, transactional_db):
    artist = Artist.objects.create(name="Björk", sort_name="Björk", folder_name="Björk")
    source = Source.objects.create(url=LONG_URL, title="Björk's channel", artist=artist)
    boss = make_user("boss", is_staff=True)
    with signed_in_page(live_server.url, boss) as page:
        page.set_viewport_size({"width": 1280, "height": 900})
        for path in (f"/artists/{artist.pk}/", "/sources/"):
            page.goto(path)
            table = page.locator(".table-wrap").first.bounding_box()
            delete = page.locator(f'tr[data-source="{source.pk}"]').get_by_role(
                "button", name="Delete"
            )
            box = delete.bounding_box()
            assert box["x"] + box["width"] <= table["x"] + table["width"], path

"""The candidates of a video that needs a source fit a phone: at 390 px each candidate is a
card (title, score, why, "Use this"), nothing scrolls sideways; in headless Chromium."""

from __future__ import annotations

import pytest

from tests.browser import signed_in_page
from tests.support import make_user
from videos.models import Artist, Video

pytestmark = pytest.mark.browser

REASONS = [
    "The title matches “Army of Me” closely (0.92).",
    "The artist, Björk, is named in the title.",
    "It is a lyric video, which the wanted title is not: a penalty of 0.30.",
    "Its length, 3:54, is within 2 seconds of the known length.",
]
CANDIDATES = [
    {
        "url": f"https://www.youtube.com/watch?v=candidate{n}AbCdEfGhIjKlMnOpQrStUvWxYz",
        "title": f"Björk - Army of Me (Official Lyric Video, Remastered Edition {n})",
        "channel": "BjörkVEVO - Official Artist Channel With A Long Name",
        "duration": 234.0,
        "score": 0.61 - n / 10,
        "reasons": REASONS,
    }
    for n in range(3)
]


def test_the_candidates_fit_a_phone_without_scrolling_sideways(live_server, transactional_db):
    artist = Artist.objects.create(name="Björk", sort_name="Björk", folder_name="Björk")
    video = Video.objects.create(
        artist=artist,
        title="Army of Me",
        added_without_url=True,
        status=Video.Status.NEEDS_SOURCE,
        source_candidates=CANDIDATES,
        source_note="No candidate scored 0.70 or more.",
    )
    boss = make_user("boss", is_staff=True)
    with signed_in_page(live_server.url, boss) as page:
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"/videos/{video.pk}/")
        assert page.locator("tr[data-candidate]").count() == 3
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways: {width} px"
        first = page.locator('tr[data-candidate="1"]')
        for part in (
            first.get_by_text(REASONS[2]),
            first.get_by_role("button", name="Use this"),
            first.get_by_text("0.61"),
        ):
            box = part.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390

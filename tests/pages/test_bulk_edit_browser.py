"""The grid's "Edit the chosen videos" in Chromium: its fields and buttons belong to the
grid's selection form (``form=``, ``formaction``), the artist's names are suggested, and
"Delete chosen" asks first."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import signed_in_page
from tests.support import make_user
from videos.models import Artist, Video

pytestmark = pytest.mark.browser


def test_set_the_artist_of_the_chosen_videos_then_delete_one(live_server, transactional_db):
    bjork = Artist.objects.create(name="Björk", sort_name="Björk", folder_name="Björk")
    videos = [
        Video.objects.create(source_url=f"https://videos.example/{title}", title=title)
        for title in ("Jóga", "Hunter", "Bachelorette")
    ]
    user = make_user("boss", is_staff=True)
    questions = []
    with signed_in_page(live_server.url, user) as page:

        def answer_yes(dialog) -> None:
            questions.append(dialog.message)
            dialog.accept()

        page.on("dialog", answer_yes)
        page.goto("/")
        page.get_by_label("Choose “Jóga” for download").check()
        page.get_by_label("Choose “Hunter” for download").check()
        page.get_by_text("Edit the chosen videos").click()
        artist = page.get_by_label("New artist")
        artist.press_sequentially("bj")
        options = page.locator(f"datalist#{artist.get_attribute('list')} option")
        expect(options).to_have_count(1)
        artist.fill("Björk")
        page.get_by_role("button", name="Set the artist").click()
        expect(page.get_by_text("Set the artist of 2 videos.")).to_be_visible()

        page.get_by_label("Choose “Bachelorette” for download").check()
        page.get_by_text("Edit the chosen videos").click()
        page.get_by_role("button", name="Delete chosen").click()
        expect(page.get_by_text("Deleted 1 video.")).to_be_visible()
    assert questions == ["Delete the chosen videos from the library?"]
    assert [video.artist for video in Video.objects.order_by("pk")] == [bjork, bjork]
    assert not Video.objects.filter(pk=videos[2].pk).exists()

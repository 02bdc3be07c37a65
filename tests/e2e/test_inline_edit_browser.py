"""Editing a video's title and artist inline on its page, with the keyboard and the artist's
names suggested as one types; saved without a reload; in headless Chromium against the real
stack."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e import test_browser
from tests.e2e.test_browser import (  # noqa: F401 - pytestmark: the browser marks
    log_in,
    pytestmark,
    visit,
)
from tests.e2e.test_pages_follow import same_document
from videos.models import Artist, Video

page = test_browser.page  # the fixture: a Chromium page on the running stack


def test_edit_the_title_and_the_artist_inline(running_stack, page, alice):
    Artist.objects.create(name="Björk", sort_name="Björk", folder_name="Björk")
    video = Video.objects.create(
        title="Army of me", source_url="https://videos.example/watch/army", field_sources={}
    )
    log_in(page, "alice")
    visit(page, f"/videos/{video.pk}/")
    same_document(page)
    about = page.locator("#about-panel")

    # The title: Edit, type, Enter.
    about.get_by_role("button", name="Edit the title").click()
    title = about.get_by_label("New title")
    expect(title).to_be_focused()
    title.fill("Army of Me")
    title.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Army of Me")
    expect(about.locator('dd[data-field="title"]')).to_have_text("Army of Me (set by hand)")
    expect(about.get_by_role("button", name="Edit the title")).to_be_focused()

    # Escape leaves the artist as it was.
    about.get_by_role("button", name="Edit the artist").click()
    artist = about.get_by_label("New artist")
    artist.fill("Someone else")
    artist.press("Escape")
    expect(artist).to_be_hidden()
    expect(about.locator('dd[data-field="artist"]')).to_have_text("Unknown")

    # The artist: names are suggested from the library as one types.
    about.get_by_role("button", name="Edit the artist").click()
    artist.press_sequentially("bj")
    suggestions = page.locator(f"datalist#{artist.get_attribute('list')} option")
    expect(suggestions).to_have_count(1)
    assert suggestions.first.get_attribute("value") == "Björk"
    about.screenshot(path=test_browser.SCREENSHOTS / "inline-edit.png")
    artist.fill("Björk")
    artist.press("Enter")
    shown = about.locator('dd[data-field="artist"]')
    expect(shown).to_have_text("Björk (set by hand)")
    expect(shown.get_by_role("link", name="Björk")).to_have_attribute(
        "href", f"/artists/{Artist.objects.get(name='Björk').pk}/"
    )

    # A refusal is said next to the field, and nothing changes.
    about.get_by_role("button", name="Edit the title").click()
    title.fill("x" * 501)
    title.press("Enter")
    expect(about.locator('[data-inline-form="title"] [data-inline-error]')).not_to_be_empty()
    assert page.evaluate("window.__sameDocument") is True
    video.refresh_from_db()
    assert (video.title, video.artist.name) == ("Army of Me", "Björk")
    assert video.field_sources["title"] == video.field_sources["artist"] == "user"

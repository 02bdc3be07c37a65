"""Naming in the browser: staff pick a preset and type templates while the preview follows
(with Jellyfin's warning), save them, then apply the rename and watch the job end and the
list empty without a reload; in headless Chromium against the real stack."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e import test_browser
from tests.e2e.test_browser import (  # noqa: F401 - pytestmark: the browser marks
    log_in,
    pytestmark,
    visit,
)
from tests.e2e.test_pages_follow import same_document
from videos.models import Artist, Video, VideoFile

page = test_browser.page  # the fixture: a Chromium page on the running stack


def test_the_preview_follows_the_templates_and_the_rename_is_followed_live(
    running_stack, page, boss
):
    root = running_stack.library_root
    artist = Artist.objects.create(name="Björk", sort_name="Björk", folder_name="Björk")
    for number, title in enumerate(["Army of Me", "Hunter"]):
        video = Video.objects.create(
            source_url=f"https://videos.example/{number}", title=title, source_id=f"x{number}"
        )
        Video.objects.filter(pk=video.pk).update(artist=artist)
        path = f"Björk/{title} [x{number}].mp4"
        (root / "Björk").mkdir(exist_ok=True)
        (root / path).write_bytes(b"media")
        VideoFile.objects.create(video=video, path=path, container="mp4", sidecars=[])

    log_in(page, "boss")
    visit(page, "/settings/naming/")
    preview = page.locator("[data-preview-path]")
    expect(preview).to_have_text("Björk/Hunter [x1].mp4")

    page.get_by_role("button", name="Plex").click()
    expect(preview).to_have_text("Björk/Hunter-video.mp4")
    expect(page.get_by_label("File name")).to_have_value("{title}-{plex_suffix}")

    page.get_by_label("File name").fill("{artist} - {title")
    expect(page.locator("[data-preview-error]")).to_contain_text("does not enclose a token")
    page.get_by_label("File name").fill("{artist} - {title}")
    expect(preview).to_have_text("Björk/Björk - Hunter.mp4")
    expect(page.locator("[data-preview-warning]")).to_contain_text("versions")
    page.screenshot(path=test_browser.SCREENSHOTS / "naming.png", full_page=True)

    page.get_by_label("File name").fill("{title}")
    expect(page.locator("[data-preview-warning]")).to_be_hidden()
    page.get_by_role("button", name="Save templates").click()
    expect(page.get_by_text("Saved the naming templates")).to_be_visible()

    visit(page, "/library/rename/")
    expect(page.locator("#rename-items tbody tr")).to_have_count(2)
    same_document(page)
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Apply: rename 2 files").click()
    expect(page.get_by_text("Renaming the library's files")).to_be_visible()
    test_browser.wait_for_the_feed(page)
    same_document(page)

    expect(page.locator("#rename-nothing")).to_be_visible(timeout=60_000)
    expect(page.locator('#rename-job [data-job-field="status"]')).to_have_text("Completed")
    assert page.evaluate("window.__sameDocument") is True
    media = sorted(p.name for p in (root / "Björk").iterdir() if p.suffix == ".mp4")
    assert media == ["Army of Me.mp4", "Hunter.mp4"]  # sidecars moved with them

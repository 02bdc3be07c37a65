"""Importing in the browser: staff scan a folder of loose files in the library, watch the
rows arrive, tick the good one and apply it, followed live without a reload; in headless
Chromium against the real stack (its worker runs both jobs)."""

from __future__ import annotations

import shutil

from playwright.sync_api import expect

from tests.e2e import test_browser
from tests.e2e.test_browser import (  # noqa: F401 - pytestmark: the browser marks
    log_in,
    pytestmark,
    visit,
)
from tests.e2e.test_pages_follow import same_document
from videos.models import VideoFile

page = test_browser.page  # the fixture: a Chromium page on the running stack


def test_a_folder_is_scanned_ticked_and_imported_live(
    running_stack, page, boss, media_root, media_clips
):
    loose = running_stack.library_root / "unsorted"
    loose.mkdir()
    shutil.copyfile(media_root / media_clips["240p"], loose / "Portishead - Roads.mp4")
    (loose / "notes.txt").write_text("not a video")

    log_in(page, "boss")
    visit(page, "/library/import/")
    expect(page.locator("#import-roots")).to_contain_text(str(running_stack.library_root))
    page.get_by_label("Folder").fill(str(loose))
    page.get_by_label("Mode").select_option("in_place")
    page.get_by_role("button", name="Scan").click()
    expect(page.get_by_text("Scanning the folder")).to_be_visible()
    test_browser.wait_for_the_feed(page)
    same_document(page)

    rows = page.locator("#import-rows tbody tr")
    expect(rows).to_have_count(2, timeout=60_000)
    expect(page.locator("#import-rows")).to_contain_text("not a video")
    expect(page.get_by_label(f"Import {loose / 'notes.txt'}")).to_be_disabled()
    page.get_by_label(f"Import {loose / 'Portishead - Roads.mp4'}").check()
    page.get_by_role("button", name="Apply selected").click()
    expect(page.get_by_text("Importing the rows ticked")).to_be_visible()
    test_browser.wait_for_the_feed(page)
    same_document(page)

    expect(page.locator("#import-rows")).to_contain_text("Imported as #", timeout=60_000)
    expect(page.locator('#import-apply-job [data-job-field="status"]')).to_have_text("Completed")
    assert page.evaluate("window.__sameDocument") is True
    video_file = VideoFile.objects.get(video__title="Roads")
    assert video_file.path == f"Portishead/Roads [{video_file.video_id}].mp4"
    assert not (loose / "Portishead - Roads.mp4").exists()

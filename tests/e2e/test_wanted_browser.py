"""The wanted pages in the browser: staff download every wanted video shown and watch them
download, then check a file below its cutoff now and watch it leave the list once its upgrade
is stored; in headless Chromium against the real stack (the web server and a worker as
processes, the real Redis, the media server's upgradable source); a video's "Find a source"
leaves its row once a source is chosen and downloaded."""

from __future__ import annotations

from playwright.sync_api import expect

from jobs.services import download_submit, source_choose
from tests.e2e import test_browser
from tests.e2e.test_browser import (  # noqa: F401 - pytestmark: the browser marks
    log_in,
    off_the_browser_thread,
    pytestmark,
    visit,
)
from tests.e2e.test_pages_follow import same_document
from tests.jobs.conftest import wait_for_job
from videos.models import Artist, Video, VideoFile
from videos.profiles import profile_create

page = test_browser.page  # the fixture: a Chromium page on the running stack


def test_staff_download_the_wanted_videos_and_upgrade_a_file_without_a_reload(
    running_stack, page, media_server, boss
):
    hd = profile_create(
        data={
            "name": "HD",
            "qualities": ["720p", "360p"],
            "cutoff": "720p",
            "upgrade_allowed": True,
        }
    )
    artist = Artist.objects.create(
        name="Björk", sort_name="Björk", folder_name="Björk", quality_profile=hd
    )
    plain = Artist.objects.create(name="Portishead", sort_name="Portishead", folder_name="P")
    for title in ("Roads", "Glory Box"):  # the default profile: no cutoff, never upgraded
        Video.objects.create(
            title=title, artist=plain, source_url=media_server.url("clips/360p.mp4")
        )

    log_in(page, "boss")
    visit(page, "/wanted/")
    expect(page.locator("#wanted tbody tr")).to_have_count(2)
    same_document(page)
    page.get_by_role("button", name="Download all shown").click()
    expect(page.get_by_text("Bulk download started: 2 videos to download.")).to_be_visible()
    badges = page.locator('#wanted .badge[data-video-field="status"]')
    expect(badges.filter(has_text="Downloaded")).to_have_count(2, timeout=60_000)

    source = media_server.upgradable("e2e-upgrade").offer(360)
    low = Video.objects.create(title="Joga", artist=artist, source_url=source.url)
    job, _ = off_the_browser_thread(download_submit, video=low, user=boss)
    assert wait_for_job(job).status == "completed", job.error
    source.offer(360, 720)

    visit(page, "/wanted/cutoff/")
    row = page.locator(f'#cutoff tr[data-cutoff="{low.pk}"]')
    expect(row).to_contain_text("360p")
    page.get_by_role("button", name="Check now “Joga”").click()
    expect(page.get_by_text("Checking “Joga” for an upgrade.")).to_be_visible()
    same_document(page)

    expect(page.get_by_text("Every file meets its cutoff.")).to_be_visible(timeout=60_000)
    assert page.evaluate("window.__sameDocument") is True
    assert VideoFile.objects.get(video=low).height == 720


def test_find_a_source_leaves_a_wanted_row_once_the_video_has_a_source(
    running_stack, page, media_server, boss
):
    artist = Artist.objects.create(name="Björk", sort_name="Björk", folder_name="Björk")
    video = Video.objects.create(
        title="Pagan Poetry",
        artist=artist,
        source_url="",
        added_without_url=True,
        status=Video.Status.NEEDS_SOURCE,
    )

    log_in(page, "boss")
    visit(page, "/wanted/")
    row = page.locator(f'#wanted tr[data-wanted="{video.pk}"]')
    link = row.get_by_role("link", name="Find a source")
    expect(link).to_be_visible()
    same_document(page)
    off_the_browser_thread(
        source_choose, video=video, url=media_server.url("clips/360p.mp4"), user=boss
    )
    expect(row.locator(".badge")).to_have_text("Downloaded", timeout=60_000)
    expect(link).to_be_hidden()
    assert page.evaluate("window.__sameDocument") is True

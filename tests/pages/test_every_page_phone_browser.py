"""Every page a signed-in staff user reaches fits a phone 375 px wide: nothing scrolls
sideways (``document.documentElement.scrollWidth`` ≤ 375), with some of everything in the
library (a video with its file, an artist, jobs among them a bulk job, a source, a profile,
a connection, history, an ignored video, another user); in headless Chromium. Wide tables
scroll inside their own box, long addresses wrap, forms stack their fields."""

from __future__ import annotations

import pytest

from connections.models import Connection
from jobs.models import HistoryEvent, ImportRow, Job
from tests.browser import signed_in_page
from tests.support import make_user
from videos.models import IgnoredEntry, QualityProfile, Source, Video

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
LONG_URL = (
    "https://www.youtube.com/playlist?list=PLx0sYbCqOb8TBPRdmBHs5Iftvv9TPboYG"
    "-a-very-long-list-of-every-official-music-video"
)
LONG_TITLE = "Björk - Army of Me (Official Music Video, Remastered in 4K from the Original Film)"


@pytest.fixture
def library(transactional_db, make_artist, make_video, make_job):
    boss = make_user("boss", is_staff=True)
    other = make_user("someone.with.a.rather.long.username")
    profile = QualityProfile.objects.create(
        name="HD", qualities=["1080p", "720p", "360p"], cutoff="720p", upgrade_allowed=True
    )
    artist = make_artist("Björk Guðmundsdóttir & the Sugarcubes", quality_profile=profile)
    video = make_video(
        LONG_TITLE,
        artist=artist,
        status=Video.Status.DOWNLOADED,
        file_path="Björk Guðmundsdóttir & the Sugarcubes/Army of Me (Official Music Video).mp4",
        file_size=123_456_789,
        height=360,
        source_url=LONG_URL.replace("playlist?list", "watch?v"),
    )
    wanted = make_video("Hyperballad", artist=artist)
    source = Source.objects.create(
        url=LONG_URL,
        title="Björk: every official music video, in the order they came out",
        artist=artist,
        last_error="The site answered 404: the playlist is gone; check the link.",
    )
    bulk = make_job(boss, "processing", kind="bulk_video_download", options={"requested": 2})
    make_job(boss, "completed", parent=bulk, video=video)
    make_job(boss, "queued", parent=bulk, video=wanted)
    make_job(boss, "failed", error=f"The site answered 404 for {LONG_URL}: the video is gone.")
    make_job(boss, "processing", progress=42, message="42 % of 123.5 MB")
    HistoryEvent.objects.create(
        event="failed", title=LONG_TITLE, artist=artist, video=video, data={"reason": LONG_URL}
    )
    scan = make_job(
        boss,
        "completed",
        kind="import_scan",
        options={"path": "/media/music videos", "mode": "copy"},
    )
    ImportRow.objects.create(
        job=scan,
        index=0,
        path=f"/media/music videos/{'Björk/' * 8}Army of Me (Official Music Video).mkv",
        artist=artist.name,
        title=LONG_TITLE,
        source="nfo",
        confidence=0.9,
        problems=[f"Another file has the same source id as {LONG_URL}."],
    )
    IgnoredEntry.objects.create(url=LONG_URL, title=LONG_TITLE, artist=artist, reason="A live cut")
    connection = Connection.objects.create(
        kind="webhook",
        name="Hook",
        settings={"url": f"http://127.0.0.1:9/hook/{'x' * 80}", "secret": "hush-hush"},
        events=["Download"],
        last_outcome="failed",
        last_event="Download",
        last_message=f"http://127.0.0.1:9/hook/{'x' * 80} answered 410 Gone.",
    )
    return {
        "boss": boss,
        # What some pages must show, so that their width is measured with it.
        "shown": {
            "/jobs/": f'[data-job-row="{bulk.pk}"]',
            f"/library/import/?scan={scan.pk}": '#import-rows [data-row="0"]',
            "/sources/": f'tr[data-source="{source.pk}"]',
            "/history/": "#history [data-history]",
            "/ignored/": "#ignored tbody tr",
        },
        "pages": [
            "/",
            f"/videos/{video.pk}/",
            f"/videos/{wanted.pk}/",
            "/videos/add/",
            "/artists/",
            f"/artists/{artist.pk}/",
            "/jobs/",
            f"/jobs/{bulk.pk}/items/",
            "/history/",
            "/wanted/",
            "/wanted/cutoff/",
            "/ignored/",
            "/sources/",
            f"/sources/{source.pk}/edit/",
            "/profiles/",
            "/profiles/add/",
            f"/profiles/{profile.pk}/",
            "/settings/naming/",
            "/library/rename/",
            "/library/stats/",
            "/library/import/",
            f"/library/import/?scan={scan.pk}",
            "/settings/providers/",
            "/imvdb/",
            "/connections/",
            "/connections/add/",
            f"/connections/{connection.pk}/",
            "/settings/",
            "/users/",
            f"/users/{other.pk}/",
            "/account/",
            "/account/password/",
            "/ops/",
        ],
    }


def test_every_page_fits_a_phone_without_scrolling_sideways(live_server, library):
    wide = {}
    with signed_in_page(live_server.url, library["boss"]) as page:
        page.set_viewport_size(PHONE)
        for path in library["pages"]:
            response = page.goto(path)
            assert response is not None and response.ok, f"{path} answered {response.status}"
            if path in library["shown"]:
                assert page.locator(library["shown"][path]).count() >= 1, path
            # What a tap opens counts too (a bulk job's videos, the filters behind a button).
            page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                wide[path] = width
    assert not wide, f"these pages scroll sideways at 375 px (their width): {wide}"
    assert Job.objects.filter(kind="bulk_video_download").exists()

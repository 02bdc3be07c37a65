"""The pages that move live, in real headless Chromium against the real stack.

The web server (HTTP + WebSocket) and a Dramatiq worker run as processes (``running_stack``); the
browser logs in, adds and downloads videos from the local media server, and watches the
pages follow the jobs over /ws/jobs/ without reloading.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connections
from django.utils import timezone
from playwright.sync_api import Page, expect, sync_playwright

from jobs.models import Job
from jobs.progress import DirectPublisher, publish_job
from jobs.services import download_submit
from mvidarr.children import ROOT
from tests.media.clips import ffmpeg_exe
from tests.support import password_of, wait_until
from videos.models import Artist, Video, VideoFile

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "docs" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed at /usr/bin/chromium "
        "(apt-get install chromium; bin/run-tests does it when it may)",
    ),
]

# Every page records what the live feed delivers, from before live.js runs.
RECORD_EVENTS = """
window.__jobEvents = [];
window.__snapshots = 0;
document.addEventListener("mvidarr:job", (e) => window.__jobEvents.push(
  {job: e.detail.job, receivedAt: e.detail.receivedAt}));
document.addEventListener("mvidarr:snapshot", () => { window.__snapshots += 1; });
"""


@pytest.fixture
def page(running_stack, monkeypatch) -> Page:
    """A Chromium page on the running stack, recording the live feed's events."""
    # Playwright's sync API keeps an event loop in this thread, so Django would refuse the
    # test's own ORM calls; they are safe (nothing else runs here). Set only after the stack
    # started, so that its processes keep Django's checks.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(
            base_url=running_stack.base_url, viewport={"width": 1280, "height": 860}
        )
        context.add_init_script(RECORD_EVENTS)
        context.set_default_timeout(30_000)
        try:
            yield context.new_page()
        finally:
            # The test's database connections live in this context; close them here, or
            # PostgreSQL keeps a session that stops the test database from being dropped.
            connections.close_all()
            context.close()
            browser.close()


def off_the_browser_thread(function, *args, **kwargs):
    """Run ``function`` in a thread of its own and return its result.

    Pushing to the channel layer runs an event loop of its own (``async_to_sync``), which
    cannot start in the thread where Playwright's loop lives.
    """

    def call():
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(call).result()


def log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password_of(username))
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")
    wait_for_the_feed(page)
    expect(page.locator("[data-live-status]")).to_have_text("Live")


def wait_for_the_feed(page: Page) -> None:
    """Until the page has its snapshot: from then on it is in its group and misses nothing.

    Predicates are functions, not expressions: Playwright polls an expression with eval(),
    which the pages' Content-Security-Policy forbids.
    """
    page.wait_for_function("() => window.__snapshots >= 1")


def visit(page: Page, path: str) -> None:
    page.goto(path)
    wait_for_the_feed(page)


def thumbnail(media_root: Path, name: str, second: float) -> str:
    """A JPEG frame of the 720p clip, written where the media server serves it."""
    path = media_root / "thumbs" / f"{name}.jpg"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        subprocess.run(
            [ffmpeg_exe(), "-loglevel", "error", "-y", "-ss", str(second), "-i",
             media_root / "clips" / "720p.mp4", "-frames:v", "1", "-vf", "scale=480:-2", path],
            check=True,
        )  # fmt: skip
    return f"thumbs/{name}.jpg"


def a_small_library(media_server, media_root) -> None:
    """A few more videos around the one under test, so the screenshots show a library."""
    rows = [
        ("Teardrop", "Massive Attack", Video.Status.DOWNLOADED, 0.2),
        ("Glory Box", "Portishead", Video.Status.WANTED, 0.6),
        ("Windowlicker", "Aphex Twin", Video.Status.FAILED, 1.0),
        ("Unfinished Sympathy", "Massive Attack", Video.Status.WANTED, 1.4),
        ("Jóga", "Björk", Video.Status.DOWNLOADED, 1.8),
    ]
    for number, (title, name, status, second) in enumerate(rows):
        artist, _ = Artist.objects.get_or_create(
            name=name, defaults={"sort_name": name, "folder_name": name}
        )
        Video.objects.create(
            title=title,
            artist=artist,
            status=status,
            source_url=f"https://videos.example/watch/{number}",
            thumbnail_url=media_server.url(thumbnail(media_root, f"t{number}", second)),
        )


def test_a_download_fills_its_bar_and_turns_the_badge_downloaded_without_a_reload(
    running_stack, page, media_server, media_root, alice
):
    size = (media_root / "clips" / "720p.mp4").stat().st_size
    log_in(page, "alice")
    expect(page.get_by_text("No videos yet — add one by URL")).to_be_visible()

    page.get_by_role("link", name="Add video").first.click()
    # About four seconds of download, so the page has progress to show.
    page.get_by_label("Video URL").fill(media_server.url(f"slow/{size // 4}/clips/720p.mp4"))
    page.get_by_label("Title").fill("Army of Me")
    page.get_by_label("Artist").fill("Björk")
    page.get_by_role("button", name="Add video").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Army of Me")
    video = Video.objects.get(title="Army of Me")

    page.get_by_label("Quality").select_option("best")
    page.get_by_role("button", name="Download", exact=True).click()
    expect(page.get_by_text("Download started (best).")).to_be_visible()
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads

    badge = page.locator(f'[data-video-id="{video.pk}"][data-video-field="status"]')
    bar = page.locator(f'progress[data-video-id="{video.pk}"]')
    page.wait_for_function(
        "bar => !bar.hidden && bar.value > 0 && bar.value < 100", arg=bar.element_handle()
    )
    panel = page.locator("#downloads-panel")
    expect(panel).to_be_visible()
    # exact: under load the probe ("Lookup: Army of Me") may still be in the panel too.
    expect(panel.get_by_role("link", name="Army of Me", exact=True)).to_be_visible()

    expect(badge).to_have_text("Downloaded", timeout=60_000)
    assert bar.evaluate("bar => bar.value") == 100
    assert page.evaluate("window.__sameDocument") is True
    progresses = page.evaluate(
        "id => window.__jobEvents.filter(e => e.job.video && e.job.video.id === id"
        " && e.job.kind === 'video_download').map(e => e.job.progress)",
        video.pk,
    )
    assert any(0 < p < 100 for p in progresses), progresses
    assert progresses[-1] == 100
    expect(page.locator("video#player")).to_be_visible()  # the player appears, still no reload
    expect(panel).to_be_hidden()  # nothing is downloading any more

    a_small_library(media_server, media_root)
    visit(page, "/")
    expect(page.locator(".video-card")).to_have_count(6)
    page.get_by_label("Choose “Teardrop” for download").check()
    page.get_by_label("Choose “Glory Box” for download").check()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "library.png")


def test_a_slow_download_cancelled_from_the_dashboard_ends_cancelled(
    running_stack, page, media_server, alice
):
    artist = Artist.objects.create(name="Portishead", sort_name="Portishead")
    video = Video.objects.create(
        title="Glory Box", artist=artist, source_url=media_server.url("slow/3000/clips/720p.mp4")
    )
    finished_examples(alice, artist)
    log_in(page, "alice")
    visit(page, f"/videos/{video.pk}/")
    page.get_by_role("button", name="Download", exact=True).click()
    job = Job.objects.get(video=video, kind="video_download")

    visit(page, "/jobs/")
    row = page.locator(f'[data-job-row="{job.pk}"]')
    expect(row.locator('[data-job-field="status"]')).to_have_text("Running")
    page.wait_for_function("bar => bar.value > 0", arg=row.locator("progress").element_handle())
    expect(row.locator('[data-job-field="speed"]')).not_to_be_empty()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "dashboard.png", full_page=True)

    row.get_by_role("button", name="Cancel").click()
    finished_row = page.locator(f'[data-job-list="finished"] [data-job-row="{job.pk}"]')
    expect(finished_row.locator('[data-job-field="status"]')).to_have_text("Cancelled")
    expect(finished_row.get_by_role("button", name="Retry")).to_be_visible()
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert not [p for p in running_stack.library_root.rglob("*") if p.is_file()]


def finished_examples(alice, artist) -> None:
    """Finished jobs of every outcome, for the dashboard's screenshot."""
    now = timezone.now()
    done = Video.objects.create(
        title="Sour Times", artist=artist, status="downloaded", source_url="https://v.example/1"
    )
    gone = Video.objects.create(title="Roads", artist=artist, source_url="https://v.example/2")
    common = {"user": alice, "kind": "video_download", "started_at": now, "finished_at": now}
    Job.objects.create(
        video=done, status="completed", progress=100, message="Downloaded (2.1 MB, 720p)", **common
    )
    Job.objects.create(
        video=gone,
        status="failed",
        progress=12,
        message="Failed",
        error="The site says this video is private; it cannot be downloaded without an "
        "account that may see it.",
        **common,
    )


def test_the_downloaded_video_plays_and_seeks_with_range_requests(
    running_stack, page, media_root, media_clips, alice
):
    folder = running_stack.library_root / "Björk"
    folder.mkdir()
    shutil.copy(media_root / "clips" / "720p.mp4", folder / "Army of Me [x1].mp4")
    size = (folder / "Army of Me [x1].mp4").stat().st_size
    video = Video.objects.create(
        title="Army of Me",
        source_url="https://videos.example/army",
        status="downloaded",
    )
    VideoFile.objects.create(video=video, path="Björk/Army of Me [x1].mp4", size=size)
    file_responses = []
    page.on(
        "response",
        lambda r: file_responses.append((r.status, r.headers.get("content-range")))
        if r.url.endswith(f"/videos/{video.pk}/file")
        else None,
    )
    log_in(page, "alice")
    visit(page, f"/videos/{video.pk}/")
    position = page.evaluate(
        """async () => {
            const video = document.querySelector("video#player");
            if (video.readyState < 1) {
              await new Promise(r => video.addEventListener("loadedmetadata", r, {once: true}));
            }
            const seeked = new Promise(r => video.addEventListener("seeked", r, {once: true}));
            video.currentTime = 1.5;
            await seeked;
            return video.currentTime;
        }"""
    )
    assert position == pytest.approx(1.5, abs=0.2)
    assert any(status == 206 for status, _ in file_responses), file_responses
    assert all(r.endswith(f"/{size}") for s, r in file_responses if s == 206)
    wait_until(  # the access log has a line once a response has been sent
        lambda: f'"GET /videos/{video.pk}/file HTTP/1.1" 206' in running_stack.web.output(),
        timeout=10,
        message="the server log shows no 206 for the file",
    )

    asked = page.evaluate(
        """async url => {
            const r = await fetch(url, {headers: {Range: "bytes=100-199"}});
            return [r.status, r.headers.get("content-range"), (await r.arrayBuffer()).byteLength];
        }""",
        f"/videos/{video.pk}/file",
    )
    assert asked == [206, f"bytes 100-199/{size}", 100]


def test_the_admin_job_list_shows_progress_change_live(running_stack, page, media_server, root):
    video = Video.objects.create(
        title="Hyperballad", source_url=media_server.url("slow/8000/clips/360p.mp4")
    )
    log_in(page, "root")
    job, _ = off_the_browser_thread(download_submit, video=video, user=root)
    visit(page, "/admin/jobs/job/")
    bar = page.locator(f'progress.job-progress[data-job-id="{job.pk}"]')
    first = bar.evaluate("bar => bar.value")
    page.wait_for_function("([bar, first]) => bar.value > first", arg=[bar.element_handle(), first])
    status = page.locator(f'[data-job-id="{job.pk}"][data-job-field="status"]')
    expect(status).to_have_text("Completed", timeout=60_000)
    expect(page.locator(f'.job-progress-label[data-job-id="{job.pk}"]')).to_have_text("100 %")


def test_the_page_reconnects_and_takes_a_fresh_snapshot(running_stack, page, alice):
    video = Video.objects.create(title="Isobel", source_url="https://videos.example/isobel")
    job = Job.objects.create(
        user=alice, video=video, kind="video_download", status="processing", progress=20
    )
    log_in(page, "alice")
    visit(page, "/jobs/")
    status = page.locator(f'[data-job-id="{job.pk}"][data-job-field="status"]')
    expect(status).to_have_text("Running")
    # Changed while the page is away: no push, only the next snapshot can tell it.
    Job.objects.filter(pk=job.pk).update(status="failed", error="It broke.", progress=20)
    page.evaluate("window.MVidarr.live.reconnect()")
    page.wait_for_function("() => window.__snapshots >= 2")
    expect(status).to_have_text("Failed")
    expect(page.locator(f'[data-job-id="{job.pk}"][data-job-field="error"]')).to_have_text(
        "It broke."
    )


class StampingPublisher(DirectPublisher):
    """Pushes like the web process does, with the time of sending in the payload."""

    def send(self, groups: list[str], payload: dict) -> None:
        super().send(groups, {**payload, "sent_at": time.time() * 1000})


def test_every_progress_update_reaches_the_page(running_stack, page, capsys, alice):
    video = Video.objects.create(title="Bachelorette", source_url="https://videos.example/b")
    job = Job.objects.create(user=alice, video=video, kind="video_download", status="processing")
    log_in(page, "alice")
    visit(page, f"/videos/{video.pk}/")
    count = 100

    def publish_updates() -> None:
        for step in range(count):
            job.progress = step
            publish_job(job, publisher=StampingPublisher())
            time.sleep(0.02)

    off_the_browser_thread(publish_updates)
    wait_until(
        lambda: page.evaluate(
            "n => window.__jobEvents.filter(e => e.job.sent_at).length >= n", count
        ),
        timeout=15,
        message="not every update reached the page",
    )
    latencies = page.evaluate(
        "() => window.__jobEvents.filter(e => e.job.sent_at).map(e => e.receivedAt - e.job.sent_at)"
    )
    latencies.sort()
    with capsys.disabled():
        print(
            f"\nprogress → page over /ws/jobs/ ({count} updates): "
            f"median {statistics.median(latencies):.1f} ms, "
            f"p95 {latencies[int(len(latencies) * 0.95) - 1]:.1f} ms, "
            f"worst {latencies[-1]:.1f} ms"
        )
    assert len(latencies) == count

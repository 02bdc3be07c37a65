"""The monitoring page updates itself: a job that fails shows up without a reload."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.utils import timezone

from jobs.models import Job
from tests.browser import signed_in_page
from tests.support import make_user
from videos.models import Video

pytestmark = pytest.mark.browser


@pytest.fixture
def page(live_server, transactional_db):
    with signed_in_page(live_server.url, make_user("boss", is_staff=True)) as page:
        yield page


def test_a_new_failure_appears_on_the_open_page(page, settings):
    settings.OPS_POLL_SECONDS = 0.5
    page.goto("/ops/")
    failed_card = page.locator(".card", has_text="failed, last hour").locator(".value")
    assert failed_card.inner_text() == "0"
    assert page.locator("#errors").inner_text().strip() == "No failed jobs in the last 24 hours."

    def fail_a_job() -> None:
        video = Video.objects.create(source_url="https://videos.example/gone", title="Gone")
        Job.objects.create(
            kind=Job.Kind.VIDEO_DOWNLOAD,
            status=Job.Status.FAILED,
            video=video,
            finished_at=timezone.now(),
            error="HTTP error 404 for https://videos.example/gone: the video was removed.",
        )

    # Playwright's event loop owns this thread; the ORM works from another one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(fail_a_job).result()

    reason = "HTTP error N for <url>: the video was removed."
    page.wait_for_function(
        "reason => document.querySelector('#errors').innerText.includes(reason)",
        arg=reason,
        timeout=10_000,
    )
    assert failed_card.inner_text() == "1"

"""In a browser: the job dashboard's pages follow the feed. The first page takes in a job that
started after it was rendered; another page updates its own rows and takes in no job of the
other pages. The feed (/ws/jobs/) is played by the test (Playwright's WebSocket routing) with
the server's own representations of the jobs, so that it says exactly which jobs it names.
On a phone a page of jobs is short (a row is two lines) and every row's actions can be tapped."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections

from jobs.models import Job
from jobs.selectors import job_representations
from jobs.views import DASHBOARD_PAGE_SIZE
from tests.browser import signed_in_page
from tests.support import make_user

pytestmark = pytest.mark.browser


def _feed(page) -> list:
    sockets: list = []

    def answer(socket) -> None:  # no server behind it: the test speaks for the feed
        sockets.append(socket)

    page.route_web_socket("**/ws/jobs/", answer)
    return sockets


def _say(sockets: list, message_type: str, jobs: list[Job]) -> None:
    representations = job_representations(jobs)
    if message_type == "snapshot":
        message = {"type": "snapshot", "jobs": representations}
        sockets[-1].send(json.dumps(message, cls=DjangoJSONEncoder))
    else:
        for job in representations:
            sockets[-1].send(json.dumps({"type": "job", "job": job}, cls=DjangoJSONEncoder))


def test_only_the_first_page_takes_in_a_new_job_and_no_page_takes_another_pages_jobs(
    live_server, transactional_db, make_job, monkeypatch
):
    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls
    # while it runs are safe (tests/e2e/test_browser.py does the same).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    user = make_user("pager")
    jobs = [make_job(user, "completed") for _ in range(DASHBOARD_PAGE_SIZE + 1)]
    oldest, newest = jobs[0], jobs[-1]  # on page 2 and on page 1
    with signed_in_page(live_server.url, user) as page:
        sockets = _feed(page)
        page.goto("/jobs/?page=2")
        page.wait_for_function("document.documentElement.dataset.live === 'open'")
        started = make_job(user, "queued")
        _say(sockets, "snapshot", [started, newest, oldest])
        Job.objects.filter(pk=oldest.pk).update(status="failed", error="It went away.")
        oldest.refresh_from_db()
        _say(sockets, "job", [oldest])
        row = page.locator(f'[data-job-row="{oldest.pk}"]')
        row.get_by_text("It went away.").wait_for()
        assert row.get_attribute("data-status") == "failed"
        assert row.locator("progress").is_hidden()  # a finished job's bar says nothing more
        assert page.locator("[data-job-row]").count() == 1
        assert page.get_by_text("The active jobs are on").is_visible()

        page.goto("/jobs/")
        page.wait_for_function("document.documentElement.dataset.live === 'open'")
        later = make_job(user, "processing")
        _say(sockets, "snapshot", [started, later, oldest])
        active = page.locator('[data-job-list="active"]')
        active.locator(f'[data-job-row="{later.pk}"]').wait_for()
        assert active.locator(f'[data-job-row="{later.pk}"] progress').is_visible()
        shown = page.locator("[data-job-row]").evaluate_all(
            "rows => rows.map(row => Number(row.dataset.jobRow))"
        )
        connections.close_all()  # opened in Playwright's context: PostgreSQL would keep them
    assert later.pk in shown and started.pk in shown and oldest.pk not in shown
    assert len(shown) == DASHBOARD_PAGE_SIZE + 1


PHONE = {"width": 375, "height": 812}
# At 375 px a page of 25 finished jobs (5 of them failed, with an error) measured 5,716 px
# before the rows were compact, 2,153 px after (a completed row 55 px, a failed one 91 px).
PHONE_PAGE_HEIGHT = 2_400


def test_a_page_of_finished_jobs_is_short_on_a_phone_and_its_actions_can_be_tapped(
    live_server, transactional_db, make_job, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    user = make_user("thumbs")
    error = "The site answered 404: the video is gone; find another source."
    failed = [make_job(user, "failed", message="Failed", error=error) for _ in range(5)]
    done = [
        make_job(
            user,
            "completed",
            message="Downloaded (123.5 MB, 1080p)",
            finished_ago=timedelta(minutes=42),
        )
        for _ in range(DASHBOARD_PAGE_SIZE - len(failed))
    ]
    with signed_in_page(live_server.url, user) as page:
        page.set_viewport_size(PHONE)
        page.goto("/jobs/")
        assert page.locator("[data-job-row]").count() == DASHBOARD_PAGE_SIZE
        height = page.evaluate("document.documentElement.scrollHeight")
        width = page.evaluate("document.documentElement.scrollWidth")
        # Each row's buttons are whole on the screen and a finger's size (24 px at least).
        buttons = page.locator("[data-job-row] button:visible").evaluate_all(
            "buttons => buttons.map(b => { const r = b.getBoundingClientRect();"
            " return [b.textContent, r.left, r.right, r.width, r.height]; })"
        )
        errors_shown = page.get_by_text(error).count()
        done_row = page.locator(f'[data-job-row="{done[0].pk}"]').inner_text()
        hide = page.get_by_role("button", name=f"Hide job {done[3].pk}", exact=True)
        with page.expect_navigation():
            hide.click()  # Playwright clicks only what is visible, steady and not covered
        retry = page.get_by_role("button", name=f"Retry job {failed[0].pk}", exact=True)
        with page.expect_navigation():
            retry.click()
        retried_row = page.locator(f'[data-job-list="active"] [data-job-row="{failed[0].pk}"]')
        cancel_visible = retried_row.get_by_role("button", name="Cancel").is_visible()
        connections.close_all()
    assert height < PHONE_PAGE_HEIGHT, f"{DASHBOARD_PAGE_SIZE} jobs are {height} px tall"
    assert width <= PHONE["width"]
    assert errors_shown == len(failed)  # a failed row still says why
    assert "Downloaded (123.5 MB, 1080p)" in done_row and "42 min ago" in done_row
    assert len(buttons) == len(done) + 2 * len(failed)  # Hide on each, Retry on the failed
    assert all(left >= 0 and right <= PHONE["width"] for _, left, right, _, _ in buttons)
    assert all(w >= 24 and h >= 24 for *_, w, h in buttons), buttons
    assert Job.objects.get(pk=done[3].pk).hidden
    assert Job.objects.get(pk=failed[0].pk).status == "queued" and cancel_visible

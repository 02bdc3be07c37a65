"""In a browser: "Clear finished" on the jobs page takes the finished jobs off the list and
keeps the running ones."""

from __future__ import annotations

import pytest

from jobs.models import Job
from tests.browser import signed_in_page
from tests.support import make_user

pytestmark = pytest.mark.browser


def test_clear_finished_empties_the_finished_list_and_keeps_the_active_one(
    live_server, transactional_db, make_job
):
    user = make_user("clearer")
    finished = [make_job(user, "completed"), make_job(user, "failed")]
    running = make_job(user, "processing")
    with signed_in_page(live_server.url, user) as page:
        page.goto("/jobs/")
        finished_list = page.locator('[data-job-list="finished"]')
        assert finished_list.locator("li.job").count() == 2
        page.locator("section", has=page.get_by_role("heading", name="Finished")).get_by_role(
            "button", name="Clear finished"
        ).click()
        page.wait_for_url("**/jobs/")
        message = page.get_by_role("status").filter(has_text="Cleared")
        message_text = message.inner_text()
        finished_rows = finished_list.locator("li.job").count()
        empty_visible = page.get_by_text("No finished jobs.").is_visible()
        running_visible = page.locator(f'[data-job-row="{running.pk}"]').is_visible()
    assert message_text == "Cleared 2 finished jobs (the admin still lists them)."
    assert finished_rows == 0 and empty_visible and running_visible
    assert Job.objects.filter(pk__in=[job.pk for job in finished], hidden=True).count() == 2

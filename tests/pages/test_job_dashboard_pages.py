"""The job dashboard a page at a time: active jobs first, then finished ones, 25 a page; only
the first page takes in new jobs live."""

from __future__ import annotations

import re

from jobs.models import Job
from jobs.views import DASHBOARD_PAGE_SIZE


def _rows(body: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<li class="job" data-job-row="(\d+)"', body)]


def _pages(client, count: int, query: str = "") -> list[str]:
    return [client.get(f"/jobs/?page={n}{query}").content.decode() for n in range(1, count + 1)]


def test_the_dashboard_lists_active_jobs_then_finished_ones_25_a_page(logged_in, alice, make_job):
    finished = [make_job(alice, "completed") for _ in range(DASHBOARD_PAGE_SIZE + 5)]
    active = [make_job(alice, "queued"), make_job(alice, "processing")]
    first, second = _pages(logged_in(alice), 2)
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    newest_first = [job.pk for job in reversed(active)] + [job.pk for job in reversed(finished)]
    assert _rows(first) == newest_first[:DASHBOARD_PAGE_SIZE]
    assert _rows(second) == newest_first[DASHBOARD_PAGE_SIZE:]
    on_first_active = first.split('data-job-list="finished"')[0]
    assert all(f'data-job-row="{job.pk}"' in on_first_active for job in active)


def test_a_page_of_active_jobs_alone_sends_to_the_other_pages(logged_in, alice, make_job):
    finished = make_job(alice, "failed")
    active = [make_job(alice, "queued") for _ in range(DASHBOARD_PAGE_SIZE + 1)]
    first, second = _pages(logged_in(alice), 2)
    assert f'data-job-row="{finished.pk}"' in second
    assert "The finished jobs follow on" in first and 'href="?page=2"' in first
    # The first page takes in active jobs newer than its last one; older ones are on page 2.
    assert f'data-active-from="{active[1].pk}"' in first
    assert f'data-job-row="{active[0].pk}"' in second


def test_only_the_first_page_takes_in_new_jobs(logged_in, alice, make_job):
    jobs = [make_job(alice, "completed") for _ in range(DASHBOARD_PAGE_SIZE + 1)]
    newest = Job.objects.latest("id").pk
    first, second = _pages(logged_in(alice), 2)
    assert f'data-row-url="/jobs/0/row/" data-newest-id="{newest}" data-active-from="0"' in first
    assert "data-row-url" not in second and "data-newest-id" not in second
    assert "The active jobs are on" in second and f'data-job-row="{jobs[0].pk}"' in second


def test_a_rows_actions_come_back_to_its_page(logged_in, alice, make_job):
    oldest = make_job(alice, "failed")
    for _ in range(DASHBOARD_PAGE_SIZE):
        make_job(alice, "completed")
    client = logged_in(alice)
    second = client.get("/jobs/?page=2").content.decode()
    assert f'action="/jobs/{oldest.pk}/retry/"' in second
    assert '<input type="hidden" name="next" value="/jobs/?page=2">' in second
    response = client.post(f"/jobs/{oldest.pk}/retry/", {"next": "/jobs/?page=2"})
    assert response.status_code == 302 and response["Location"] == "/jobs/?page=2"


def test_each_page_shows_only_the_users_own_jobs_and_staff_see_all(
    logged_in, alice, bob, boss, make_job
):
    alices = [make_job(alice, "completed") for _ in range(DASHBOARD_PAGE_SIZE)]
    bobs = make_job(bob, "completed")
    pages = _pages(logged_in(alice), 2)
    assert "Page 1 of" not in pages[0]  # 25 jobs: one page
    assert all(f'data-job-row="{bobs.pk}"' not in body for body in pages)
    staff = _pages(logged_in(boss), 2)
    assert "Page 1 of 2" in staff[0]
    assert sorted(_rows(staff[0]) + _rows(staff[1])) == sorted([j.pk for j in [*alices, bobs]])


def test_the_routine_kinds_are_left_out_of_the_pages_unless_asked_for(logged_in, boss, make_job):
    routine = make_job(boss, "completed", kind="metadata_probe")
    for _ in range(DASHBOARD_PAGE_SIZE):
        make_job(boss, "completed")
    client = logged_in(boss)
    assert all(f'data-job-row="{routine.pk}"' not in body for body in _pages(client, 2))
    with_routine = _pages(client, 2, "&routine=1")
    assert f'data-job-row="{routine.pk}"' in with_routine[1]
    assert 'href="?page=1&amp;routine=1"' in with_routine[1]


def test_a_page_past_the_last_shows_the_last(logged_in, alice, make_job):
    job = make_job(alice, "completed")
    for query in ("?page=9", "?page=x"):
        body = logged_in(alice).get(f"/jobs/{query}").content.decode()
        assert _rows(body) == [job.pk]

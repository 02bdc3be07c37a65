"""What a bulk job says about its items, and what retrying one of them does to it.

Items are finished the way the runner finishes them (a conditional update of the row, then
``bulk_refresh``), without a worker; tests/jobs/test_downloads.py has the same story with one.
"""

import pytest
from django.utils import timezone

from jobs.models import Job
from jobs.services import bulk_download_submit, job_cancel, job_retry
from jobs.transitions import bulk_refresh, bulk_write_summary
from videos.models import Video


@pytest.fixture
def bulk(transactional_db, alice):
    videos = [
        Video.objects.create(source_url=f"http://127.0.0.1:9/{i}.mp4", title=f"Song {i}")
        for i in range(5)
    ]
    return bulk_download_submit(videos=videos, user=alice)


def _items(bulk: Job) -> list[Job]:
    return list(bulk.children.order_by("id"))


def _finish(item: Job, status: str, error: str = "") -> Job:
    Job.objects.filter(pk=item.pk).update(status=status, error=error)
    return bulk_refresh(parent_id=item.parent_id)


def test_a_running_bulk_job_says_how_many_items_failed(bulk):
    items = _items(bulk)
    for item in items[:3]:
        _finish(item, "completed")

    parent = _finish(items[3], "failed", "404 from the site.")

    assert (parent.status, parent.message) == ("processing", "4 of 5 finished, 1 failed")


def test_retrying_a_failed_item_reopens_its_bulk_job_and_the_summary_follows(bulk, alice):
    items = _items(bulk)
    for item in items[:4]:
        _finish(item, "completed")
    parent = _finish(items[4], "failed", "404 from the site.")
    assert (parent.status, parent.message) == ("failed", "1 of 5 failed")

    job_retry(job=Job.objects.get(pk=items[4].pk), user=alice)
    parent.refresh_from_db()
    assert (parent.status, parent.message, parent.error) == ("processing", "4 of 5 finished", "")
    assert parent.finished_at is None

    parent = _finish(items[4], "completed")
    assert (parent.status, parent.message, parent.error) == ("completed", "All 5 downloaded", "")
    assert parent.progress == 100


def test_a_bulk_job_whose_items_were_cancelled_does_not_show_100_percent(bulk, alice):
    items = _items(bulk)
    for item in items[:3]:
        _finish(item, "completed")

    for item in items[3:]:
        job_cancel(job=item, user=alice)

    parent = Job.objects.get(pk=bulk.pk)
    assert (parent.status, parent.message) == ("cancelled", "2 of 5 cancelled")
    assert parent.progress == 60


def test_a_summary_read_before_a_retry_does_not_close_the_reopened_bulk_job(bulk, alice):
    items = _items(bulk)
    for item in items[:4]:
        _finish(item, "completed")
    Job.objects.filter(pk=items[4].pk).update(
        status="failed", error="404 from the site.", finished_at=timezone.now()
    )
    # What the last item's worker read, just before a person retried that item.
    stale = list(bulk.children.select_related("video").order_by("id"))
    parent = Job.objects.get(pk=bulk.pk)
    job_retry(job=Job.objects.get(pk=items[4].pk), user=alice)

    assert not bulk_write_summary(parent=parent, children=stale)

    parent.refresh_from_db()
    assert (parent.status, parent.message) == ("processing", "4 of 5 finished")

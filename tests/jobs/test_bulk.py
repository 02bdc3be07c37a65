"""What a bulk job says about its items (its counters, its summary, the items it shows), and
what retrying, cancelling and recovering them does to it.

Items change through the transitions module as a worker changes them (claim, finish,
requeue, cancel), without a worker; tests/jobs/test_downloads.py has the same story with one.
"""

from __future__ import annotations

import itertools
import random
from datetime import timedelta

import pytest
from django.db.models import Count
from django.utils import timezone

from jobs.models import ITEM_COUNTS, Job
from jobs.progress import DirectPublisher
from jobs.selectors import bulk_items_shown
from jobs.services import bulk_download_submit, job_cancel, job_retry
from jobs.transitions import (
    bulk_refresh,
    bulk_write_summary,
    job_cancel_queued,
    job_claim,
    job_finish,
    job_requeue,
    job_requeue_finished,
)
from jobs.worker.recovery import recover_stale_jobs
from tests.jobs.test_transitions import _race
from videos.models import Video

Status = Job.Status


def _videos(count: int) -> list[Video]:
    return Video.objects.bulk_create(
        Video(source_url=f"http://127.0.0.1:9/{i}.mp4", title=f"Song {i}") for i in range(count)
    )


@pytest.fixture
def bulk(transactional_db, alice):
    return bulk_download_submit(videos=_videos(5), user=alice)


def _items(bulk: Job) -> list[Job]:
    return list(bulk.children.order_by("id"))


def _finish(item: Job, status: str, error: str = "") -> Job:
    """Claim the item and end it as ``status``, as its worker would; the bulk job as it is
    once that has committed."""
    item = job_claim(job_id=item.pk, worker_id="test")
    assert job_finish(job=item, status=status, message=status, error=error)
    return Job.objects.get(pk=item.parent_id)


def _counts_in_rows(parent: Job) -> dict[str, int]:
    """The items by status as the rows say (one grouped query): what the counters must be."""
    rows = dict(
        Job.objects.filter(parent=parent).values_list("status").annotate(n=Count("id")).order_by()
    )
    return {name: rows.get(status, 0) for name, status in ITEM_COUNTS.items()}


def test_a_new_bulk_job_counts_its_items_queued(bulk):
    assert bulk.item_counts == {
        "queued": 5,
        "running": 0,
        "completed": 0,
        "failed": 0,
        "cancelled": 0,
    }


def test_a_running_bulk_job_says_how_many_items_failed(bulk):
    items = _items(bulk)
    for item in items[:3]:
        _finish(item, "completed")

    parent = _finish(items[3], "failed", "404 from the site.")

    assert (parent.status, parent.message) == ("processing", "4 of 5 finished, 1 failed")
    assert parent.item_counts == {
        "queued": 1,
        "running": 0,
        "completed": 3,
        "failed": 1,
        "cancelled": 0,
    }


def test_a_bulk_job_that_ends_failed_names_its_failed_items(bulk):
    items = _items(bulk)
    for item in items[:4]:
        _finish(item, "completed")

    parent = _finish(items[4], "failed", "404 from the site.")

    assert (parent.status, parent.message) == ("failed", "1 of 5 failed")
    assert parent.error == f"1 of 5 failed: {items[4].video.title}: 404 from the site."


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
    assert (parent.items_failed, parent.items_queued) == (0, 1)

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
    item = job_claim(job_id=items[4].pk, worker_id="test")
    # The last item fails; what its bulk job's refresh read, just before a person retried it.
    Job.objects.filter(pk=bulk.pk).update(items_running=0, items_failed=1)
    stale = Job.objects.get(pk=bulk.pk)
    Job.objects.filter(pk=bulk.pk).update(items_running=1, items_failed=0)
    job_finish(job=item, status="failed", message="Failed", error="404 from the site.")
    Job.objects.filter(pk=bulk.pk).update(status="failed")
    job_retry(job=Job.objects.get(pk=items[4].pk), user=alice)

    assert not bulk_write_summary(parent=stale)

    parent = Job.objects.get(pk=bulk.pk)
    assert (parent.status, parent.message) == ("processing", "4 of 5 finished")


def test_a_recovered_item_moves_back_to_queued_in_its_bulk_jobs_counts(bulk):
    item = _items(bulk)[0]
    job_claim(job_id=item.pk, worker_id="gone")
    Job.objects.filter(pk=item.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))

    assert recover_stale_jobs(publisher=DirectPublisher(), stale_after=60) == [item.pk]

    parent = Job.objects.get(pk=bulk.pk)
    assert (parent.items_queued, parent.items_running) == (5, 0)
    assert parent.item_counts == _counts_in_rows(parent)


def test_cancelling_a_bulk_job_cancels_its_queued_items_at_once_and_counts_them(bulk, alice):
    items = _items(bulk)
    _finish(items[0], "completed")
    running = job_claim(job_id=items[1].pk, worker_id="test")

    job_cancel(job=Job.objects.get(pk=bulk.pk), user=alice)

    parent = Job.objects.get(pk=bulk.pk)
    assert parent.status == "cancelled"
    assert parent.item_counts == {
        "queued": 0,
        "running": 1,  # asked to stop: its worker ends it cancelled at its next report
        "completed": 1,
        "failed": 0,
        "cancelled": 3,
    }
    assert parent.item_counts == _counts_in_rows(parent)
    assert Job.objects.get(pk=running.pk).cancel_requested
    waiting = Video.objects.filter(pk__in=[item.video_id for item in items[2:]])
    assert set(waiting.values_list("status", flat=True)) == {"wanted"}


def test_items_finished_by_concurrent_workers_are_all_counted(transactional_db, alice):
    bulk = bulk_download_submit(videos=_videos(40), user=alice)
    ids = _item_ids(bulk)

    def worker(chunk: list[int]) -> None:
        for item_id in chunk:
            item = job_claim(job_id=item_id, worker_id="test")
            job_finish(job=item, status="completed" if item_id % 3 else "failed", message="-")

    _race(*(lambda chunk=ids[n::4]: worker(chunk) for n in range(4)))

    parent = Job.objects.get(pk=bulk.pk)
    failed = sum(1 for item_id in ids if not item_id % 3)
    assert parent.item_counts == {
        "queued": 0,
        "running": 0,
        "completed": 40 - failed,
        "failed": failed,
        "cancelled": 0,
    }
    assert parent.item_counts == _counts_in_rows(parent)
    assert parent.status == ("failed" if failed else "completed")


# --- 10,000 items -------------------------------------------------------------------------
# What can happen to one item, step by step (each step one transition of its own).
PATHS = {
    "completed": ["claim", "complete"],
    "failed": ["claim", "fail"],
    "cancelled": ["cancel"],
    "requeued then completed": ["claim", "requeue", "claim", "complete"],
    "retried then completed": ["claim", "fail", "retry", "claim", "complete"],
    "cancelled, retried, failed": ["cancel", "retry", "claim", "fail"],
    "left running": ["claim"],
    "left queued": [],
}
ENDS = {
    "completed": "completed",
    "failed": "failed",
    "cancelled": "cancelled",
    "requeued then completed": "completed",
    "retried then completed": "completed",
    "cancelled, retried, failed": "failed",
    "left running": "running",
    "left queued": "queued",
}


def _step(item_id: int, step: str) -> None:
    item = Job.objects.get(pk=item_id)
    done = {
        "claim": lambda: job_claim(job_id=item_id, worker_id="test") is not None,
        "complete": lambda: job_finish(job=item, status="completed", message="Done"),
        "fail": lambda: job_finish(job=item, status="failed", message="Failed", error="Gone."),
        "requeue": lambda: job_requeue(job=item, message="Retrying"),
        "cancel": lambda: job_cancel_queued(job=item),
        "retry": lambda: job_requeue_finished(job=item, reopen_parent=False),
    }[step]()
    assert done, (item_id, step)


# Items of the 10,000 driven through PATHS: a transition costs ~5-15 ms of Django on this
# machine, so all of them would take minutes (1,000 took 140 s of CI on a busy machine);
# the others wait, queued, as in a real bulk. 400 still takes every path several times.
DRIVEN = 400


def test_ten_thousand_items_changing_in_random_order_are_counted_right(db, alice):
    """A bulk of 10,000: DRIVEN of its items, chosen at random, each follow one of PATHS,
    their steps interleaved at random; the bulk job's counters end as the rows say, and
    so does its summary. (In one transaction, as the test database runs: the counters move
    in the transitions' own statements.)"""
    bulk = bulk_download_submit(videos=_videos(10_000), user=alice)
    rng = random.Random(19)
    names = list(PATHS)
    weights = [50, 15, 10, 8, 7, 4, 3, 3]
    ids = _item_ids(bulk)
    driven = set(rng.sample(ids, DRIVEN))
    plan = {
        item_id: rng.choices(names, weights)[0] if item_id in driven else "left queued"
        for item_id in ids
    }
    assert set(plan.values()) == set(PATHS), "every path is taken"
    pending = {item_id: list(PATHS[path]) for item_id, path in plan.items() if PATHS[path]}
    while pending:
        item_id = _any(pending, rng)
        _step(item_id, pending[item_id].pop(0))
        if not pending[item_id]:
            del pending[item_id]

    parent = Job.objects.get(pk=bulk.pk)
    expected = dict.fromkeys(ITEM_COUNTS, 0)
    for path in plan.values():
        expected[ENDS[path]] += 1
    assert parent.item_counts == expected == _counts_in_rows(parent)
    parent = bulk_refresh(parent_id=bulk.pk)
    finished = expected["completed"] + expected["failed"] + expected["cancelled"]
    assert parent.message == (
        f"{finished} of 10000 finished, {expected['failed']} failed, "
        f"{expected['cancelled']} cancelled"
    )


def _item_ids(bulk: Job) -> list[int]:
    return list(bulk.children.order_by("id").values_list("id", flat=True))


def _any(pending: dict[int, list[str]], rng: random.Random) -> int:
    # A random one among the first 64 pending items, without a list of thousands at every
    # step: the items' steps still interleave, and every item's turn comes.
    return next(itertools.islice(pending, rng.randrange(min(64, len(pending))), None))


# --- the items a bulk job shows ---------------------------------------------------------------
def test_a_bulk_job_shows_at_most_50_items_the_active_first_then_the_most_recently_finished(
    transactional_db, alice
):
    bulk = bulk_download_submit(videos=_videos(120), user=alice)
    ids = _item_ids(bulk)
    now = timezone.now()
    finished = ids[:70]
    for item_id in finished:
        _finish(Job(pk=item_id), "completed")
    # Finished in the order of their ids, a second apart: the newest are the last ids.
    for n, item_id in enumerate(finished):
        Job.objects.filter(pk=item_id).update(finished_at=now + timedelta(seconds=n))
    running = [ids[100], ids[90]]
    for item_id in running:
        job_claim(job_id=item_id, worker_id="test")
    queued = [item_id for item_id in ids[70:] if item_id not in running]

    shown = [item.pk for item in bulk_items_shown([bulk.pk])[bulk.pk]]

    assert shown == sorted(running) + queued  # 50 active items: no room for finished ones
    # Fewer active items: the most recently finished fill the rest (the completed ones
    # are dated after the cancels).
    for item_id in queued[:40]:
        job_cancel_queued(job=Job.objects.get(pk=item_id))
    shown = [item.pk for item in bulk_items_shown([bulk.pk])[bulk.pk]]
    assert shown == sorted(running) + queued[40:] + list(reversed(finished))[:40]


def test_a_bulk_of_50_or_fewer_items_shows_them_all(transactional_db, alice):
    bulk = bulk_download_submit(videos=_videos(50), user=alice)
    for item_id in _item_ids(bulk)[:20]:
        _finish(Job(pk=item_id), "failed")

    shown = bulk_items_shown([bulk.pk])[bulk.pk]

    assert sorted(item.pk for item in shown) == _item_ids(bulk)

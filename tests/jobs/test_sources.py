"""Starting source indexes: on demand, and the scheduler's tick that claims due sources."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from jobs import kinds
from jobs.models import Job
from jobs.services.sources import (
    SourceIndexRunning,
    source_index_submit,
    sources_due_claim,
    sources_index_due,
)
from tests.support import wait_until
from videos.models import Source

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks between connections: PostgreSQL"
)


def _due_sources(make_source, count: int, *, due_ago=timedelta(minutes=1), **fields):
    now = timezone.now()
    return [
        make_source(f"https://example.com/channel/{i}", next_index_at=now - due_ago, **fields)
        for i in range(count)
    ]


def _index_jobs():
    return Job.objects.filter(kind=kinds.SOURCE_INDEX)


def test_indexing_a_source_queues_one_index_job_with_the_source_in_its_options(boss, make_source):
    source = make_source("https://example.com/channel/a")
    job = source_index_submit(source=source, user=boss, origin=Job.Origin.USER, full=True)
    job.refresh_from_db()
    assert (job.kind, job.status, job.user, job.origin) == ("source_index", "queued", boss, "user")
    assert job.options == {
        "source": source.pk,
        "source_name": source.url,  # its title, else its URL: what the job is called
        "source_artist": None,
        "full": True,
        "offset": 0,
    }
    assert job.message_id


def test_indexing_a_source_whose_index_is_queued_is_a_conflict(boss, make_source):
    source = make_source("https://example.com/channel/a")
    first = source_index_submit(source=source, user=boss, origin=Job.Origin.USER)
    with pytest.raises(SourceIndexRunning) as refused:
        source_index_submit(source=source, user=None, origin=Job.Origin.SCHEDULE)
    assert str(refused.value) == (
        f"This source is already being indexed (job #{first.pk}); wait for it to finish."
    )
    assert _index_jobs().count() == 1


def test_a_source_can_be_indexed_again_once_its_index_finished(boss, make_source):
    source = make_source("https://example.com/channel/a")
    first = source_index_submit(source=source, user=boss, origin=Job.Origin.USER)
    Job.objects.filter(pk=first.pk).update(status=Job.Status.COMPLETED)
    second = source_index_submit(source=source, user=boss, origin=Job.Origin.USER)
    assert second.pk != first.pk


def test_another_sources_index_does_not_stand_in_the_way(boss, make_source):
    one = make_source("https://example.com/channel/a")
    two = make_source("https://example.com/channel/b")
    source_index_submit(source=one, user=boss, origin=Job.Origin.USER)
    source_index_submit(source=two, user=boss, origin=Job.Origin.USER)
    assert _index_jobs().count() == 2


def test_the_claim_takes_due_monitored_sources_and_moves_their_next_index_on(make_source):
    now = timezone.now()
    due = make_source("https://example.com/due", next_index_at=now, index_interval_minutes=30)
    make_source("https://example.com/later", next_index_at=now + timedelta(seconds=1))
    make_source("https://example.com/unscheduled", next_index_at=None)
    make_source("https://example.com/off", next_index_at=now, monitored=False)
    claimed = sources_due_claim(now=now, limit=10)
    assert claimed == [due]
    assert claimed[0].next_index_at == now + timedelta(minutes=30)
    assert sources_due_claim(now=now, limit=10) == []


def test_a_scheduler_that_was_down_for_a_day_indexes_each_due_source_once(make_source):
    (source,) = _due_sources(make_source, 1, due_ago=timedelta(days=1), index_interval_minutes=10)
    now = timezone.now()
    assert sources_due_claim(now=now, limit=10) == [source]
    # The ticks it missed are not made up for: the next index is one interval from now.
    assert sources_due_claim(now=now + timedelta(minutes=9), limit=10) == []
    assert sources_due_claim(now=now + timedelta(minutes=10), limit=10) == [source]


def test_the_claim_takes_the_longest_due_first_and_at_most_the_limit(make_source):
    now = timezone.now()
    recent = make_source("https://example.com/recent", next_index_at=now - timedelta(minutes=1))
    oldest = make_source("https://example.com/oldest", next_index_at=now - timedelta(hours=2))
    older = make_source("https://example.com/older", next_index_at=now - timedelta(hours=1))
    assert sources_due_claim(now=now, limit=2) == sorted([oldest, older], key=lambda s: s.pk)
    assert sources_due_claim(now=now, limit=2) == [recent]


def test_the_tick_starts_one_scheduled_index_per_due_source(make_source):
    sources = _due_sources(make_source, 3)
    result = sources_index_due(now=timezone.now(), limit=100)
    assert (result.claimed, result.started, result.still_running) == (3, 3, 0)
    jobs = list(_index_jobs())
    assert sorted(job.options["source"] for job in jobs) == sorted(s.pk for s in sources)
    assert {(job.origin, job.user_id, job.status) for job in jobs} == {("schedule", None, "queued")}
    assert all(job.message_id for job in jobs)


def test_a_tick_skips_a_source_whose_previous_index_still_runs(boss, make_source):
    busy, idle = _due_sources(make_source, 2)
    running = source_index_submit(source=busy, user=boss, origin=Job.Origin.USER)
    Job.objects.filter(pk=running.pk).update(status=Job.Status.PROCESSING)
    result = sources_index_due(now=timezone.now(), limit=100)
    assert (result.claimed, result.started, result.still_running) == (2, 1, 1)
    assert [job.options["source"] for job in _index_jobs().exclude(pk=running.pk)] == [idle.pk]
    busy.refresh_from_db()
    assert busy.next_index_at > timezone.now()  # claimed all the same: not retried every tick


def test_a_tick_with_nothing_due_starts_nothing(make_source):
    make_source("https://example.com/later", next_index_at=timezone.now() + timedelta(hours=1))
    result = sources_index_due(now=timezone.now(), limit=100)
    assert (result.claimed, result.started) == (0, 0)
    assert not _index_jobs().exists()


def _in_thread(target, results: dict, name: str) -> threading.Thread:
    def run() -> None:
        try:
            results[name] = target()
        except Exception as exc:  # asserted by the test
            results[name] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_claiming_at_once_claim_each_due_source_once(make_source):
    sources = _due_sources(make_source, 5)
    now = timezone.now()
    first_claimed, second_done = threading.Event(), threading.Event()
    results: dict = {}

    def first() -> list[Source]:
        with transaction.atomic():  # holds its claim uncommitted while the second claims
            claimed = sources_due_claim(now=now, limit=3)
            first_claimed.set()
            second_done.wait(30)
        return claimed

    def second() -> list[Source]:
        first_claimed.wait(30)
        try:
            return sources_due_claim(now=now, limit=10)
        finally:
            second_done.set()

    threads = [_in_thread(first, results, "first"), _in_thread(second, results, "second")]
    for thread in threads:
        thread.join(60)
    a, b = {s.pk for s in results["first"]}, {s.pk for s in results["second"]}
    assert (len(a), len(b)) == (3, 2)
    assert a | b == {s.pk for s in sources}
    assert sources_due_claim(now=now, limit=10) == []


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_requests_to_index_one_source_at_once_start_one_index(boss, make_source):
    source = make_source("https://example.com/channel/a")
    first_submitted, results = threading.Event(), {}

    def first() -> Job:
        with transaction.atomic():
            job = source_index_submit(source=source, user=boss, origin=Job.Origin.USER)
            first_submitted.set()
            # Commit only once the second request waits for the source's row lock.
            wait_until(_a_lock_is_awaited, timeout=30, message="the second never waited")
        return job

    def second() -> Job:
        first_submitted.wait(30)
        return source_index_submit(source=source, user=boss, origin=Job.Origin.USER)

    threads = [_in_thread(first, results, "first"), _in_thread(second, results, "second")]
    for thread in threads:
        thread.join(60)
    assert isinstance(results["first"], Job)
    assert isinstance(results["second"], SourceIndexRunning)
    assert _index_jobs().count() == 1


def _a_lock_is_awaited() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0] > 0

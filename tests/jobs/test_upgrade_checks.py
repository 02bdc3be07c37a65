"""Which videos the upgrade check takes, and how often: the cutoff-unmet list, at most 100 a
run, each at most once in 7 days, never one twice by two schedulers; one video now."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone
from dramatiq_crontab import scheduler

from jobs import kinds
from jobs.models import Job
from jobs.services.upgrades import (
    NotBelowCutoff,
    NothingDue,
    UpgradeCheckRunning,
    upgrade_candidates_claim,
    upgrade_check_submit,
    upgrades_check_due,
)
from mvidarr.actors import check_upgrades
from tests.jobs.test_sources import _in_thread, postgresql_only
from videos.models import QualityProfile, Video
from videos.wanted import cutoff_unmet_list

WEEK = datetime.timedelta(days=7)


@pytest.fixture
def hd(db) -> QualityProfile:
    return QualityProfile.objects.create(
        name="HD", qualities=["1080p", "720p", "360p"], cutoff="720p", upgrade_allowed=True
    )


@pytest.fixture
def below(make_video, make_artist, hd):
    """``below(n, **fields)``: n downloaded videos with 360p files, below their cutoff."""
    artist = make_artist("Björk", quality_profile=hd)

    def make(count: int, **fields) -> list[Video]:
        start = Video.objects.count()
        fields.setdefault("status", Video.Status.DOWNLOADED)
        return [
            make_video(
                f"Video {start + i}",
                artist=artist,
                file_path=f"Björk/{start + i}.mp4",
                height=360,
                **fields,
            )
            for i in range(count)
        ]

    return make


def _checks() -> list[Job]:
    return list(Job.objects.filter(kind=kinds.UPGRADE_CHECK).order_by("id"))


def test_a_run_checks_at_most_100_videos_and_each_at_most_once_in_7_days(below):
    videos = below(105)
    now = timezone.now()

    first = upgrades_check_due(now=now, limit=100)
    second = upgrades_check_due(now=now + datetime.timedelta(hours=1), limit=100)
    third = upgrades_check_due(now=now + datetime.timedelta(days=6), limit=100)

    assert (first.claimed, first.started) == (100, 100)
    assert (second.claimed, second.started) == (5, 5)  # the rest, next hour
    assert third.claimed == 0  # every one was checked less than a week ago
    checked = [job.video_id for job in _checks()]
    assert sorted(checked) == sorted(video.pk for video in videos)  # each once
    assert {job.origin for job in _checks()} == {Job.Origin.SCHEDULE}
    assert {job.user_id for job in _checks()} == {None}

    again = upgrades_check_due(now=now + WEEK, limit=100)
    assert again.claimed == 100  # a week after its first check a video is due again
    assert set(Video.objects.values_list("upgrade_checked_at", flat=True)) == {
        now + WEEK,
        now + datetime.timedelta(hours=1),
    }


def test_never_checked_videos_come_first_then_the_longest_unchecked(below):
    now = timezone.now()
    recent, old, never = below(3)
    Video.objects.filter(pk=recent.pk).update(upgrade_checked_at=now - WEEK)
    Video.objects.filter(pk=old.pk).update(upgrade_checked_at=now - 3 * WEEK)

    assert upgrade_candidates_claim(now=now, limit=2) == [never.pk, old.pk]
    assert upgrade_candidates_claim(now=now, limit=2) == [recent.pk]


def test_only_files_below_the_cutoff_of_a_profile_allowing_upgrades_are_checked(
    below, make_video, make_artist, hd
):
    [candidate] = below(1)
    below(1, status=Video.Status.DOWNLOADING)  # a forced re-download runs: not now
    make_video(
        "At the cutoff", artist=hd.artists.first(), status="downloaded", file_path="a", height=720
    )
    no_upgrades = QualityProfile.objects.create(
        name="Keep", qualities=["720p", "360p"], cutoff="720p", upgrade_allowed=False
    )
    make_video(
        "Kept",
        artist=make_artist("Keeper", quality_profile=no_upgrades),
        status="downloaded",
        file_path="k",
        height=360,
    )

    assert upgrade_candidates_claim(now=timezone.now(), limit=100) == [candidate.pk]


def test_a_video_whose_check_still_runs_is_not_checked_twice(below, make_job):
    [video] = below(1)
    running = make_job(None, Job.Status.PROCESSING, kind=kinds.UPGRADE_CHECK, video=video)

    run = upgrades_check_due(now=timezone.now(), limit=100)

    assert (run.claimed, run.started, run.still_running) == (1, 0, 1)
    assert _checks() == [running]


def test_the_scheduled_actor_runs_the_check_with_the_run_limit(below, settings):
    settings.UPGRADE_CHECK_LIMIT = 2
    below(3)

    check_upgrades.fn()

    assert len(_checks()) == 2
    [scheduled] = [job for job in scheduler.get_jobs() if job.name == "check_upgrades"]
    assert "minute='23'" in str(scheduled.trigger)  # every hour (MVIDARR_UPGRADE_CHECK_CRON)


def test_a_person_checks_one_video_now_whenever_it_was_last_checked(below, boss):
    [video] = below(1)
    upgrades_check_due(now=timezone.now(), limit=100)
    Job.objects.all().delete()

    job = upgrade_check_submit(video=video, user=boss)

    assert (job.kind, job.video_id, job.user, job.origin) == (
        kinds.UPGRADE_CHECK,
        video.pk,
        boss,
        Job.Origin.USER,
    )
    with pytest.raises(UpgradeCheckRunning, match="already queued or running"):
        upgrade_check_submit(video=video, user=boss)


def test_a_video_meeting_its_cutoff_is_not_checked_on_demand(make_video, boss, hd):
    video = make_video("HD", status="downloaded", file_path="h", height=1080)
    with pytest.raises(NotBelowCutoff, match="not below its profile's cutoff"):
        upgrade_check_submit(video=video, user=boss)
    assert _checks() == []


def test_a_persons_run_with_nothing_due_says_so(below, boss):
    below(1)
    upgrades_check_due(now=timezone.now(), limit=100)
    with pytest.raises(NothingDue, match="at most once in 7 days"):
        upgrades_check_due(now=timezone.now(), limit=100, user=boss, origin=Job.Origin.USER)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_claiming_at_once_check_each_video_once(below):
    videos = below(5)
    now = timezone.now()
    first_claimed, second_done = threading.Event(), threading.Event()
    results: dict = {}

    def first() -> list[int]:
        with transaction.atomic():  # holds its claim uncommitted while the second claims
            claimed = upgrade_candidates_claim(now=now, limit=3)
            first_claimed.set()
            second_done.wait(30)
        return claimed

    def second() -> list[int]:
        first_claimed.wait(30)
        try:
            return upgrade_candidates_claim(now=now, limit=10)
        finally:
            second_done.set()

    threads = [_in_thread(first, results, "first"), _in_thread(second, results, "second")]
    for thread in threads:
        thread.join(60)
    a, b = set(results["first"]), set(results["second"])
    assert (len(a), len(b)) == (3, 2)
    assert a | b == {video.pk for video in videos}
    assert upgrade_candidates_claim(now=now, limit=10) == []
    assert connection.vendor == "postgresql"


def test_the_cutoff_unmet_list_is_two_queries_whatever_its_length(below, django_assert_num_queries):
    for count in (1, 30):
        below(count)
        total = Video.objects.count()
        with django_assert_num_queries(2):  # the default profile, then the list
            assert len(list(cutoff_unmet_list())) == total

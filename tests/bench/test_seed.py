"""The benchmark's seeder writes rows MVidarr reads as its own, only where it may."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from bench.seed import NotABenchDatabase, seed_library
from jobs.models import ITEM_COUNTS, HistoryEvent, Job
from jobs.preferences import RETENTION_DAYS
from jobs.transitions import bulk_summary
from preferences.selectors import setting_get
from videos.models import Artist, Video, VideoFile
from videos.name_keys import name_key

pytestmark = pytest.mark.django_db


def test_the_seeder_writes_a_library_the_models_read(boss):
    now = timezone.now()
    seeded = seed_library(videos=200, artists=20, jobs_per_video=10, user=boss, now=now)

    assert (seeded.artists, seeded.videos, seeded.jobs) == (20, 200, 2000)
    assert Artist.objects.count() == 20 and Video.objects.count() == 200
    assert Job.objects.count() == 2000 and HistoryEvent.objects.count() == 200
    downloaded = Video.objects.filter(status=Video.Status.DOWNLOADED)
    assert VideoFile.objects.count() == downloaded.count() == seeded.files > 0
    video = Video.objects.select_related("artist", "file").filter(pk__in=downloaded).first()
    assert video.title_key == name_key(video.title) and video.artist.name_key
    video.full_clean()  # every field as the models expect it
    assert not Job.objects.filter(status__in=Job.ACTIVE_STATUSES).exists()


def test_a_seeded_bulk_jobs_counts_and_state_are_its_items(db):
    seed_library(videos=300, artists=10, jobs_per_video=10)  # 3,000 jobs: three bulks

    bulks = list(Job.objects.filter(kind="bulk_video_download"))
    assert len(bulks) == 3
    for bulk in bulks:
        counts = bulk.item_counts
        items = Job.objects.filter(parent=bulk)
        assert counts == {
            name: items.filter(status=status).count() for name, status in ITEM_COUNTS.items()
        }
        assert sum(counts.values()) == 20
        assert bulk.status == bulk_summary(counts).status
        assert bulk.message == bulk_summary(counts).message


def test_half_of_the_seeded_jobs_are_past_the_retention(db):
    now = timezone.now()
    seeded = seed_library(videos=100, artists=10, now=now)

    cutoff = now - dt.timedelta(days=setting_get(RETENTION_DAYS))
    assert seeded.expired_jobs == Job.objects.filter(finished_at__lt=cutoff).count() == 500
    # The newest first, as ids grow with time.
    assert Job.objects.order_by("-id").first().finished_at > cutoff


def test_a_second_call_adds_to_the_first(db):
    seed_library(videos=30, artists=3)
    seed_library(videos=30, artists=3)

    assert Video.objects.count() == 60 and Artist.objects.count() == 6
    Video.objects.create(title="After", source_url="https://example.com/after")  # ids go on


def test_the_seeder_refuses_a_database_that_is_not_a_benchmarks(db, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "NAME", "/home/me/var/mvidarr.sqlite3")
    monkeypatch.setitem(connection.settings_dict, "TEST", {})

    with pytest.raises(NotABenchDatabase):
        seed_library(videos=1, artists=1)

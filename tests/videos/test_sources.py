"""Adding, changing and deleting sources: the checks, and when a source is indexed next."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from mvidarr import errors
from videos.models import Source, Video
from videos.sources import (
    SourceUrlTaken,
    source_create,
    source_delete,
    source_feed_url,
    source_get,
    source_list,
    source_update,
)

CHANNEL = "UCuAXFkgsw1L7xaCfnd5JJOw"
URL = f"https://www.youtube.com/channel/{CHANNEL}"


def refusal(data: dict, *, source: Source | None = None) -> errors.ServiceError:
    with pytest.raises(errors.ServiceError) as caught:
        if source is None:
            source_create(data=data)
        else:
            source_update(source=source, data=data)
    return caught.value


def test_a_monitored_source_is_due_at_once_so_the_next_tick_indexes_it(db):
    before = timezone.now()
    source = source_create(data={"url": URL})
    assert source.monitored
    assert before <= source.next_index_at <= timezone.now()


def test_an_unmonitored_source_is_not_scheduled(db):
    assert source_create(data={"url": URL, "monitored": False}).next_index_at is None


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "youtube.com", ""])
def test_a_url_that_is_not_http_is_refused_on_the_url_field(db, url):
    error = refusal({"url": url})
    assert isinstance(error, errors.Invalid)
    assert error.field == "url"
    assert not Source.objects.exists()


def test_a_url_that_is_already_a_source_is_a_conflict_naming_it(db):
    existing = source_create(data={"url": URL})
    error = refusal({"url": URL})
    assert isinstance(error, SourceUrlTaken)
    assert f"#{existing.pk}" in error.message
    assert error.extra == {"source": existing.pk}

    other = source_create(data={"url": "https://example.com/feed.xml"})
    assert isinstance(refusal({"url": URL}, source=other), SourceUrlTaken)


@pytest.mark.parametrize("field", ["title_include", "title_exclude"])
def test_a_title_pattern_that_does_not_compile_is_refused_saying_which_and_why(db, field):
    error = refusal({"url": URL, field: "live (acoustic"})
    assert error.field == field
    which = field.removeprefix("title_")
    assert f"The title {which} pattern “live (acoustic” is not a valid regular expression" in (
        error.message
    )
    assert "missing )" in error.message


def test_a_minimum_duration_above_the_maximum_is_refused(db):
    error = refusal({"url": URL, "min_duration": 300, "max_duration": 60})
    assert error.field == "max_duration"
    assert "shorter than the minimum" in error.message

    source = source_create(data={"url": URL, "min_duration": 60})
    assert refusal({"max_duration": 30}, source=source).field == "max_duration"


@pytest.mark.parametrize("minutes", [0, 9])
def test_an_interval_under_ten_minutes_is_refused(db, minutes):
    error = refusal({"url": URL, "index_interval_minutes": minutes})
    assert error.field == "index_interval_minutes"
    assert "every 10 minutes at most often" in error.message


def test_an_artist_that_does_not_exist_is_refused(db):
    error = refusal({"url": URL, "artist": 424242})
    assert (error.field, error.message) == (
        "artist",
        "There is no artist #424242; choose an existing one.",
    )


def test_turning_monitoring_on_makes_the_source_due_now_and_off_unschedules_it(db):
    source = source_create(data={"url": URL, "monitored": False})
    source_update(source=source, data={"monitored": True})
    assert source.next_index_at is not None
    assert source.next_index_at <= timezone.now()

    source_update(source=source, data={"monitored": False})
    assert Source.objects.get(pk=source.pk).next_index_at is None


def test_a_new_interval_reschedules_from_the_last_index(db):
    source = source_create(data={"url": URL})
    last = timezone.now() - datetime.timedelta(minutes=30)
    Source.objects.filter(pk=source.pk).update(last_indexed_at=last)
    source.refresh_from_db()

    source_update(source=source, data={"index_interval_minutes": 60})

    assert source.next_index_at == last + datetime.timedelta(minutes=60)


def test_a_new_url_forgets_what_indexing_learnt_and_is_due_now(db):
    source = source_create(data={"url": "https://www.youtube.com/@bjork"})
    later = timezone.now() + datetime.timedelta(hours=3)
    Source.objects.filter(pk=source.pk).update(
        channel_id=CHANNEL, title="Björk", last_full_index_at=timezone.now(), next_index_at=later
    )
    source.refresh_from_db()

    source_update(source=source, data={"url": "https://www.youtube.com/@sugarcubes"})

    source.refresh_from_db()
    assert (source.channel_id, source.title, source.last_full_index_at) == ("", "", None)
    assert source.next_index_at <= timezone.now()


def test_a_handle_source_has_a_feed_once_its_channel_id_is_known(db, settings):
    settings.YOUTUBE_FEED_BASE_URL = "http://feeds.example/videos.xml"
    source = source_create(data={"url": "https://www.youtube.com/@bjork"})
    assert source_feed_url(source) is None
    source.channel_id = CHANNEL
    assert source_feed_url(source) == f"http://feeds.example/videos.xml?channel_id={CHANNEL}"


def test_deleting_a_source_keeps_the_videos_it_added(db):
    source = source_create(data={"url": URL})
    video = Video.objects.create(source_url="https://e.com/1", indexed_from=source)
    source_delete(source=source)
    video.refresh_from_db()
    assert video.indexed_from is None


def test_the_list_filters_by_artist_monitoring_and_search_and_counts_videos(db, make_artist):
    bjork = make_artist("Björk")
    mine = source_create(data={"url": URL, "artist": bjork.pk})
    source_create(data={"url": "https://example.com/feed.xml", "monitored": False})
    Video.objects.create(source_url="https://e.com/1", indexed_from=mine)

    assert [s.pk for s in source_list(artist_id=bjork.pk)] == [mine.pk]
    assert [s.url for s in source_list(monitored=False)] == ["https://example.com/feed.xml"]
    assert [s.pk for s in source_list(search="youtube")] == [mine.pk]
    assert source_get(source_id=mine.pk).video_count == 1

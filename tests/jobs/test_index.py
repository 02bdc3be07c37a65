"""Indexing a source with real yt-dlp against the media server's channels.

Most tests run the index's messages inline (``index_to_the_end``: the runner called until
the job ends); those that need the probes and downloads it starts use a real worker.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from jobs import kinds, live
from jobs.models import HistoryEvent, Job
from jobs.services.sources import source_index_submit
from jobs.worker.index import run_index
from mvidarr.actors import index_due_sources
from tests.jobs.conftest import wait_for_job
from tests.media.server import YoutubeFeedEntry
from tests.support import wait_until
from videos.models import IgnoredEntry, QualityProfile, Video


def index_to_the_end(source, context, *, full=None) -> Job:
    """Submit an index and run its messages inline, one page each, until it ends."""
    job = source_index_submit(source=source, user=None, origin=Job.Origin.SCHEDULE, full=full)
    for _ in range(50):
        run_index(job.pk, context=context)
        job.refresh_from_db()
        if job.status in Job.FINISHED_STATUSES:
            source.refresh_from_db()
            return job
    raise AssertionError(f"job {job.pk} did not end: {job.status} {job.message}")


@pytest.fixture
def channel(request, media_server):
    """A channel of the media server of this test's own."""
    return media_server.channel(request.node.name[:60])


def _titles(**filters) -> list[str]:
    return sorted(Video.objects.filter(**filters).values_list("title", flat=True))


def test_an_index_adds_each_entry_as_a_wanted_video_of_the_sources_artist(
    context, channel, make_source
):
    channel.add(title="One", published=datetime.date(2024, 5, 1), duration=200)
    channel.add(title="Two")
    source = make_source(channel.url, artist="Portishead")
    job = index_to_the_end(source, context)
    assert job.status == "completed", job.error
    assert _titles(indexed_from=source, artist=source.artist, status="wanted") == ["One", "Two"]
    one = Video.objects.get(title="One")
    assert (one.upload_date, one.duration) == (datetime.date(2024, 5, 1), 200.0)
    assert job.message == "Found 2 entries: 2 added"


def test_the_second_index_adds_exactly_the_new_entries(context, channel, make_source):
    channel.add(title="Old one")
    channel.add(title="Old two")
    source = make_source(channel.url)
    index_to_the_end(source, context)
    channel.add(title="New")
    job = index_to_the_end(source, context)
    assert job.status == "completed", job.error
    assert _titles() == ["New", "Old one", "Old two"]
    assert source.last_counts["found"] == 3
    assert (source.last_counts["added"], source.last_counts["existing"]) == (1, 2)
    added = HistoryEvent.objects.filter(event="added", job=job)
    assert [event.title for event in added] == ["New"]


def test_an_index_records_its_counts_on_the_source_and_in_the_history(
    context, channel, make_source
):
    channel.add(title="Only")
    source = make_source(channel.url, next_index_at=None, title="")
    job = index_to_the_end(source, context, full=True)
    assert source.title == f"Channel {channel.name}"
    assert source.last_indexed_at is not None
    assert source.last_full_index_at == source.last_indexed_at
    assert (source.last_error, source.failures) == ("", 0)
    assert source.next_index_at is not None  # monitored: the next index is scheduled
    indexed = HistoryEvent.objects.get(event="indexed", source=source)
    assert (indexed.job, indexed.origin, indexed.data) == (job, "schedule", source.last_counts)
    assert HistoryEvent.objects.get(event="added", source=source).title == "Only"


def test_an_index_of_a_large_listing_goes_page_by_page(context, channel, make_source, settings):
    settings.SOURCE_INDEX_PAGE_SIZE = 2
    for number in range(1, 6):
        channel.add(title=f"Entry {number}")
    source = make_source(channel.url)
    before = len(media_server_requests(channel))
    job = index_to_the_end(source, context)
    assert job.status == "completed", job.error
    assert _titles() == [f"Entry {number}" for number in range(1, 6)]
    # Three pages, three messages, each listing the channel once.
    assert len(media_server_requests(channel)) - before == 3
    assert job.options["offset"] == 6
    assert job.attempts == 1  # a page that carries on spends no attempt


def _probes(index: Job) -> list[tuple[str, bool]]:
    """The index's probes: (status, whether their message was sent)."""
    probes = Job.objects.filter(kind=kinds.METADATA_PROBE, options__index=index.pk)
    return sorted((probe.status, bool(probe.message_id)) for probe in probes)


def test_an_indexs_probes_are_sent_when_it_ends_not_in_front_of_its_next_pages(
    context, channel, make_source, settings
):
    settings.SOURCE_INDEX_PAGE_SIZE = 2
    for number in range(1, 4):
        channel.add(title=f"Entry {number}")
    source = make_source(channel.url)
    job = source_index_submit(source=source, user=None, origin=Job.Origin.SCHEDULE)
    run_index(job.pk, context=context)  # the first page: two new videos
    assert _probes(job) == [("queued", False)] * 2
    run_index(job.pk, context=context)  # the last page ends the index
    job.refresh_from_db()
    assert job.status == "completed", job.error
    assert _probes(job) == [("queued", True)] * 3


def test_a_failed_index_still_sends_the_probes_of_what_it_found(
    context, channel, make_source, settings
):
    settings.SOURCE_INDEX_PAGE_SIZE = 2
    for number in range(1, 4):
        channel.add(title=f"Entry {number}")
    source = make_source(channel.url)
    job = source_index_submit(source=source, user=None, origin=Job.Origin.SCHEDULE)
    run_index(job.pk, context=context)
    channel.delete()
    run_index(job.pk, context=context)
    job.refresh_from_db()
    assert job.status == "failed"
    assert _probes(job) == [("queued", True)] * 2


def test_an_index_cancelled_between_pages_sends_the_probes_of_what_it_found(
    context, channel, make_source, settings
):
    settings.SOURCE_INDEX_PAGE_SIZE = 2
    for number in range(1, 4):
        channel.add(title=f"Entry {number}")
    source = make_source(channel.url)
    job = source_index_submit(source=source, user=None, origin=Job.Origin.SCHEDULE)
    run_index(job.pk, context=context)
    live.request_cancel(job.pk)
    run_index(job.pk, context=context)
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert _probes(job) == [("queued", True)] * 2


def media_server_requests(channel) -> list:
    return channel.server.requests_for(f"/channel/{channel.name}.xml")


def test_an_entry_listed_twice_is_one_video_counted_once(context, channel, make_source):
    link = channel.add(title="Twice")
    channel.add(title="Twice again", link=link)
    channel.add(title="Other")
    source = make_source(channel.url)
    index_to_the_end(source, context)
    assert Video.objects.count() == 2
    assert (source.last_counts["found"], source.last_counts["duplicates"]) == (2, 1)


def test_an_entry_listed_twice_across_pages_is_one_video_counted_once(
    context, channel, make_source, settings
):
    settings.SOURCE_INDEX_PAGE_SIZE = 2
    link = channel.add(title="First")
    channel.add(title="Second")
    channel.add(title="Third")
    channel.add(title="First again", link=link)
    source = make_source(channel.url)
    index_to_the_end(source, context)
    assert Video.objects.count() == 3
    assert (source.last_counts["found"], source.last_counts["duplicates"]) == (3, 1)


def test_two_sources_sharing_a_video_add_it_once(context, media_server, make_source, request):
    one = media_server.channel(f"{request.node.name[:50]}-1")
    two = media_server.channel(f"{request.node.name[:50]}-2")
    shared = one.add(title="Shared")
    two.add(title="Shared", link=shared)
    two.add(title="Own")
    first, second = make_source(one.url), make_source(two.url)
    index_to_the_end(first, context)
    index_to_the_end(second, context)
    assert Video.objects.filter(source_url=shared).count() == 1
    assert Video.objects.get(source_url=shared).indexed_from == first
    assert (second.last_counts["added"], second.last_counts["existing"]) == (1, 1)


def test_a_video_added_by_hand_is_not_added_again_by_an_index(
    context, channel, make_source, make_video
):
    link = channel.add(title="Known")
    make_video("Added by hand", source_url=link)
    source = make_source(channel.url)
    index_to_the_end(source, context)
    assert _titles() == ["Added by hand"]
    assert source.last_counts["existing"] == 1


def test_an_ignored_entry_stays_out(context, channel, make_source):
    channel.add(title="Unwanted")
    channel.add(title="Wanted")
    source = make_source(channel.url)
    index_to_the_end(source, context)
    unwanted = Video.objects.get(title="Unwanted")
    IgnoredEntry.objects.create(
        extractor=unwanted.extractor, source_id=unwanted.source_id, url=unwanted.source_url
    )
    unwanted.delete()
    index_to_the_end(source, context)
    assert _titles() == ["Wanted"]
    assert (source.last_counts["ignored"], source.last_counts["added"]) == (1, 0)


def test_an_entry_ignored_by_its_url_stays_out(context, channel, make_source):
    link = channel.add(title="Unwanted")
    IgnoredEntry.objects.create(url=link)
    source = make_source(channel.url)
    index_to_the_end(source, context)
    assert _titles() == []
    assert source.last_counts["ignored"] == 1


def test_a_filtered_entry_is_counted_with_its_reason_and_skipped(context, channel, make_source):
    channel.add(title="Song (Official Video)", duration=200)
    channel.add(title="Song (Official Live Video)", duration=200)
    channel.add(title="Teaser (Official Video)", duration=15)
    channel.add(title="Old (Official Video)", published=datetime.date(2019, 1, 1))
    channel.add(title="Interview", duration=900)
    source = make_source(
        channel.url,
        title_include="official|interview",
        title_exclude=r"\blive\b",
        min_duration=30,
        max_duration=600,
        published_after=datetime.date(2020, 1, 1),
    )
    index_to_the_end(source, context)
    assert _titles() == ["Song (Official Video)"]
    counts = source.last_counts
    assert counts["filtered"] == 4
    assert {key: n for key, n in counts.items() if key.startswith("filtered_") and n} == {
        "filtered_title_exclude": 1,
        "filtered_min_duration": 1,
        "filtered_max_duration": 1,
        "filtered_published_after": 1,
    }


def test_a_source_of_no_entries_is_indexed_with_counts_of_zero(context, channel, make_source):
    source = make_source(channel.url)
    job = index_to_the_end(source, context)
    assert job.status == "completed", job.error
    assert (source.last_counts["found"], source.last_counts["added"]) == (0, 0)
    assert (source.last_error, source.failures) == ("", 0)
    assert job.message == "Found 0 entries: 0 added"


def test_between_full_indexes_a_youtube_channel_is_indexed_fast_through_its_feed(
    context, media_server, make_source, make_video, settings
):
    channel_id = "UC" + "fastindex0channel0000a"
    settings.YOUTUBE_FEED_BASE_URL = media_server.set_youtube_feed(
        channel_id,
        [
            YoutubeFeedEntry("fastnew0001", "Brand new", "2026-03-02T10:00:00+00:00"),
            YoutubeFeedEntry("fastold0001", "Known"),
        ],
    )
    make_video("Known", source_url="https://www.youtube.com/watch?v=fastold0001",
               extractor="youtube", source_id="fastold0001")  # fmt: skip
    full_at = timezone.now() - datetime.timedelta(days=1)
    source = make_source(
        f"https://www.youtube.com/channel/{channel_id}", last_full_index_at=full_at,
        last_indexed_at=full_at,
    )  # fmt: skip
    job = index_to_the_end(source, context)
    assert job.status == "completed", job.error
    assert job.options["full"] is False
    new = Video.objects.get(title="Brand new")
    assert (new.extractor, new.source_id) == ("youtube", "fastnew0001")
    assert new.upload_date == datetime.date(2026, 3, 2)
    assert (source.last_counts["added"], source.last_counts["existing"]) == (1, 1)
    assert source.last_full_index_at == full_at  # a fast index is not a full one
    assert source.channel_id == channel_id


def test_a_youtube_feed_that_is_not_xml_fails_the_fast_index_with_a_reason(
    context, media_server, make_source, settings
):
    settings.YOUTUBE_FEED_BASE_URL = media_server.url("clips/360p.mp4")
    full_at = timezone.now() - datetime.timedelta(days=1)
    source = make_source(
        "https://www.youtube.com/channel/UC" + "notxml00channel0000000",
        last_full_index_at=full_at,
    )
    job = index_to_the_end(source, context)
    assert job.status == "failed"
    assert source.last_error == job.error
    assert source.last_error.startswith("The feed at ") and " is not XML: " in source.last_error
    assert source.failures == 1


# --- faults ----------------------------------------------------------------------------------
def test_a_url_that_cannot_be_listed_fails_with_the_reason_on_the_source(
    context, media_server, make_source
):
    source = make_source(media_server.url("clips/360p.mp4"), index_interval_minutes=60)
    before = timezone.now()
    job = index_to_the_end(source, context)
    reason = (
        f"{source.url} is one video, not a channel, playlist or feed; add it as a video instead."
    )
    assert (job.status, job.error) == ("failed", reason)
    assert (source.last_error, source.failures) == (reason, 1)
    # Backed off: twice the interval after one failure.
    assert source.next_index_at >= before + datetime.timedelta(minutes=120)


def test_a_url_that_is_neither_a_listing_nor_a_video_is_not_called_one_video(
    context, media_server, make_source
):
    source = make_source(media_server.url("json/notafeed"))
    job = index_to_the_end(source, context)
    reason = (
        f"{source.url} is not a channel, playlist or feed that yt-dlp can list, nor a video: "
        "check the link."
    )
    assert (job.status, job.error) == ("failed", reason)
    assert source.last_error == reason


def test_a_source_that_disappeared_fails_with_a_readable_reason(context, channel, make_source):
    channel.add(title="Was here")
    source = make_source(channel.url)
    index_to_the_end(source, context)
    channel.delete()
    job = index_to_the_end(source, context)
    assert job.status == "failed"
    assert source.last_error == (
        f"Nothing was found at {channel.url} (HTTP 404): the channel, playlist or feed may "
        "have been removed. Check the link, or delete the source."
    )
    assert Video.objects.count() == 1  # what an earlier index found stays


def test_a_failing_source_backs_off_further_at_each_failure_and_is_reset_by_a_success(
    context, channel, make_source
):
    source = make_source(channel.url, index_interval_minutes=10)
    for failures in (1, 2, 3):
        channel.gone = True
        before = timezone.now()
        index_to_the_end(source, context)
        assert source.failures == failures
        expected = datetime.timedelta(minutes=10 * 2**failures)
        assert before + expected <= source.next_index_at <= timezone.now() + expected
    channel.gone = False
    index_to_the_end(source, context)
    assert (source.failures, source.last_error) == (0, "")


def test_a_failing_source_does_not_delay_the_others(context, media_server, make_source, request):
    good = media_server.channel(f"{request.node.name[:50]}-good")
    good.add(title="Fine")
    broken = make_source(media_server.url("404/gone.xml"))
    healthy = make_source(good.url)
    assert index_to_the_end(broken, context).status == "failed"
    assert index_to_the_end(healthy, context).status == "completed"
    assert _titles() == ["Fine"]


def test_a_site_that_answers_429_is_backed_off_and_the_index_retried(
    worker, media_server, make_source, settings, request
):
    settings.HOST_BACKOFF_SECONDS = 0.2
    channel = media_server.channel(request.node.name[:60])
    channel.add(title="Behind a limit")
    token = f"{request.node.name[:40]}-{channel.name[:10]}"
    source = make_source(media_server.url(f"ratelimit/1/{token}/channel/{channel.name}.xml"))
    job = wait_for_job(source_index_submit(source=source, user=None, origin="schedule"))
    assert job.status == "completed", job.error
    assert job.attempts == 2
    assert _titles() == ["Behind a limit"]


def test_a_site_that_keeps_answering_429_fails_the_index_with_the_reason_on_the_source(
    worker, media_server, make_source, settings, request
):
    settings.HOST_BACKOFF_SECONDS = 0.2
    source = make_source(media_server.url(f"ratelimit/99/{request.node.name[:40]}/feed/2.xml"))
    job = wait_for_job(source_index_submit(source=source, user=None, origin="schedule"))
    source.refresh_from_db()
    assert job.status == "failed"
    assert source.last_error == job.error
    assert source.last_error.startswith("127.0.0.1 answered HTTP 429 (too many requests);")
    assert source.last_error.endswith("Gave up after 3 attempts.")
    assert source.failures == 1


def test_an_index_of_a_deleted_source_fails_with_a_reason(context, channel, make_source):
    source = make_source(channel.url)
    job = source_index_submit(source=source, user=None, origin="schedule")
    source.delete()
    run_index(job.pk, context=context)
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "The source was deleted before it was indexed.")


# --- with a worker: probes, downloads, the scheduler -------------------------------------------
def test_an_auto_download_source_downloads_its_new_videos_in_one_bulk_job(
    worker, channel, make_source
):
    channel.add(title="First", src="hls/master.m3u8")
    source = make_source(channel.url, auto_download=True)
    first = wait_for_job(source_index_submit(source=source, user=None, origin="schedule"))
    assert first.status == "completed", first.error
    channel.add(title="Second", src="hls/master.m3u8")
    second = wait_for_job(source_index_submit(source=source, user=None, origin="schedule"))
    assert second.status == "completed", second.error
    bulk = Job.objects.get(pk=second.options["bulk"])
    assert (bulk.kind, bulk.origin) == ("bulk_video_download", "schedule")
    assert [item.video.title for item in bulk.children.all()] == ["Second"]
    wait_for_job(bulk)
    downloaded = Video.objects.filter(status="downloaded").select_related("file")
    wait_until(lambda: downloaded.count() == 2, timeout=60, message="not downloaded")
    assert {video.file.height for video in downloaded} == {720}


def test_the_second_index_auto_downloads_the_new_entries_in_the_artists_profiles_quality(
    worker, channel, make_source, make_artist
):
    small = QualityProfile.objects.create(name="Small only", qualities=["360p"])
    artist = make_artist("Small screen", quality_profile=small)
    channel.add(title="Before", src="hls/master.m3u8")
    source = make_source(channel.url, artist=artist, auto_download=True)
    assert wait_for_job(source_index_submit(source=source, user=None, origin="schedule"))
    channel.add(title="After", src="hls/master.m3u8")
    second = wait_for_job(source_index_submit(source=source, user=None, origin="schedule"))
    assert second.status == "completed", second.error
    assert Video.objects.filter(indexed_from=source).count() == 2
    bulk = wait_for_job(Job.objects.get(pk=second.options["bulk"]))
    assert bulk.status == "completed", bulk.message
    after = Video.objects.select_related("file").get(title="After")
    assert (after.status, after.file.height) == ("downloaded", 360)


def test_a_monitored_artists_new_videos_are_downloaded_and_an_unmonitored_ones_are_not(
    worker, media_server, make_source, make_artist, request
):
    followed = media_server.channel(f"{request.node.name[:50]}-on")
    ignored = media_server.channel(f"{request.node.name[:50]}-off")
    followed.add(title="Followed")
    ignored.add(title="Not followed")
    on = make_artist("Followed", monitored=True, monitored_since=timezone.now())
    off = make_artist("Not followed", monitored=False)
    jobs = [
        source_index_submit(source=make_source(url, artist=artist), user=None, origin="schedule")
        for url, artist in ((followed.url, on), (ignored.url, off))
    ]
    for job in jobs:
        assert wait_for_job(job).status == "completed"
    assert "bulk" in Job.objects.get(pk=jobs[0].pk).options
    assert "bulk" not in Job.objects.get(pk=jobs[1].pk).options
    wait_until(
        lambda: Video.objects.get(title="Followed").status == "downloaded",
        timeout=60,
        message="the monitored artist's video was not downloaded",
    )
    assert Video.objects.get(title="Not followed").status == "wanted"


def test_new_videos_are_probed_on_the_bulk_queue(worker, channel, make_source):
    channel.add(title="", src="page/emoji")
    source = make_source(channel.url)
    job = wait_for_job(source_index_submit(source=source, user=None, origin="schedule"))
    assert job.status == "completed", job.error
    probe = Job.objects.get(kind=kinds.METADATA_PROBE)
    assert probe.options == {"batch": True, "index": job.pk}
    assert probe.origin == "schedule"
    assert wait_for_job(probe).status == "completed", probe.error


def test_the_scheduler_tick_starts_the_due_sources_indexes(worker, channel, make_source):
    channel.add(title="Scheduled")
    source = make_source(channel.url, next_index_at=timezone.now())
    index_due_sources.fn()
    job = wait_for_job(Job.objects.get(kind=kinds.SOURCE_INDEX))
    assert (job.status, job.origin, job.options["source"]) == ("completed", "schedule", source.pk)
    assert _titles() == ["Scheduled"]

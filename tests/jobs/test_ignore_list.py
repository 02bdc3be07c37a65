"""The ignore list: ignoring a video keeps it as ``ignored``, a download of it is refused,
removing its entry brings its status back by the rule. Without a worker."""

import pytest

from jobs.models import HistoryEvent, Job
from jobs.services import (
    VideoBusy,
    VideoIgnored,
    bulk_download_submit,
    download_submit,
    ignore_add,
    ignore_remove_and_refresh,
    probe_submit,
    video_ignore_and_refresh,
    video_remove,
)
from tests.jobs.conftest import wait_for_job
from videos.models import IgnoredEntry, Video, VideoFile
from videos.selectors import ignored_keys, ignored_match


@pytest.fixture
def video(transactional_db, make_artist):
    return Video.objects.create(
        source_url="http://127.0.0.1:9/army.mp4",
        title="Army of Me",
        artist=make_artist("Björk"),
        extractor="generic",
        source_id="army",
    )


def test_ignoring_a_video_keeps_it_as_ignored_with_an_entry_keyed_by_its_source(boss, video):
    entry, created = video_ignore_and_refresh(video=video, user=boss, reason="A live cut")

    video.refresh_from_db()
    assert created
    assert video.status == Video.Status.IGNORED
    assert (entry.extractor, entry.source_id, entry.video_id) == ("generic", "army", video.pk)
    assert (entry.title, entry.artist_id, entry.reason, entry.user) == (
        "Army of Me",
        video.artist_id,
        "A live cut",
        boss,
    )


def test_ignoring_twice_returns_the_same_entry(boss, video):
    first, _ = video_ignore_and_refresh(video=video, user=boss)
    again, created = video_ignore_and_refresh(video=video, user=boss)

    assert (again.pk, created) == (first.pk, False)
    assert IgnoredEntry.objects.count() == 1


def test_a_video_without_a_source_id_is_ignored_by_its_url(boss, transactional_db):
    video = Video.objects.create(source_url="http://127.0.0.1:9/unknown.mp4")

    entry, _ = video_ignore_and_refresh(video=video, user=boss)

    assert (entry.extractor, entry.source_id, entry.url) == ("", "", video.source_url)


def test_ignoring_is_refused_while_a_download_of_it_waits(alice, boss, video):
    download_submit(video=video, user=alice, quality="best")

    with pytest.raises(VideoBusy, match="cancel the download, then ignore it"):
        video_ignore_and_refresh(video=video, user=boss)
    video.refresh_from_db()
    assert video.status == Video.Status.QUEUED
    assert not IgnoredEntry.objects.exists()


def test_a_download_of_an_ignored_video_is_refused_with_a_sentence(alice, boss, video):
    video_ignore_and_refresh(video=video, user=boss)

    with pytest.raises(VideoIgnored) as refused:
        download_submit(video=video, user=alice, quality="best")

    assert str(refused.value) == (
        "This video is on the ignore list; remove it from the list to download it."
    )
    assert not Job.objects.filter(kind=Job.Kind.VIDEO_DOWNLOAD).exists()


def test_a_bulk_download_skips_ignored_videos_and_says_so(alice, boss, video):
    other = Video.objects.create(source_url="http://127.0.0.1:9/hyper.mp4", title="Hyperballad")
    video_ignore_and_refresh(video=video, user=boss)

    bulk = bulk_download_submit(videos=[video, other], user=alice)

    assert [child.video_id for child in bulk.children.all()] == [other.pk]
    assert bulk.message == "1 video to download; 1 skipped (on the ignore list)"
    video.refresh_from_db()
    assert video.status == Video.Status.IGNORED


def test_removing_the_entry_makes_a_video_wanted_again(boss, video):
    entry, _ = video_ignore_and_refresh(video=video, user=boss)

    ignore_remove_and_refresh(entry=entry)

    video.refresh_from_db()
    assert video.status == Video.Status.WANTED
    assert not IgnoredEntry.objects.exists()


def test_removing_the_entry_of_a_video_with_its_file_makes_it_downloaded_again(boss, video):
    VideoFile.objects.create(video=video, path="Björk/Army of Me.mp4", height=360)
    entry, _ = video_ignore_and_refresh(video=video, user=boss)
    video.refresh_from_db()
    assert video.status == Video.Status.IGNORED

    ignore_remove_and_refresh(entry=entry)

    video.refresh_from_db()
    assert video.status == Video.Status.DOWNLOADED


def test_deleting_with_ignore_removes_the_row_and_keeps_an_entry(boss, video):
    video_remove(video=video, delete_file=True, user=boss, ignore=True, reason="Not the song")

    assert not Video.objects.filter(pk=video.pk).exists()
    entry = IgnoredEntry.objects.get()
    assert (entry.extractor, entry.source_id, entry.video_id) == ("generic", "army", None)
    assert (entry.title, entry.reason, entry.user) == ("Army of Me", "Not the song", boss)


def test_a_deleted_and_ignored_video_added_again_by_its_source_matches_its_entry(boss, video):
    video_remove(video=video, delete_file=False, user=boss, ignore=True)

    assert ignored_match(extractor="generic", source_id="army", url="") is not None
    assert ignored_match(extractor="", source_id="", url=video.source_url) is not None
    assert ignored_match(extractor="generic", source_id="other", url="http://x/y") is None
    assert ignored_keys() == ({("generic", "army")}, {video.source_url})


def test_a_url_not_in_the_library_is_ignored_by_url(boss, transactional_db):
    entry, created = ignore_add(user=boss, url="https://example.com/watch?v=nope")

    assert created
    assert (entry.url, entry.extractor, entry.video_id) == (
        "https://example.com/watch?v=nope",
        "",
        None,
    )
    assert ignored_keys() == (set(), {"https://example.com/watch?v=nope"})
    again, created = ignore_add(user=boss, url="https://example.com/watch?v=nope")
    assert (again.pk, created) == (entry.pk, False)


def test_a_url_of_a_video_in_the_library_ignores_that_video(boss, video):
    entry, _ = ignore_add(user=boss, url=video.source_url)

    video.refresh_from_db()
    assert (entry.video_id, video.status) == (video.pk, Video.Status.IGNORED)


def test_ignoring_is_history_with_who_and_why(boss, video):
    video_ignore_and_refresh(video=video, user=boss, reason="A live cut")

    row = HistoryEvent.objects.get()
    assert (row.event, row.video_id, row.user, row.origin) == ("ignored", video.pk, boss, "user")
    assert (row.title, row.artist_id, row.data) == (
        "Army of Me",
        video.artist_id,
        {"reason": "A live cut"},
    )


def test_a_downloaded_video_ignored_then_un_ignored_is_downloaded_again(
    worker, alice, boss, make_video
):
    video = make_video("Teardrop")
    job = wait_for_job(download_submit(video=video, user=alice, quality="best")[0])
    assert job.status == "completed", job.error

    entry, _ = video_ignore_and_refresh(video=video, user=boss)
    video.refresh_from_db()
    assert video.status == Video.Status.IGNORED
    with pytest.raises(VideoIgnored):
        download_submit(video=video, user=alice, quality="best", force=True)

    ignore_remove_and_refresh(entry=entry)
    video.refresh_from_db()
    assert video.status == Video.Status.DOWNLOADED


def test_importing_a_feed_again_leaves_out_a_video_deleted_with_ignore(
    worker, alice, boss, media_server
):
    url = media_server.url("feed/3.xml")
    first = wait_for_job(probe_submit(user=alice, url=url))
    assert first.status == "completed", first.error
    gone = Video.objects.get(title="Entry 2")
    video_remove(video=gone, delete_file=False, user=boss, ignore=True)

    again = wait_for_job(probe_submit(user=alice, url=url))

    assert again.status == "completed", again.error
    assert again.message == (
        "Added 0 videos, skipped 2 already in the library, skipped 1 on the ignore list"
    )
    assert sorted(Video.objects.values_list("title", flat=True)) == ["Entry 1", "Entry 3"]

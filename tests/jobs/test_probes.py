"""Metadata probes and imports through a real worker and real yt-dlp."""

from jobs.models import Job
from jobs.services import probe_submit
from tests.jobs.conftest import wait_for_job
from tests.media.server import EVIL_TITLES
from videos.models import Video


def test_a_probe_fills_in_title_and_source_of_a_video(worker, alice, make_video):
    video = make_video(clip="page/emoji")
    job = wait_for_job(probe_submit(user=alice, video=video))
    video.refresh_from_db()
    assert job.status == "completed", job.error
    assert video.title == EVIL_TITLES["emoji"]
    assert video.extractor and video.source_id


def test_a_probe_keeps_the_title_a_person_typed(worker, alice, make_video):
    video = make_video(clip="page/traversal", title="My own title")
    assert wait_for_job(probe_submit(user=alice, video=video)).status == "completed"
    video.refresh_from_db()
    assert video.title == "My own title"


def test_probing_a_playlist_as_one_video_says_to_import_it(worker, alice, make_video):
    video = make_video(clip="feed/3.xml")
    job = wait_for_job(probe_submit(user=alice, video=video))
    assert job.status == "failed"
    assert job.error == "This URL is a playlist of 3 videos — import it instead."
    # Kept for the add page, which then offers to import it or follow it as a source.
    assert job.options["playlist"] == {"url": video.source_url, "entries": 3}


def test_importing_a_feed_adds_one_video_per_entry_and_skips_duplicates(
    worker, alice, media_server
):
    url = media_server.url("feed/4.xml")
    job = wait_for_job(probe_submit(user=alice, url=url))
    assert job.status == "completed", job.error
    assert Video.objects.count() == 4
    assert len(job.options["video_ids"]) == 4
    assert sorted(Video.objects.values_list("title", flat=True)) == [
        f"Entry {i}" for i in range(1, 5)
    ]

    again = wait_for_job(probe_submit(user=alice, url=url))
    assert again.status == "completed"
    assert again.message == "Added 0 videos, skipped 4 already in the library"
    assert Video.objects.count() == 4


def test_importing_a_single_video_url_adds_one_video(worker, alice, media_server):
    job = wait_for_job(probe_submit(user=alice, url=media_server.url("page/con")))
    assert job.status == "completed", job.error
    assert list(Video.objects.values_list("title", flat=True)) == ["CON"]


def test_a_probe_of_a_missing_page_fails_with_a_readable_reason(worker, alice, make_video):
    job = wait_for_job(probe_submit(user=alice, video=make_video(clip="404/nothing.html")))
    assert job.status == "failed"
    assert "404" in job.error
    assert Job.objects.get(pk=job.pk).attempts == 1


def test_a_probe_of_a_page_titled_artist_dash_title_fills_both(worker, alice, make_video):
    video = make_video(clip="page/artist-title")
    job = wait_for_job(probe_submit(user=alice, video=video))
    video.refresh_from_db()
    assert job.status == "completed", job.error
    assert video.artist.name == "Daft Punk"
    assert video.title == "Around the World (Official Video)"


def test_a_probe_keeps_the_artist_and_title_a_person_typed(worker, alice, make_video):
    video = make_video(clip="page/artist-title", title="My own title", artist="Someone Else")
    assert wait_for_job(probe_submit(user=alice, video=video)).status == "completed"
    video.refresh_from_db()
    assert (video.artist.name, video.title) == ("Someone Else", "My own title")

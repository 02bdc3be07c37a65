"""History is recorded at every event, by a real worker with real yt-dlp against the local
media server: added (by a person, by an import), grabbed, downloaded, failed, deleted."""

from __future__ import annotations

from jobs.history import download_data, history_event
from jobs.models import HistoryEvent, Job
from jobs.selectors import history_list
from jobs.services import (
    bulk_download_submit,
    download_submit,
    probe_submit,
    video_add_and_probe,
    video_remove,
)
from tests.jobs.conftest import wait_for_job
from videos.models import Source, Video

Event = HistoryEvent.Event


def _story(video: Video) -> list[tuple[str, int | None, str | None]]:
    """The video's history, oldest first: (event, job id, username)."""
    rows = reversed(list(history_list(video=video)))
    return [(row.event, row.job_id, getattr(row.user, "username", None)) for row in rows]


def test_a_downloaded_video_reads_grabbed_then_downloaded_with_its_job_and_user(
    worker, alice, make_video
):
    video = make_video("Teardrop", artist="Massive Attack", clip="hls/master.m3u8")

    job, _ = download_submit(video=video, user=alice, quality="480p")
    job = wait_for_job(job)

    assert job.status == "completed", job.error
    assert _story(video) == [("grabbed", job.pk, "alice"), ("downloaded", job.pk, "alice")]
    grabbed, downloaded = reversed(list(history_list(video=video)))
    assert grabbed.data == {"quality": "480p"}
    data = downloaded.data
    assert (data["quality"], data["height"], data["container"]) == ("480p", 360, "mp4")
    assert (downloaded.title, downloaded.artist_id, downloaded.origin) == (
        "Teardrop",
        video.artist_id,
        "user",
    )


def test_a_failed_download_is_history_with_its_reason(worker, alice, make_video):
    video = make_video("Gone", clip="404/clips/gone.mp4")

    job = wait_for_job(download_submit(video=video, user=alice)[0])

    assert job.status == "failed"
    assert _story(video) == [("grabbed", job.pk, "alice"), ("failed", job.pk, "alice")]
    failed = history_list(video=video, event=Event.FAILED).get()
    assert failed.data["reason"] == job.error
    assert "404" in failed.data["reason"]


def test_each_item_of_a_bulk_download_is_grabbed_with_the_quality(alice, make_video):
    videos = [make_video(f"Song {i}") for i in range(3)]

    bulk = bulk_download_submit(videos=videos, user=alice, quality="720p")

    grabbed = HistoryEvent.objects.filter(event=Event.GRABBED).order_by("video_id")
    assert [(row.video_id, row.job.parent_id) for row in grabbed] == [
        (video.pk, bulk.pk) for video in videos
    ]
    assert {row.data["quality"] for row in grabbed} == {"720p"}


def test_a_bulk_downloads_grabs_say_what_a_single_grab_of_each_item_would(
    alice, make_video, make_artist
):
    source = Source.objects.create(url="https://example.com/channel")
    videos = [
        make_video("", indexed_from=source),  # no title: the history keeps its URL
        make_video("Army of Me", artist="Björk"),
    ]
    bulk_download_submit(videos=videos, user=alice)  # each artist's profile (the default)

    fields = ("video_id", "title", "artist_id", "source_id", "job_id", "user_id", "origin")
    for child in Job.objects.filter(parent__isnull=False).select_related("video"):
        row = HistoryEvent.objects.get(event=Event.GRABBED, job=child)
        single = history_event(
            Event.GRABBED, video=child.video, job=child, data=download_data(child)
        )
        assert [getattr(row, f) for f in fields] == [getattr(single, f) for f in fields]
        assert row.data == single.data and row.data["profile"]
    assert HistoryEvent.objects.get(video=videos[0]).title == videos[0].source_url


def test_a_video_a_person_adds_is_history_with_its_probe(alice, transactional_db):
    video, probe = video_add_and_probe(url="https://example.com/watch?v=army", user=alice)

    row = history_list(video=video).get()
    assert (row.event, row.job_id, row.user, row.origin) == ("added", probe.pk, alice, "user")


def test_an_import_records_each_video_it_adds(worker, alice, media_server):
    job = wait_for_job(probe_submit(user=alice, url=media_server.url("feed/3.xml")))

    assert job.status == "completed", job.error
    added = history_list(event=Event.ADDED)
    assert sorted(row.video_id for row in added) == sorted(job.options["video_ids"])
    assert {(row.job_id, row.user_id) for row in added} == {(job.pk, alice.pk)}


def test_a_deleted_video_keeps_its_title_in_history(boss, make_video, make_artist):
    video = make_video("Army of Me", artist="Björk")

    video_remove(video=video, delete_file=True, user=boss)

    row = HistoryEvent.objects.get(event=Event.DELETED)
    assert (row.video_id, row.title, row.artist_id, row.user) == (
        None,
        "Army of Me",
        make_artist("Björk").pk,
        boss,
    )
    assert row.data == {"delete_file": True}


def test_a_video_found_by_an_index_carries_its_source_into_history(alice, make_video):
    source = Source.objects.create(url="https://example.com/channel/massive")
    video = make_video("Teardrop", indexed_from=source)

    job, _ = download_submit(video=video, user=alice, quality="best")

    row = history_list(source=source).get()
    assert (row.event, row.video_id, row.job_id) == ("grabbed", video.pk, job.pk)

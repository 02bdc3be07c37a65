"""What looking for a source refuses and what it leaves alone: no download without a source,
one search at a time, a taken candidate never reused, and a video added by link untouched by
the dead-source rule."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from jobs import kinds
from jobs.models import Job
from jobs.services import (
    JobConflict,
    SourceResolveRunning,
    VideoIgnored,
    VideoNeedsSource,
    bulk_download_submit,
    download_submit,
    ignore_add,
    probe_submit,
    resolve_submit,
    source_choose,
    video_add_by_name,
)
from jobs.services.errors import JobPermissionError, VideoAlreadyAdded
from jobs.services.resolve import source_died
from jobs.worker.resolve import run_resolve
from videos.models import Video
from videos.services import InvalidSourceUrl, VideoNameTaken


@pytest.fixture
def wanted(alice) -> Video:
    video, _job = video_add_by_name(artist_name="Björk", title="Army of Me", user=alice)
    return video


def test_a_video_added_by_name_has_no_source_and_its_status_says_so(wanted):
    assert (wanted.source_url, wanted.added_without_url, wanted.status) == (
        "",
        True,
        "needs_source",
    )
    (job,) = Job.objects.filter(video=wanted)
    assert (job.kind, job.status, job.origin) == (kinds.SOURCE_RESOLVE, "queued", "user")


def test_the_same_artist_and_title_ignoring_case_is_refused_naming_the_video(wanted, alice):
    with pytest.raises(VideoNameTaken) as refused:
        video_add_by_name(artist_name="  björk ", title="ARMY  OF ME", user=alice)
    assert refused.value.extra == {"video": wanted.pk}
    assert f"video #{wanted.pk}" in str(refused.value)
    assert Video.objects.count() == 1


def test_only_a_video_added_by_name_may_be_without_a_link_in_a_form(db):
    with pytest.raises(ValidationError) as refused:
        Video(source_url="", title="No link").full_clean()
    assert refused.value.message_dict["source_url"] == [
        "Enter the video's web address; only a video added by artist and title may be without one."
    ]
    Video(source_url="", title="No link", added_without_url=True).full_clean()


def test_nothing_is_downloaded_or_probed_without_a_source(wanted, alice, make_video):
    with pytest.raises(VideoNeedsSource, match="no source yet"):
        download_submit(video=wanted, user=alice)
    with pytest.raises(VideoNeedsSource, match="no link to look up"):
        probe_submit(video=wanted, user=alice)
    other = make_video("Hyperballad")
    bulk = bulk_download_submit(videos=[wanted, other], user=alice)
    assert bulk.message == (
        "1 video to download; 1 left out: it has no source yet (look for one on its page, "
        "or download it from Wanted, which looks first)"
    )
    assert [child.video_id for child in bulk.children.all()] == [other.pk]


def test_a_bulk_download_says_in_the_plural_that_videos_without_a_source_were_left_out(
    wanted, alice, make_video
):
    second = make_video("Pagan Poetry", source_url="", added_without_url=True)
    bulk = bulk_download_submit(videos=[wanted, second], user=alice)
    assert bulk.message == (
        "0 videos to download; 2 left out: they have no source yet (look for theirs on their "
        "pages, or download them from Wanted, which looks first)"
    )


def test_one_search_at_a_time_and_none_for_an_ignored_or_downloaded_video(
    wanted, alice, boss, make_video
):
    with pytest.raises(SourceResolveRunning) as running:
        resolve_submit(video=wanted, user=boss)
    assert running.value.extra["job"] == Job.objects.get(video=wanted).pk
    downloaded = make_video("Jóga", status="downloaded", file_path="Björk/Jóga.mp4")
    with pytest.raises(JobConflict, match="already downloaded"):
        resolve_submit(video=downloaded, user=boss)
    Job.objects.filter(video=wanted).update(status="cancelled")
    ignore_add(video=wanted, user=boss)
    wanted.refresh_from_db()
    assert wanted.status == "ignored"
    with pytest.raises(VideoIgnored):
        resolve_submit(video=wanted, user=boss)


def test_choosing_is_for_staff_and_whoever_added_the_video(wanted, bob, make_video):
    with pytest.raises(JobPermissionError):
        source_choose(video=wanted, url="https://v.test/a", user=bob)
    taken = make_video("Taken", source_url="https://v.test/taken")
    with pytest.raises(VideoAlreadyAdded, match=f"video #{taken.pk}"):
        source_choose(video=wanted, url="https://v.test/taken", user=wanted_adder(wanted))
    with pytest.raises(InvalidSourceUrl):
        source_choose(video=wanted, url="javascript:alert(1)", user=wanted_adder(wanted))
    wanted.refresh_from_db()
    assert wanted.source_url == "" and wanted.status == "needs_source"


def wanted_adder(video: Video):
    return Job.objects.get(video=video, kind=kinds.SOURCE_RESOLVE).user


def test_a_candidate_already_in_the_library_is_not_taken_and_says_so(
    wanted, context, settings, media_server, make_video
):
    taken = make_video("Army of Me", source_url=media_server.url("clips/360p.mp4?v=taken"))
    settings.SEARCH_URL = media_server.set_search(
        "Björk Army of Me",
        [{"url": "clips/360p.mp4?v=taken", "title": "Björk - Army of Me", "channel": "björk"}],
    )
    job = Job.objects.get(video=wanted)
    run_resolve(job.pk, context=context)
    job.refresh_from_db()
    wanted.refresh_from_db()
    assert job.status == "completed"
    assert wanted.status == "needs_source"
    (candidate,) = wanted.source_candidates
    assert f"It is already in the library as video #{taken.pk}." in candidate["reasons"]
    assert wanted.source_note.startswith("No source was found")


def test_a_search_that_fails_for_good_fails_the_job_and_says_so_on_the_video(
    wanted, context, settings, internal_service
):
    settings.SEARCH_URL = f"http://127.0.0.1:{internal_service.server_address[1]}/search"
    job = Job.objects.get(video=wanted)
    run_resolve(job.pk, context=context)
    job.refresh_from_db()
    wanted.refresh_from_db()
    assert job.status == "failed" and "MVIDARR_ALLOWED_PRIVATE_HOSTS" in job.error
    assert wanted.status == "needs_source"
    assert wanted.source_note.startswith("Looking for a source failed: MVidarr does not fetch")
    assert internal_service.hits == []


def test_a_dead_source_of_a_video_added_by_link_stays_as_it_was(alice, make_video, make_job):
    video = make_video("By link")
    job = make_job(alice, "failed", video=video)
    assert source_died(video_id=video.pk, url=video.source_url, reason="Gone.", job=job) is None
    video.refresh_from_db()
    assert video.source_url and video.dead_source_urls == []


def test_a_chosen_source_that_dies_is_not_searched_again(wanted, alice, make_job):
    Job.objects.filter(video=wanted).update(status="completed")
    Video.objects.filter(pk=wanted.pk).update(source_url="https://v.test/chosen")
    job = make_job(alice, "failed", video=wanted)
    reason = "The video was not found at https://v.test/chosen (HTTP 404)."
    assert (
        source_died(video_id=wanted.pk, url="https://v.test/chosen", reason=reason, job=job) is None
    )
    wanted.refresh_from_db()
    assert wanted.status == "needs_source" and wanted.dead_source_urls == ["https://v.test/chosen"]
    assert wanted.source_note == (
        f"The source chosen is gone: {reason} Choose another candidate, or give the video's link."
    )
    assert not Job.objects.filter(video=wanted, kind=kinds.SOURCE_RESOLVE, status="queued").exists()

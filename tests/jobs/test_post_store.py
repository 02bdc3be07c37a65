"""After a download is stored, the runner runs the post-store steps; a failing one does not
fail the download."""

from __future__ import annotations

import pytest

from jobs.services import download_submit
from jobs.worker import run_download
from videos.library import PostStoreStep, poststore
from videos.library.streams import stream_details
from videos.models import Video


def test_a_failing_post_store_step_does_not_fail_the_download(
    context, alice, make_video, library_root, monkeypatch
):
    seen = []

    def broken(*, video, video_file):
        seen.append(("broken", (library_root / video_file.path).is_file()))
        raise OSError("disk says no")

    def after(*, video, video_file):
        # The download job still runs (the video reads "downloading" until it finishes);
        # what a step can rely on is the stored file.
        seen.append(("after", (library_root / video_file.path).is_file()))

    monkeypatch.setattr(
        poststore,
        "POST_STORE_STEPS",
        (PostStoreStep("nfo", "Writing the NFO file", broken), PostStoreStep("ok", "OK", after)),
    )
    video = make_video("Roads", clip="clips/240p.mp4")
    job, _ = download_submit(video=video, user=alice)

    run_download(job.pk, context=context)

    job.refresh_from_db()
    video = Video.objects.select_related("file").get(pk=video.pk)
    assert job.status == "completed", job.error
    assert job.message.startswith("Downloaded (")
    assert job.message.endswith("; Writing the NFO file failed (OSError: disk says no).")
    assert video.status == "downloaded" and (library_root / video.file.path).is_file()
    assert seen == [("broken", True), ("after", True)]


def test_a_file_whose_site_says_no_length_gives_the_video_its_duration(
    context, alice, make_video, library_root
):
    """A plain file (the generic extractor) has no duration in yt-dlp's info: the stored
    file's header gives it, so the library can sort by it and show it."""
    video = make_video("Roads", clip="clips/240p.mp4")
    assert video.duration is None
    job, _ = download_submit(video=video, user=alice)

    run_download(job.pk, context=context)

    video = Video.objects.select_related("file").get(pk=video.pk)
    header = stream_details(library_root / video.file.path).duration
    assert header and header > 0
    assert video.duration == pytest.approx(header)


def test_a_known_duration_is_kept_when_the_file_is_stored(context, alice, make_video):
    video = make_video("Roads", clip="clips/240p.mp4", duration=245.0)
    job, _ = download_submit(video=video, user=alice)

    run_download(job.pk, context=context)

    assert Video.objects.get(pk=video.pk).duration == 245.0

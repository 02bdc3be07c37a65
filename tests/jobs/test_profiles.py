"""Downloads follow quality profiles: a real worker, real yt-dlp, the local media server's HLS
master (360p and 720p variants); the stored file's height is measured by ffmpeg."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from jobs.services import bulk_download_submit, download_submit
from tests.jobs.conftest import wait_for_job
from tests.media.clips import ffmpeg_exe
from videos.models import QualityProfile, Video
from videos.profiles import profile_create, profile_update
from videos.ytdlp.downloading import media_streams

HLS = "hls/master.m3u8"


def stored(video: Video, library_root: Path):
    """What ffmpeg finds in the video's stored file."""
    video.refresh_from_db()
    return media_streams(ffmpeg_exe(), library_root / video.file.path)


def profile(name: str, *qualities: str, **fields) -> QualityProfile:
    return profile_create(data={"name": name, "qualities": list(qualities), **fields})


def downloaded(video: Video, user, **kwargs):
    job, _ = download_submit(video=video, user=user, **kwargs)
    job = wait_for_job(job)
    assert job.status == "completed", job.error
    return job


def test_the_artists_profile_decides_when_no_quality_is_given(
    worker, alice, make_artist, make_video, library_root
):
    small = make_artist("Small", quality_profile=profile("SD", "360p"))
    large = make_artist("Large", quality_profile=profile("HD", "720p"))
    sd = make_video("SD", clip=HLS, artist=small, source_id="sd")
    hd = make_video("HD", clip=HLS, artist=large, source_id="hd")

    downloaded(sd, alice)
    downloaded(hd, alice)

    assert stored(sd, library_root).size == (640, 360)
    assert stored(hd, library_root).size == (1280, 720)


def test_the_default_profile_decides_for_a_video_whose_artist_has_none(
    worker, alice, make_artist, make_video, library_root
):
    profile("Small default", "360p", is_default=True)
    video = make_video("No profile", clip=HLS, artist=make_artist("Plain"))

    downloaded(video, alice)

    assert stored(video, library_root).size == (640, 360)


def test_a_given_quality_overrides_the_profile_for_that_job(
    worker, alice, make_artist, make_video, library_root
):
    artist = make_artist("Small", quality_profile=profile("SD", "360p"))
    video = make_video("Override", clip=HLS, artist=artist)

    job = downloaded(video, alice, quality="720p")

    assert job.options["quality"] == "720p"
    assert stored(video, library_root).size == (1280, 720)


def test_a_bulk_download_follows_each_videos_artists_profile(
    worker, alice, make_artist, make_video, library_root
):
    sd = make_video("SD", clip=HLS, artist=make_artist("S", quality_profile=profile("SD", "360p")))
    hd = make_video("HD", clip=HLS, artist=make_artist("L", quality_profile=profile("HD", "720p")))

    bulk = bulk_download_submit(videos=[sd, hd], user=alice)
    for item in bulk.children.all():
        assert wait_for_job(item).status == "completed", item.error

    assert stored(sd, library_root).size[1] == 360
    assert stored(hd, library_root).size[1] == 720


def test_a_queued_job_keeps_the_plan_it_was_submitted_with(
    worker, alice, make_artist, make_video, library_root
):
    sd = profile("SD", "360p")
    video = make_video("Edited", clip=HLS, artist=make_artist("S", quality_profile=sd))

    with transaction.atomic():  # the worker gets the job only once both are committed
        job, _ = download_submit(video=video, user=alice)
        profile_update(profile=sd, data={"qualities": ["720p"]})

    assert wait_for_job(job).status == "completed", job.error
    assert stored(video, library_root).size[1] == 360


def test_an_audio_profile_stores_audio_alone(worker, alice, make_artist, make_video, library_root):
    artist = make_artist("Podcast", quality_profile=profile("Audio", "audio"))
    video = make_video("Talk", clip=HLS, artist=artist)

    downloaded(video, alice)

    streams = stored(video, library_root)
    assert video.file.container in ("m4a", "opus")
    assert video.file.path.endswith(f".{video.file.container}")
    assert streams.audio and not streams.video
    assert video.file.height is None


def test_a_profile_nothing_on_offer_meets_fails_at_once_naming_both(
    worker, alice, make_artist, make_video, library_root
):
    artist = make_artist("Picky", quality_profile=profile("Full HD", "1080p"))
    video = make_video("Too small", clip=HLS, artist=artist)

    job, _ = download_submit(video=video, user=alice)
    job = wait_for_job(job)

    assert job.status == "failed" and job.attempts == 1
    assert job.error == (
        "Nothing this video offers is allowed by the profile “Full HD”: it offers 720p, 360p; "
        "the profile allows 1080p."
    )
    video.refresh_from_db()
    assert video.status == "failed" and video.current_file is None

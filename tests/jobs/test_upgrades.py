"""Upgrades, end to end: a real worker and real yt-dlp against the media server's upgradable
video, whose best height a test raises between two checks. The stored file's height is read
from the file itself by ffmpeg."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from jobs import kinds
from jobs.models import HistoryEvent, Job
from jobs.services import download_submit
from jobs.services.upgrades import upgrade_check_submit, upgrades_check_due
from jobs.worker.upgrade import run_upgrade_check
from tests.jobs.conftest import wait_for_job
from tests.media.clips import ffmpeg_exe
from videos.models import Video
from videos.profiles import profile_create
from videos.wanted import cutoff_unmet_list
from videos.ytdlp.downloading import media_streams

WEEK = datetime.timedelta(days=7)


def real_height(video: Video, library_root: Path) -> int:
    """The height ffmpeg reads in the video's stored file."""
    video.refresh_from_db()
    size = media_streams(ffmpeg_exe(), library_root / video.file.path).size
    assert size is not None, "no video stream in the stored file"
    return size[1]


@pytest.fixture
def hd_artist(make_artist):
    """An artist whose profile wants 720p (its cutoff) and allows upgrades."""
    hd = profile_create(
        data={
            "name": "HD or better",
            "qualities": ["1080p", "720p", "480p", "360p"],
            "cutoff": "720p",
            "upgrade_allowed": True,
        }
    )
    return make_artist("Björk", quality_profile=hd)


@pytest.fixture
def at_360p(worker, alice, hd_artist, make_video, media_server, library_root, request):
    """A video downloaded when its source offered 360p alone: below its cutoff."""
    source = media_server.upgradable(request.node.name).offer(360)
    video = make_video("Army of Me", artist=hd_artist, source_url=source.url)
    job, _ = download_submit(video=video, user=alice)
    assert wait_for_job(job).status == "completed", job.error
    assert real_height(video, library_root) == 360
    assert list(cutoff_unmet_list()) == [video]
    return video, source


def check_now(now: datetime.datetime) -> list[Job]:
    """One scheduled run at ``now``; its checks, waited for."""
    run = upgrades_check_due(now=now, limit=100)
    return [wait_for_job(job) for job in run.jobs]


def upgrade_of(video: Video) -> Job:
    downloads = Job.objects.filter(video=video, kind=kinds.VIDEO_DOWNLOAD).order_by("-id")
    return wait_for_job(downloads.first())


def test_a_better_format_offered_later_replaces_the_360p_file_with_a_720p_one(
    at_360p, library_root
):
    video, source = at_360p
    now = timezone.now()

    [nothing] = check_now(now)
    assert (nothing.status, nothing.message) == (
        "completed",
        "No better source: nothing above its 360p is on offer (it offers 360p).",
    )

    source.offer(360, 720)
    assert check_now(now + datetime.timedelta(days=6)) == []  # checked less than a week ago
    [found] = check_now(now + WEEK)

    assert found.status == "completed", found.error
    assert found.message.startswith("720p is on offer, better than its 360p: upgrade queued")
    upgrade = upgrade_of(video)
    assert upgrade.status == "completed", upgrade.error
    assert upgrade.options["force"] is True
    assert upgrade.options["allowed"] == ["1080p", "720p", "480p"]  # all above 360p
    assert real_height(video, library_root) == 720
    media = Path(video.file.path)
    assert sorted(p.name for p in (library_root / "Björk").iterdir()) == sorted(
        [media.name, f"{media.stem}.nfo", f"{media.stem}-thumb.jpg", "artist.nfo"]
    )  # the 360p file is gone, replaced; its sidecars are the new file's
    upgraded = HistoryEvent.objects.get(event="upgraded", video=video)
    assert (upgraded.data["old_quality"], upgraded.data["new_quality"]) == ("360p", "720p")
    assert upgraded.job_id == upgrade.pk
    assert not cutoff_unmet_list().exists()


def test_a_failed_upgrade_download_keeps_the_360p_file(at_360p, library_root):
    video, source = at_360p
    source.offer(360, 720, broken=(720,))  # the 720p variant is listed, its playlist is gone

    [found] = check_now(timezone.now())
    assert found.message.startswith("720p is on offer")
    upgrade = upgrade_of(video)

    assert upgrade.status == "failed"
    video.refresh_from_db()
    assert video.status == Video.Status.DOWNLOADED
    assert real_height(video, library_root) == 360
    assert not (library_root / ".incoming" / str(upgrade.pk)).exists()
    assert not HistoryEvent.objects.filter(event="upgraded").exists()
    assert HistoryEvent.objects.filter(event="failed", job=upgrade).exists()
    assert list(cutoff_unmet_list()) == [video]  # still below its cutoff: checked again later


def test_a_check_whose_source_is_gone_fails_with_the_reason_and_keeps_the_file(
    context, boss, hd_artist, make_video, media_server
):
    video = make_video(
        "Gone",
        artist=hd_artist,
        source_url=media_server.url("404/gone.mp4"),
        status=Video.Status.DOWNLOADED,
        file_path="Björk/Gone.mp4",
        height=360,
    )
    job = upgrade_check_submit(video=video, user=boss)

    run_upgrade_check(job.pk, context=context)

    job.refresh_from_db()
    assert job.status == "failed"
    assert "404" in job.error
    assert not Job.objects.filter(kind=kinds.VIDEO_DOWNLOAD).exists()
    assert list(cutoff_unmet_list()) == [video]  # checked again in a week


def test_a_check_retries_a_source_that_fails_for_a_moment(
    context, boss, hd_artist, make_video, media_server, request
):
    source = media_server.upgradable(request.node.name).offer(360, 720)
    flaky = source.url.replace("/upgradable/", f"/fail/1/{request.node.name}/upgradable/")
    video = make_video(
        "Flaky",
        artist=hd_artist,
        source_url=flaky,
        status=Video.Status.DOWNLOADED,
        file_path="Björk/Flaky.mp4",
        height=360,
    )
    job = upgrade_check_submit(video=video, user=boss)

    run_upgrade_check(job.pk, context=context)
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("queued", 1)  # a 500: back in the queue
    run_upgrade_check(job.pk, context=context)

    job.refresh_from_db()
    assert job.status == "completed", job.error
    assert job.message.startswith("720p is on offer, better than its 360p: upgrade queued")

"""Downloads end to end: a real worker, real yt-dlp, the local media server."""

import os
import subprocess
from pathlib import Path

import dramatiq
import pytest

from jobs import live
from jobs.models import Job
from jobs.services import bulk_download_submit, download_submit, job_cancel, job_retry
from jobs.worker import run_download
from tests.fixtures import forget_worker
from tests.jobs.conftest import wait_for_job
from tests.media.clips import make_sized_clip
from tests.media.server import EVIL_TITLES
from tests.support import wait_until
from tests.videos.test_library_templates import todays_relative_path
from videos.library.sidecars import ARTIST_FILES, SIDECAR_KINDS
from videos.models import Artist, Video
from videos.naming import naming_template_set


def library_files(root: Path) -> list[Path]:
    """The media files in the library: its sidecars and artist files aside (a download writes
    them after storing the file; tests/jobs/test_sidecars.py checks them)."""
    sidecar_suffixes = tuple(kind.suffix for kind in SIDECAR_KINDS)
    return [
        p
        for p in root.rglob("*")
        if p.is_file()
        and ".incoming" not in p.parts
        and p.name not in ARTIST_FILES
        and not p.name.endswith(sidecar_suffixes)
    ]


def incoming_left(root: Path) -> list[Path]:
    incoming = root / ".incoming"
    return list(incoming.iterdir()) if incoming.exists() else []


def failed_download(video: Video, user, library_root: Path) -> Job:
    """Download ``video`` for ``user`` to its end, which must be a failure that leaves no file
    in the library nor in its incoming folder; the job, refreshed."""
    job, _ = download_submit(video=video, user=user)
    job = wait_for_job(job)
    assert job.status == "failed"
    assert library_files(library_root) == [] and incoming_left(library_root) == []
    return job


@pytest.mark.parametrize(("quality", "height"), [("720p", 720), ("480p", 360), ("best", 720)])
def test_a_quality_cap_picks_the_best_format_at_or_under_it(
    worker, alice, make_video, library_root, quality, height
):
    video = make_video(clip="hls/master.m3u8", title=f"Cap {quality}")
    job, _ = download_submit(video=video, user=alice, quality=quality)
    job = wait_for_job(job)
    video.refresh_from_db()
    assert job.status == "completed", job.error
    assert video.file.height == height
    assert (library_root / video.file.path).stat().st_size == video.file.size


def test_the_file_goes_to_artist_and_title_with_the_source_id(
    worker, alice, make_video, library_root
):
    artist = Artist.objects.create(name="Massive Attack")
    video = make_video(title="Teardrop", artist=artist, source_id="tdrop")
    job, _ = download_submit(video=video, user=alice)
    assert wait_for_job(job).status == "completed"
    video.refresh_from_db()
    assert video.file.path == "Massive Attack/Teardrop [tdrop].mp4"
    assert library_files(library_root) == [library_root / video.file.path]


@pytest.mark.parametrize("slug", ["separators", "long-multibyte", "con"])
def test_a_download_with_the_default_templates_lands_exactly_where_it_did_before_them(
    worker, alice, make_video, library_root, slug
):
    title = EVIL_TITLES[slug]
    video = make_video(title=title, artist="AC/DC: Live", source_id="id/1")
    job, _ = download_submit(video=video, user=alice)
    assert wait_for_job(job).status == "completed", job.error
    video.refresh_from_db()
    before = todays_relative_path(artist="AC/DC: Live", title=title, source_id="id/1", ext="mp4")
    assert video.file.path == before.as_posix()
    assert library_files(library_root) == [library_root / before]


def test_a_download_goes_where_the_naming_templates_in_force_say(
    worker, alice, boss, make_video, library_root
):
    naming_template_set(artist_folder="{artist}", file="{title} ({year})", user=boss)
    video = make_video(title="Teardrop", artist="Massive Attack", source_id="tdrop")
    job, _ = download_submit(video=video, user=alice)
    assert wait_for_job(job).status == "completed", job.error
    video.refresh_from_db()
    assert video.file.path == "Massive Attack/Teardrop.mp4"  # no year: no "()"
    assert library_files(library_root) == [library_root / "Massive Attack/Teardrop.mp4"]


def test_a_forced_redownload_replaces_the_file_in_place(worker, alice, make_video, library_root):
    video = make_video(clip="hls/master.m3u8", title="Again", source_id="again")
    first, _ = download_submit(video=video, user=alice, quality="360p")
    assert wait_for_job(first).status == "completed"
    video.refresh_from_db()
    assert video.file.height == 360
    second, _ = download_submit(video=video, user=alice, quality="720p", force=True)
    assert wait_for_job(second).status == "completed", second.error
    video.refresh_from_db()
    assert video.file.height == 720
    assert library_files(library_root) == [library_root / video.file.path]


def test_a_transient_fault_is_retried_by_the_job_until_it_succeeds(
    worker, alice, make_video, library_root
):
    # The page extracts fine; the media fails three times, more than yt-dlp's own retries
    # (1 in tests) can absorb, so only the job-level retry saves it.
    video = make_video(clip="embed/fail/3/transient-ok/clips/360p.mp4", title="Flaky")
    job, _ = download_submit(video=video, user=alice)
    job = wait_for_job(job)
    assert job.status == "completed", job.error
    assert job.attempts >= 2
    assert incoming_left(library_root) == []


def test_a_transient_fault_that_never_clears_fails_after_the_last_attempt(
    worker, alice, make_video, library_root
):
    video = make_video(clip="fail/1000/transient-forever/clips/360p.mp4", title="Down")
    job = failed_download(video, alice, library_root)
    video.refresh_from_db()
    assert job.attempts == 3
    assert "Gave up after 3 attempts" in job.error
    assert video.status == "failed"


def test_a_missing_video_fails_at_once_with_a_reason_a_person_can_read(
    worker, alice, make_video, library_root
):
    video = make_video(clip="404/clips/gone.mp4", title="Gone")
    job = failed_download(video, alice, library_root)
    assert job.attempts == 1
    assert "404" in job.error and job.error.endswith(".")


def test_a_server_that_drops_mid_stream_leaves_nothing_in_the_library(
    worker, alice, make_video, library_root
):
    video = make_video(clip="drop/clips/720p.mp4", title="Dropped")
    job = failed_download(video, alice, library_root)
    assert job.error


def test_cancelling_a_running_download_stops_it_and_removes_its_files(
    worker, alice, make_video, library_root
):
    video = make_video(clip="slow/10000/clips/720p.mp4", title="Slow")
    job, _ = download_submit(video=video, user=alice)

    def downloading() -> bool:
        job.refresh_from_db()
        return job.status == "processing" and any((library_root / ".incoming").rglob("*.*"))

    wait_until(downloading, timeout=30, message="the download never started")
    job_cancel(job=job, user=alice)
    job = wait_for_job(job)
    video.refresh_from_db()
    assert job.status == "cancelled"
    assert video.status == "wanted"
    assert library_files(library_root) == [] and incoming_left(library_root) == []


def test_a_job_cancelled_while_queued_never_runs(transactional_db, alice, make_video, fast_jobs):
    video = make_video(title="Never")
    job, _ = download_submit(video=video, user=alice)
    job_cancel(job=job, user=alice)
    broker = dramatiq.get_broker()
    worker = dramatiq.Worker(broker, worker_threads=2, worker_timeout=100)
    worker.start()
    try:
        broker.join("interactive", timeout=30_000)
    finally:
        worker.stop()
        forget_worker(broker)
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert job.started_at is None


@pytest.mark.parametrize("slug", sorted(EVIL_TITLES))
def test_evil_titles_stay_inside_the_library(worker, alice, make_video, library_root, slug):
    video = make_video(title=EVIL_TITLES[slug].replace("\x00", ""), source_id="../../x")
    job, _ = download_submit(video=video, user=alice)
    assert wait_for_job(job).status == "completed", job.error
    video.refresh_from_db()
    files = library_files(library_root)
    assert len(files) == 1
    assert files[0].resolve().is_relative_to(library_root.resolve())
    assert all(len(part.encode()) <= 255 for part in files[0].parts)


def test_too_little_free_space_fails_before_downloading(
    worker, alice, make_video, library_root, monkeypatch
):
    monkeypatch.setenv("MVIDARR_MIN_FREE_MB", "100000000")  # 100 TB
    video = make_video(title="Big")
    job, _ = download_submit(video=video, user=alice)
    job = wait_for_job(job)
    assert job.status == "failed"
    assert job.error.startswith("Not enough disk space")
    assert job.attempts == 1


@pytest.fixture
def tiny_library(settings, tmp_path):
    """A library on a 300 kB tmpfs: a write fails part way with ENOSPC."""
    root = tmp_path / "tiny"
    root.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", str(root)], capture_output=True
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.decode().strip()}")
    settings.LIBRARY_ROOT = root
    yield root
    subprocess.run(["umount", "-l", str(root)], check=False)


def test_a_write_that_fails_part_way_ends_cleanly_with_the_reason(
    tiny_library, worker, alice, make_video, media_root
):
    big = media_root / "clips" / "big-2mb.mp4"
    if not big.exists():
        make_sized_clip(big, 2_000_000)
    video = make_video(clip="clips/big-2mb.mp4", title="Too big")
    assert os.statvfs(tiny_library).f_bavail * os.statvfs(tiny_library).f_frsize < 400_000
    job, _ = download_submit(video=video, user=alice)
    job = wait_for_job(job)
    assert job.status == "failed"
    assert "disk space" in job.error
    assert library_files(tiny_library) == [] and incoming_left(tiny_library) == []


def test_a_bulk_job_with_one_bad_item_fails_with_a_summary_and_its_retry_completes(
    worker, alice, make_video, library_root, media_server
):
    good = [make_video(title=f"Good {i}", source_id=f"g{i}") for i in range(3)]
    bad = make_video(clip="404/clips/missing.mp4", title="Bad one")
    bulk = bulk_download_submit(videos=[*good, bad], user=alice)
    bulk = wait_for_job(bulk)
    assert bulk.status == "failed"
    assert bulk.error.startswith("1 of 4 failed: Bad one:")
    assert bulk.progress == 100
    assert len(library_files(library_root)) == 3

    # The link is fixed; retrying the bulk job retries only its failed child.
    Video.objects.filter(pk=bad.pk).update(source_url=media_server.url("clips/240p.mp4"))
    job_retry(job=bulk, user=alice)
    bulk = wait_for_job(bulk)
    assert bulk.status == "completed", bulk.error
    assert len(library_files(library_root)) == 4
    assert Job.objects.filter(parent=bulk, attempts__gt=0).count() == 4


def test_retrying_the_failed_item_of_a_bulk_job_completes_the_bulk_job_too(
    worker, alice, make_video, media_server
):
    good = make_video(title="Good", source_id="retry-item-good")
    bad = make_video(clip="404/clips/missing.mp4", title="Bad item")
    bulk = wait_for_job(bulk_download_submit(videos=[good, bad], user=alice))
    assert bulk.status == "failed"

    Video.objects.filter(pk=bad.pk).update(source_url=media_server.url("clips/240p.mp4"))
    item = Job.objects.get(parent=bulk, video=bad)
    assert wait_for_job(job_retry(job=item, user=alice)).status == "completed"

    # The item's worker finishes the bulk job just after the item: wait for that too.
    bulk = wait_for_job(bulk)
    assert (bulk.status, bulk.message, bulk.error) == ("completed", "All 2 downloaded", "")


def test_a_rate_limited_site_is_backed_off_and_the_job_still_completes(
    worker, alice, make_video, settings
):
    settings.HOST_BACKOFF_SECONDS = 1
    video = make_video(clip="embed/ratelimit/1/rate-limited/clips/240p.mp4", title="Busy site")
    job, _ = download_submit(video=video, user=alice)
    job = wait_for_job(job)
    assert job.status == "completed", job.error
    assert job.attempts == 2


def test_a_429_backs_off_the_whole_host_without_spending_attempts(
    context, alice, make_video, settings, media_server
):
    settings.HOST_BACKOFF_SECONDS = 60
    limited = make_video(clip="embed/ratelimit/5/backoff-host/clips/240p.mp4", title="Limited")
    other = make_video(clip="clips/240p.mp4", title="Same site")
    first, _ = download_submit(video=limited, user=alice)
    second, _ = download_submit(video=other, user=alice)

    run_download(first.pk, context=context)
    first.refresh_from_db()
    assert (first.status, first.attempts) == ("queued", 1)
    assert live.host_backoff_remaining("127.0.0.1") > 30

    # Another video on the same site waits for the back-off: not claimed, no attempt spent.
    run_download(second.pk, context=context)
    second.refresh_from_db()
    assert (second.status, second.attempts) == ("queued", 0)

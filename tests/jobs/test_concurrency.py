"""Concurrency proven by structure: a server that holds responses until K are open."""

import pytest

from jobs.services import bulk_download_submit, download_submit
from tests.fixtures import running_worker
from tests.jobs.conftest import wait_for_job
from videos.models import Video


@pytest.fixture
def wide_worker(transactional_db, fast_jobs, monkeypatch):
    """One worker process (this one) with 60 threads."""
    monkeypatch.setenv("MVIDARR_PER_HOST_LIMIT", "100")
    with running_worker(threads=60) as worker:
        yield worker


def test_one_worker_process_holds_fifty_downloads_open_at_once(
    wide_worker, alice, make_video, media_server, library_root
):
    # Every response is held until 50 requests of the group are open together: the jobs
    # can only finish if the one worker process really runs 50 downloads at the same time.
    videos = [
        make_video(f"Clip {i}", clip=f"hold/50/fifty/clips/240p.mp4?n={i}", source_id=f"c{i}")
        for i in range(50)
    ]
    jobs = [download_submit(video=v, user=alice)[0] for v in videos]
    for job in jobs:
        assert wait_for_job(job, timeout=120).status == "completed", job.error
    assert media_server.max_concurrent("fifty") >= 50
    assert len(list(library_root.rglob("*.mp4"))) == 50


def test_the_per_host_limit_caps_simultaneous_downloads_from_one_site(
    worker, alice, media_server, monkeypatch
):
    monkeypatch.setenv("MVIDARR_PER_HOST_LIMIT", "2")
    videos = [
        Video.objects.create(
            # "localhost": a host name no other test downloads from, so its counter is ours.
            source_url=media_server.url(
                f"embed/slow/200000/clips/360p.mp4?host-limit={i}", host="localhost"
            ),
            title=f"Limited {i}",
            source_id=f"l{i}",
        )
        for i in range(6)
    ]
    bulk = bulk_download_submit(videos=videos, user=alice)
    assert wait_for_job(bulk, timeout=120).status == "completed", bulk.error
    # The worker has 16 threads; the limit, not the threads, kept it to two at a time.
    assert media_server.max_concurrent_host(f"localhost:{media_server.port}") == 2

"""Workers as real processes: killed, stopped and restarted, nothing is lost or doubled."""

import signal
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.conf import settings

from jobs.models import Job
from jobs.services import download_submit
from tests.jobs.conftest import wait_for_job
from tests.jobs.test_downloads import library_files
from tests.processes import start_worker
from tests.support import wait_until


@pytest.fixture
def processes():
    started = []
    yield started
    for process in started:
        process.stop()


def wait_until_downloading(job, library_root) -> None:
    def downloading() -> bool:
        job.refresh_from_db()
        partial = any((library_root / ".incoming" / str(job.pk)).glob("*"))
        return job.status == "processing" and partial

    wait_until(downloading, timeout=60, message=f"job {job.pk} never started downloading")


def thread_niceness(pid: int) -> set[int]:
    """The niceness of every thread of process ``pid`` (Linux counts it per thread)."""
    values = set()
    for stat in Path(f"/proc/{pid}/task").glob("*/stat"):
        fields = stat.read_text().rsplit(")", 1)[1].split()
        values.add(int(fields[16]))  # field 19 of stat(5), counted after the command's name
    return values


def workers_seen() -> int:
    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        return client.zcard("mvidarr:__heartbeats__")
    finally:
        client.close()


def test_a_killed_workers_job_is_finished_by_a_restarted_worker_with_one_file(
    transactional_db, fast_jobs, alice, make_video, library_root, processes, tmp_path
):
    video = make_video(clip="slow/8000/clips/720p.mp4", title="Survivor", source_id="surv")
    job, _ = download_submit(video=video, user=alice)
    first = start_worker(tmp_path / "first.log", MVIDARR_JOB_STALE_AFTER="3")
    processes.append(first)
    wait_until_downloading(job, library_root)

    first.signal_group(signal.SIGKILL)  # no chance to clean up or report
    first.popen.wait(10)
    job.refresh_from_db()
    assert job.status == "processing"

    second = start_worker(
        tmp_path / "second.log", MVIDARR_JOB_STALE_AFTER="3", MVIDARR_BROKER_HEARTBEAT_MS="2000"
    )
    processes.append(second)
    job = wait_for_job(job, timeout=90)
    assert job.status == "completed", f"{job.error}\n{second.output()}"
    video.refresh_from_db()
    assert library_files(library_root) == [library_root / video.file.path]
    assert not (library_root / ".incoming" / str(job.pk)).exists()


def test_stopping_a_worker_gives_its_running_download_back_to_the_queue(
    transactional_db, fast_jobs, alice, make_video, library_root, processes, tmp_path
):
    video = make_video(clip="slow/8000/clips/720p.mp4", title="Handed back", source_id="back")
    job, _ = download_submit(video=video, user=alice)
    first = start_worker(tmp_path / "first.log")
    processes.append(first)
    wait_until_downloading(job, library_root)

    # What honcho and `docker stop` do: SIGTERM to the main process, which passes it on to
    # its worker processes (a second SIGTERM straight to those would make them exit at once).
    first.popen.send_signal(signal.SIGTERM)
    assert first.popen.wait(30) is not None
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED, first.output()
    assert job.attempts == 0  # a stopped worker costs the job no attempt
    assert not (library_root / ".incoming" / str(job.pk)).exists()

    second = start_worker(tmp_path / "second.log")
    processes.append(second)
    job = wait_for_job(job, timeout=90)
    assert job.status == "completed", f"{job.error}\n{second.output()}"
    assert len(library_files(library_root)) == 1


def test_two_worker_processes_share_the_work_and_run_no_job_twice(
    transactional_db, fast_jobs, alice, make_video, media_server, library_root, processes, tmp_path
):
    # One thread per worker, and the server holds every response until two downloads are
    # open at once: the jobs can only finish if both processes took work.
    videos = [
        make_video(
            f"Shared {i}", clip=f"hold/2/two-workers/clips/240p.mp4?v={i}", source_id=f"shared{i}"
        )
        for i in range(4)
    ]
    jobs = [download_submit(video=v, user=alice)[0] for v in videos]
    for name in ("a", "b"):
        processes.append(start_worker(tmp_path / f"worker-{name}.log", threads=1))

    for job in jobs:
        job = wait_for_job(job, timeout=90)
        assert job.status == "completed", f"{job.error}\n{processes[0].output()}"
    finished = Job.objects.filter(pk__in=[j.pk for j in jobs])
    assert media_server.max_concurrent("two-workers") >= 2
    assert {job.attempts for job in finished} == {1}
    assert len({job.worker.rsplit(":", 1)[0] for job in finished}) == 2  # host:pid of each
    assert len([p for p in library_root.rglob("*.mp4")]) == 4
    # Each worker process runs below the web's CPU priority (MVIDARR_WORKER_NICE's default),
    # every thread of it, and only once lowered (Dramatiq's worker process is a fork).
    for pid in {int(job.worker.split(":")[1]) for job in finished}:
        assert thread_niceness(pid) == {10}


LOWER_TWICE = """
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mvidarr.settings")
django.setup()
from jobs.middleware import lower_priority
print(lower_priority(10), lower_priority(10), lower_priority(5), lower_priority(0))
"""


def test_a_worker_lowered_twice_runs_at_its_niceness_not_below():
    """A worker started from a process already lowered (Dramatiq forks its worker process
    from the main one; a niced shell) keeps the niceness asked for, not the sum."""
    done = subprocess.run(
        [sys.executable, "-c", LOWER_TWICE],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.split() == ["10", "10", "10", "10"]

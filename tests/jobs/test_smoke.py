from jobs.services import download_submit
from tests.jobs.conftest import wait_for_job


def test_a_submitted_download_lands_in_the_library(worker, alice, make_video, library_root):
    video = make_video(title="Army of Me")
    job, created = download_submit(video=video, user=alice)
    assert created
    job = wait_for_job(job)
    assert job.status == "completed", job.error
    video.refresh_from_db()
    assert video.status == "downloaded"
    assert (library_root / video.file.path).is_file()
    assert not (library_root / ".incoming" / str(job.pk)).exists()

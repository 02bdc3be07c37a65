"""The job services: what they record and refuse, without a worker running."""

import pytest
from django.contrib.auth import get_user_model

from jobs.models import Job
from jobs.services import (
    JobConflict,
    JobError,
    JobPermissionError,
    JobStateError,
    bulk_download_submit,
    download_submit,
    job_cancel,
    job_hide,
    job_retry,
    probe_submit,
)
from videos.models import Video, VideoFile


@pytest.fixture
def video(transactional_db):
    return Video.objects.create(source_url="http://127.0.0.1:9/clip.mp4", title="Song")


def test_submitting_records_a_queued_job_with_a_message_id(alice, video):
    job, created = download_submit(video=video, user=alice, quality="720p")
    job.refresh_from_db()
    video.refresh_from_db()
    assert created
    assert (job.status, job.options) == ("queued", {"quality": "720p", "force": False})
    assert job.message_id
    assert video.status == "queued"


def test_submitting_twice_returns_the_same_active_job(alice, video):
    first, _ = download_submit(video=video, user=alice)
    second, created = download_submit(video=video, user=alice)
    assert second.pk == first.pk
    assert not created
    assert Job.objects.count() == 1


def test_another_users_active_job_is_a_conflict(alice, bob, video):
    download_submit(video=video, user=alice)
    with pytest.raises(JobConflict, match="Another user is already downloading"):
        download_submit(video=video, user=bob)


def test_a_downloaded_video_is_not_downloaded_again_unless_forced(alice, video):
    Video.objects.filter(pk=video.pk).update(status="downloaded")
    VideoFile.objects.create(video=video, path="A/b.mp4")
    with pytest.raises(JobConflict, match="already downloaded"):
        download_submit(video=video, user=alice)
    job, created = download_submit(video=video, user=alice, force=True)
    assert created and job.options["force"] is True


def test_an_unknown_quality_is_refused(alice, video):
    with pytest.raises(JobError, match="Unknown quality '4k'"):
        download_submit(video=video, user=alice, quality="4k")


def test_cancelling_a_queued_job_ends_it_at_once(alice, video):
    job, _ = download_submit(video=video, user=alice)
    job = job_cancel(job=job, user=alice)
    video.refresh_from_db()
    assert job.status == "cancelled"
    assert job.finished_at is not None
    assert video.status == "wanted"


def test_cancelling_a_finished_job_says_it_has_finished(alice, video):
    job, _ = download_submit(video=video, user=alice)
    job_cancel(job=job, user=alice)
    with pytest.raises(JobStateError, match="already finished"):
        job_cancel(job=job, user=alice)


def test_a_user_cannot_act_on_another_users_job_but_staff_can(alice, bob, video):
    job, _ = download_submit(video=video, user=alice)
    with pytest.raises(JobPermissionError):
        job_cancel(job=job, user=bob)
    staff = get_user_model().objects.create_user("root", password="x", is_staff=True)
    assert job_cancel(job=job, user=staff).status == "cancelled"


def test_cancelling_a_running_job_asks_its_worker_to_stop(alice, video, redis_client):
    job, _ = download_submit(video=video, user=alice)
    Job.objects.filter(pk=job.pk).update(status="processing")
    job.refresh_from_db()
    job = job_cancel(job=job, user=alice)
    assert job.status == "processing"
    assert job.cancel_requested
    assert redis_client.exists(f"mvidarr:job:{job.pk}:cancel")


def test_only_failed_or_cancelled_jobs_can_be_retried(alice, video):
    job, _ = download_submit(video=video, user=alice)
    with pytest.raises(JobStateError, match="Only failed or cancelled jobs"):
        job_retry(job=job, user=alice)
    job_cancel(job=job, user=alice)
    job.refresh_from_db()
    job_retry(job=job, user=alice)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == ("queued", 0, "")


def test_retrying_while_another_job_downloads_the_video_is_a_conflict(alice, video):
    old, _ = download_submit(video=video, user=alice)
    job_cancel(job=old, user=alice)
    download_submit(video=video, user=alice)
    old.refresh_from_db()
    with pytest.raises(JobConflict):
        job_retry(job=old, user=alice)


def test_hiding_needs_a_finished_job_and_hides_its_children(alice, video):
    other = Video.objects.create(source_url="http://127.0.0.1:9/other.mp4")
    bulk = bulk_download_submit(videos=[video, other], user=alice)
    with pytest.raises(JobStateError, match="Cancel this job before hiding it"):
        job_hide(job=bulk, user=alice)
    job_cancel(job=bulk, user=alice)
    bulk.refresh_from_db()
    job_hide(job=bulk, user=alice)
    assert set(Job.objects.values_list("hidden", flat=True)) == {True}


def test_a_bulk_job_has_one_child_per_video_on_the_bulk_queue(alice, video):
    other = Video.objects.create(source_url="http://127.0.0.1:9/other.mp4")
    done = Video.objects.create(source_url="http://127.0.0.1:9/done.mp4", status="downloaded")
    bulk = bulk_download_submit(videos=[video, other, done], user=alice, quality="480p")
    children = list(bulk.children.all())
    assert bulk.status == "processing"
    assert sorted(c.video_id for c in children) == sorted([video.pk, other.pk])
    assert {c.options["quality"] for c in children} == {"480p"}
    assert "1 skipped" in bulk.message


def test_cancelling_a_bulk_job_cancels_its_unfinished_children(alice, video):
    other = Video.objects.create(source_url="http://127.0.0.1:9/other.mp4")
    bulk = bulk_download_submit(videos=[video, other], user=alice)
    job_cancel(job=bulk, user=alice)
    statuses = set(bulk.children.values_list("status", flat=True))
    bulk.refresh_from_db()
    assert bulk.status == "cancelled"
    assert statuses == {"cancelled"}


def test_a_probe_needs_a_video_or_a_url(alice):
    with pytest.raises(JobError):
        probe_submit(user=alice)
    job = probe_submit(user=alice, url="http://127.0.0.1:9/feed.xml")
    assert job.kind == "metadata_probe"
    assert job.options == {"import": True, "url": "http://127.0.0.1:9/feed.xml"}

"""Admin: live progress on the job pages, and actions that call the same services as the API."""

from __future__ import annotations

from django.contrib.admin import helpers
from django.urls import reverse

from jobs.models import Job

JOBS = reverse("admin:jobs_job_changelist")
VIDEOS = reverse("admin:videos_video_changelist")


def act(client, url: str, action: str, objects, **extra):
    data = {"action": action, helpers.ACTION_CHECKBOX_NAME: [o.pk for o in objects], **extra}
    return client.post(url, data, follow=True)


def test_the_job_changelist_and_page_follow_the_live_feed(logged_in, root, alice, make_job):
    job = make_job(alice, "processing", progress=12)
    client = logged_in(root)
    for url in [JOBS, reverse("admin:jobs_job_change", args=[job.pk])]:
        body = client.get(url).content.decode()
        assert "mvidarr/js/live.js" in body
        assert f'<progress class="job-progress" data-job-id="{job.pk}"' in body
        assert f'data-job-id="{job.pk}" data-job-field="status">Running</span>' in body


def test_cancel_selected_jobs_cancels_and_names_those_that_could_not_be(
    logged_in, root, alice, make_job
):
    queued, done = make_job(alice, "queued"), make_job(alice, "completed")
    response = act(logged_in(root), JOBS, "cancel_selected", [queued, done])
    body = response.content.decode()
    queued.refresh_from_db()
    assert queued.status == "cancelled"
    assert "Cancelled or cancelling 1 job." in body
    assert f"Job #{done.pk}: This job has already finished (completed)." in body


def test_retry_selected_jobs_queues_failed_ones_and_names_the_rest(
    logged_in, root, alice, make_job
):
    failed, running = make_job(alice, "failed"), make_job(alice, "processing")
    body = act(logged_in(root), JOBS, "retry_selected", [failed, running]).content.decode()
    failed.refresh_from_db()
    assert failed.status == "queued"
    assert "Retrying 1 job." in body
    assert f"Job #{running.pk}: Only failed or cancelled jobs can be retried" in body


def test_download_selected_videos_asks_for_a_quality_first(logged_in, root, make_video):
    videos = [make_video("One"), make_video("Two")]
    response = act(logged_in(root), VIDEOS, "download_selected", videos)
    body = response.content.decode()
    assert "<h1>Download 2 selected videos</h1>" in body
    assert '<select name="quality"' in body
    assert not Job.objects.exists()


def test_download_selected_videos_starts_one_download_each_and_reports_refusals(
    logged_in, root, make_video
):
    fresh = make_video("One")
    downloaded = make_video("Two", status="downloaded", file_path="two.mp4")
    response = act(
        logged_in(root), VIDEOS, "download_selected", [fresh, downloaded], apply="1", quality="360p"
    )
    body = response.content.decode()
    job = Job.objects.get()
    assert (job.video, job.options["quality"], job.user) == (fresh, "360p", root)
    assert "Started 1 download (360p)." in body
    assert "“Two”: This video is already downloaded" in body


def test_download_selected_with_an_unknown_quality_shows_the_form_again(
    logged_in, root, make_video
):
    video = make_video("One")
    body = act(
        logged_in(root), VIDEOS, "download_selected", [video], apply="1", quality="8k"
    ).content.decode()
    assert "Select a valid choice." in body
    assert not Job.objects.exists()

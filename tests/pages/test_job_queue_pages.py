"""Handling the queue and its history at once (issue 20): "Clear finished", "Retry all
failed", the routine jobs left out of the finished list, and "Cancel" on the video page and
in the downloads panel."""

from __future__ import annotations

from jobs.models import Job


def finished_part(body: str) -> str:
    return body.split('data-job-list="finished"')[1]


def test_clear_finished_hides_the_persons_finished_jobs_and_keeps_the_rest(
    logged_in, alice, bob, make_job
):
    done, failed = make_job(alice, "completed"), make_job(alice, "failed")
    running, bobs = make_job(alice, "processing"), make_job(bob, "completed")
    response = logged_in(alice).post("/jobs/clear-finished/", follow=True)
    body = response.content.decode()
    assert "Cleared 2 finished jobs (the admin still lists them)." in body
    assert f'data-job-row="{done.pk}"' not in body and f'data-job-row="{failed.pk}"' not in body
    assert f'data-job-row="{running.pk}"' in body
    hidden = set(Job.objects.filter(hidden=True).values_list("pk", flat=True))
    assert hidden == {done.pk, failed.pk}
    assert not Job.objects.get(pk=bobs.pk).hidden


def test_staff_clear_everyones_finished_jobs_with_a_bulk_jobs_items(
    logged_in, alice, boss, make_job
):
    bulk = make_job(alice, "completed", kind="bulk_video_download", options={"video_ids": []})
    item = make_job(alice, "completed", parent=bulk)
    logged_in(boss).post("/jobs/clear-finished/")
    assert Job.objects.filter(pk__in=[bulk.pk, item.pk], hidden=True).count() == 2


def test_clear_finished_with_nothing_finished_says_so(logged_in, alice, make_job):
    make_job(alice, "queued")
    body = logged_in(alice).post("/jobs/clear-finished/", follow=True).content.decode()
    assert "There were no finished jobs to clear." in body


def test_retry_all_failed_queues_each_failed_job_again(logged_in, alice, bob, make_job):
    failed = [make_job(alice, "failed"), make_job(alice, "failed")]
    cancelled, bobs = make_job(alice, "cancelled"), make_job(bob, "failed")
    response = logged_in(alice).post("/jobs/retry-failed/", {"next": "/jobs/"}, follow=True)
    assert "Retrying 2 failed jobs." in response.content.decode()
    assert {job.status for job in Job.objects.filter(pk__in=[j.pk for j in failed])} == {"queued"}
    assert Job.objects.get(pk=cancelled.pk).status == "cancelled"
    assert Job.objects.get(pk=bobs.pk).status == "failed"


def test_retry_all_failed_skips_a_job_whose_video_another_job_downloads(
    logged_in, alice, make_job, make_video
):
    video = make_video("Busy")
    failed = make_job(alice, "failed", video=video)
    make_job(alice, "processing", video=video)
    body = logged_in(alice).post("/jobs/retry-failed/", follow=True).content.decode()
    assert "Retrying 0 failed jobs. 1 could not be" in body
    assert Job.objects.get(pk=failed.pk).status == "failed"


def test_retry_all_failed_with_nothing_failed_says_so(logged_in, alice):
    body = logged_in(alice).post("/jobs/retry-failed/", follow=True).content.decode()
    assert "There were no failed jobs to retry." in body


def test_the_queue_actions_need_a_login_and_a_post(client, logged_in, alice, db):
    urls = ("/jobs/clear-finished/", "/jobs/retry-failed/")
    for url in urls:
        assert "/accounts/login/" in client.post(url)["Location"]
    for url in urls:
        assert logged_in(alice).get(url).status_code == 405


def test_finished_probes_and_indexes_are_left_out_until_asked_for(logged_in, alice, make_job):
    download = make_job(alice, "completed")
    probe = make_job(alice, "completed", kind="metadata_probe")
    running_probe = make_job(alice, "processing", kind="metadata_probe")
    client = logged_in(alice)
    body = client.get("/jobs/").content.decode()
    assert f'data-job-row="{download.pk}"' in finished_part(body)
    assert f'data-job-row="{probe.pk}"' not in body
    assert f'data-job-row="{running_probe.pk}"' in body  # active: always listed
    assert 'data-hide-kinds="metadata_probe source_index"' in body
    assert "is left out of this list" in body and 'href="/jobs/?routine=1">Show it' in body

    body = client.get("/jobs/?routine=1").content.decode()
    assert f'data-job-row="{probe.pk}"' in finished_part(body)
    assert "data-hide-kinds" not in body
    assert "Leave the routine work out" in body


def test_the_dashboard_and_the_panel_offer_the_queue_actions(logged_in, alice):
    body = logged_in(alice).get("/jobs/").content.decode()
    assert body.count('action="/jobs/clear-finished/"') == 2  # the list and the panel
    assert body.count('action="/jobs/retry-failed/"') == 2
    assert 'data-cancel-url="/jobs/0/cancel/"' in body


def test_the_video_page_cancels_its_running_download(logged_in, alice, make_job):
    job = make_job(alice, "processing")
    client = logged_in(alice)
    page = f"/videos/{job.video_id}/"
    body = client.get(page).content.decode()
    assert f'action="/jobs/{job.pk}/cancel/" class="actions" data-job-id="{job.pk}"' in body
    assert "Cancel the download</button>" in body
    response = client.post(f"/jobs/{job.pk}/cancel/", {"next": page}, follow=True)
    assert response.redirect_chain[-1][0] == page
    assert "Cancelling job" in response.content.decode()
    assert Job.objects.get(pk=job.pk).cancel_requested


def test_the_video_page_hides_cancel_once_its_download_has_finished(logged_in, alice, make_job):
    job = make_job(alice, "completed")
    body = logged_in(alice).get(f"/videos/{job.video_id}/").content.decode()
    assert f'data-job-id="{job.pk}" data-show-when="active" hidden>' in body


def test_the_video_page_names_the_site_not_the_extractor(logged_in, alice, make_video):
    video = make_video(
        "Army of Me", source_url="https://www.videos.example/a", extractor="generic",
        source_id="url-0123456789abcdef",
    )  # fmt: skip
    body = logged_in(alice).get(f"/videos/{video.pk}/").content.decode()
    assert '<dt>Site</dt><dd data-field="site">videos.example</dd>' in body
    assert "url-0123456789abcdef" not in body and "generic" not in body

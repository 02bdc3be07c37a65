"""The job dashboard and the download, cancel, retry and hide forms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jobs.models import Job
from jobs.services.sources import source_index_submit
from videos.models import QualityProfile, Source, Video


def test_the_dashboard_splits_active_and_finished_jobs_with_their_outcome(
    logged_in, alice, make_job
):
    running = make_job(alice, "processing", progress=35, message="35 % of 4 MB")
    failed = make_job(alice, "failed")
    body = logged_in(alice).get("/jobs/").content.decode()
    active, finished = body.split('data-job-list="finished"')
    assert f'data-job-row="{running.pk}"' in active
    assert f'data-job-row="{failed.pk}"' in finished
    assert "35 % of 4 MB" in active
    assert "The site answered 404: the video is gone." in finished
    assert f'class="job-progress" max="100" value="35.0" data-job-id="{running.pk}"' in body


def test_the_dashboard_shows_only_the_users_own_jobs_and_staff_see_all(
    logged_in, alice, bob, boss, make_job
):
    alices, bobs = make_job(alice, "queued"), make_job(bob, "queued")
    body = logged_in(alice).get("/jobs/").content.decode()
    assert f'data-job-row="{alices.pk}"' in body and f'data-job-row="{bobs.pk}"' not in body
    body = logged_in(boss).get("/jobs/").content.decode()
    assert f'data-job-row="{alices.pk}"' in body and f'data-job-row="{bobs.pk}"' in body


def test_an_empty_dashboard_says_nothing_is_downloading(logged_in, alice):
    body = logged_in(alice).get("/jobs/").content.decode()
    assert "Nothing is downloading." in body and "No finished jobs." in body


def test_a_bulk_job_expands_to_its_videos(logged_in, alice, make_job):
    bulk = make_job(alice, "processing", kind="bulk_video_download", options={"video_ids": [1, 2]})
    children = [make_job(alice, "completed", parent=bulk), make_job(alice, "failed", parent=bulk)]
    body = logged_in(alice).get("/jobs/").content.decode()
    assert "Show the 2 videos" in body
    for child in children:
        assert f'data-job-row="{child.pk}"' in body
    assert "The site answered 404: the video is gone." in body


def _bulk_of(user, count: int) -> Job:
    """A running bulk job of ``count`` queued items, as a bulk download writes it."""
    bulk = Job.objects.create(
        kind="bulk_video_download",
        user=user,
        status="processing",
        options={"requested": count},
        items_queued=count,
    )
    videos = Video.objects.bulk_create(
        Video(source_url=f"https://example.com/{n}", title=f"Clip {n}") for n in range(count)
    )
    Job.objects.bulk_create(
        Job(kind="video_download", video=video, parent=bulk, user=user) for video in videos
    )
    return bulk


def test_a_big_bulk_job_shows_50_of_its_videos_its_counts_and_a_link_to_them_all(logged_in, alice):
    bulk = _bulk_of(alice, 120)
    body = logged_in(alice).get("/jobs/").content.decode()
    assert "Show 50 of the 120 videos (the active ones first)" in body
    assert body.count('class="job-list"') - 2 == 1  # the two lists, and the bulk job's own
    assert body.count("data-job-row=") == 1 + 50
    assert 'data-job-field="counts">120 queued</p>' in body
    assert f'href="{reverse("job-items", args=[bulk.pk])}"' in body


def test_a_bulk_jobs_videos_page_lists_them_all_a_page_at_a_time(logged_in, alice):
    bulk = _bulk_of(alice, 120)
    items = list(bulk.children.order_by("id").values_list("id", flat=True))
    client = logged_in(alice)
    url = reverse("job-items", args=[bulk.pk])
    seen = []
    for page in (1, 2, 3):
        body = client.get(f"{url}?page={page}").content.decode()
        seen += [pk for pk in items if f'data-job-row="{pk}"' in body]
    assert seen == items
    assert "Page 3 of 3" in body


def test_another_users_bulk_jobs_videos_page_is_not_found(logged_in, bob, alice):
    bulk = _bulk_of(alice, 3)
    assert logged_in(bob).get(reverse("job-items", args=[bulk.pk])).status_code == 404


def test_the_videos_page_needs_a_signed_in_user(client, alice):
    bulk = _bulk_of(alice, 3)
    response = client.get(reverse("job-items", args=[bulk.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(
    ("status", "action", "after", "message"),
    [
        ("queued", "cancel", "cancelled", "Cancelled job #{pk}."),
        ("failed", "retry", "queued", "Retrying job #{pk}."),
    ],
    ids=["a-cancelled-queued-job-ends-at-once", "a-retried-failed-job-is-queued-again"],
)
def test_an_action_on_a_job_changes_it_and_says_so(
    logged_in, alice, make_job, status, action, after, message
):
    job = make_job(alice, status)
    response = logged_in(alice).post(f"/jobs/{job.pk}/{action}/", follow=True)
    job.refresh_from_db()
    assert job.status == after
    assert message.format(pk=job.pk) in response.content.decode()


def test_cancelling_a_finished_job_explains_why_not(logged_in, alice, make_job):
    job = make_job(alice, "completed")
    response = logged_in(alice).post(f"/jobs/{job.pk}/cancel/", follow=True)
    assert "This job has already finished (completed)." in response.content.decode()


def test_hiding_a_finished_job_takes_it_off_the_dashboard(logged_in, alice, make_job):
    job = make_job(alice, "cancelled")
    client = logged_in(alice)
    body = client.post(f"/jobs/{job.pk}/hide/", follow=True).content.decode()
    assert f'data-job-row="{job.pk}"' not in body
    assert Job.objects.get(pk=job.pk).hidden


def test_hiding_a_running_job_explains_it_must_be_cancelled_first(logged_in, alice, make_job):
    job = make_job(alice, "processing")
    response = logged_in(alice).post(f"/jobs/{job.pk}/hide/", follow=True)
    assert "Cancel this job before hiding it" in response.content.decode()


def test_another_users_job_cannot_be_touched(logged_in, alice, bob, make_job):
    job = make_job(bob, "queued")
    response = logged_in(alice).post(f"/jobs/{job.pk}/cancel/", follow=True)
    assert f"There is no job #{job.pk}" in response.content.decode()
    job.refresh_from_db()
    assert job.status == "queued"


def test_actions_go_back_only_to_a_page_of_this_site(logged_in, alice, make_job):
    client = logged_in(alice)
    job = make_job(alice, "failed")
    response = client.post(f"/jobs/{job.pk}/retry/", {"next": "https://evil.example/"})
    assert response["Location"] == "/jobs/"
    other = make_job(alice, "failed")
    response = client.post(f"/jobs/{other.pk}/retry/", {"next": f"/videos/{other.video_id}/"})
    assert response["Location"] == f"/videos/{other.video_id}/"


def test_a_new_jobs_row_is_served_for_the_live_dashboard(logged_in, alice, bob, make_job):
    job = make_job(alice, "queued")
    client = logged_in(alice)
    body = client.get(f"/jobs/{job.pk}/row/").content.decode()
    assert body.lstrip().startswith(f'<li class="job" data-job-row="{job.pk}"')
    assert client.get(f"/jobs/{make_job(bob, 'queued').pk}/row/").status_code == 404


# --- downloads -----------------------------------------------------------------------------
def test_downloading_a_video_starts_a_job_with_the_chosen_quality(logged_in, alice, make_video):
    video = make_video("Army of Me")
    response = logged_in(alice).post(
        reverse("video-download", args=[video.pk]), {"quality": "720p"}, follow=True
    )
    job = Job.objects.get()
    assert (job.kind, job.video, job.user, job.options["quality"]) == (
        "video_download",
        video,
        alice,
        "720p",
    )
    assert response.redirect_chain[-1][0] == f"/videos/{video.pk}/"
    assert "Download started (720p)." in response.content.decode()
    video.refresh_from_db()
    assert video.status == "queued"


def test_downloading_again_without_asking_explains_how(logged_in, alice, make_video):
    video = make_video("Army of Me", status="downloaded", file_path="a.mp4")
    client = logged_in(alice)
    response = client.post(reverse("video-download", args=[video.pk]), follow=True)
    assert "ask for a forced re-download" in response.content.decode()
    client.post(reverse("video-download", args=[video.pk]), {"quality": "best", "force": "on"})
    assert Job.objects.get().options == {"quality": "best", "force": True}


def test_a_second_download_of_the_same_video_says_it_is_already_running(
    logged_in, alice, make_video
):
    video = make_video("Army of Me")
    client = logged_in(alice)
    client.post(reverse("video-download", args=[video.pk]))
    response = client.post(reverse("video-download", args=[video.pk]), follow=True)
    assert "You are already downloading this video" in response.content.decode()
    assert Job.objects.count() == 1


def test_an_unknown_quality_is_explained(logged_in, alice, make_video):
    video = make_video("Army of Me")
    response = logged_in(alice).post(
        reverse("video-download", args=[video.pk]), {"quality": "8k"}, follow=True
    )
    assert "Select a valid choice. 8k is not one of the available choices." in (
        response.content.decode()
    )
    assert not Job.objects.exists()


def test_a_bulk_download_starts_one_job_for_the_chosen_videos(logged_in, alice, make_video):
    videos = [make_video("One"), make_video("Two"), make_video("Three", status="downloaded")]
    response = logged_in(alice).post(
        reverse("video-bulk-download"),
        {"video_ids": [v.pk for v in videos], "quality": "480p", "next": "/?q=o"},
        follow=True,
    )
    bulk = Job.objects.get(kind="bulk_video_download")
    assert bulk.children.count() == 2
    assert response.redirect_chain[-1][0] == "/?q=o"
    assert (
        "Bulk download started: 2 videos to download; 1 skipped (already downloaded or being "
        "downloaded)." in response.content.decode()
    )
    assert set(Video.objects.values_list("status", flat=True)) == {"queued", "downloaded"}


def test_a_bulk_download_of_nothing_explains_what_to_do(logged_in, alice):
    client = logged_in(alice)
    response = client.post(reverse("video-bulk-download"), {"quality": "best"}, follow=True)
    assert "Choose at least one video to download." in response.content.decode()
    response = logged_in(alice).post(
        reverse("video-bulk-download"), {"video_ids": ["999"], "quality": "best"}, follow=True
    )
    assert "no longer in the library" in response.content.decode()
    assert not Job.objects.exists()


def test_the_video_pages_quality_menu_offers_the_artists_profile_first(
    logged_in, alice, make_artist, make_video
):
    hd = QualityProfile.objects.create(name="HD", qualities=["720p"])
    video = make_video("Army of Me", artist=make_artist("Björk", quality_profile=hd))

    body = logged_in(alice).get(f"/videos/{video.pk}/").content.decode()

    menu = body.split('name="quality"')[1].split("</select>")[0]
    assert menu.split("<option")[1].startswith(' value="" selected>Profile (HD)</option>')


def test_downloading_with_the_profile_choice_follows_the_artists_profile(
    logged_in, alice, make_artist, make_video
):
    hd = QualityProfile.objects.create(name="HD", qualities=["720p"])
    video = make_video("Army of Me", artist=make_artist("Björk", quality_profile=hd))

    response = logged_in(alice).post(
        reverse("video-download", args=[video.pk]), {"quality": ""}, follow=True
    )

    job = Job.objects.get()
    assert (job.options["quality"], job.options["profile"], job.options["allowed"]) == (
        None,
        hd.pk,
        ["720p"],
    )
    assert "Download started (the profile&#x27;s quality)." in response.content.decode()


def test_the_bulk_menu_offers_each_artists_profile_first(logged_in, alice, make_video, db):
    make_video("One")

    body = logged_in(alice).get("/").content.decode()

    menu = body.split('id="bulk-quality">')[1].split("</select>")[0]
    assert menu.startswith('<option value="">Profile (the artist&#x27;s, else ')


def test_the_dashboard_titles_an_index_with_its_source_linked_to_its_artist(
    logged_in, boss, make_artist
):
    artist = make_artist("Björk")
    source = Source.objects.create(
        url="https://example.com/c/bjork", title="Björk VEVO", artist=artist
    )
    job = source_index_submit(source=source, user=boss)
    body = logged_in(boss).get("/jobs/").content.decode()
    title = body.split(f'id="job-title-{job.pk}">', 1)[1].split("</span>", 1)[0]
    assert title == f'<a href="/artists/{artist.pk}/#sources">Björk VEVO</a>'

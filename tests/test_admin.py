import pytest
from django.urls import reverse

from jobs.models import HistoryEvent, Job
from jobs.services import video_ignore_and_refresh
from videos.models import Artist, IgnoredEntry, QualityProfile, Video


@pytest.fixture
def library(db):
    artist = Artist.objects.create(name="Björk", folder_name="Björk")
    video = Video.objects.create(artist=artist, title="Army of Me", source_url="https://e/1")
    bulk = Job.objects.create(kind=Job.Kind.BULK_VIDEO_DOWNLOAD)
    child = Job.objects.create(
        kind=Job.Kind.VIDEO_DOWNLOAD,
        video=video,
        parent=bulk,
        status=Job.Status.FAILED,
        progress=40,
        error="The video was not found (HTTP 404).",
    )
    return {"artist": artist, "video": video, "bulk": bulk, "child": child}


@pytest.mark.parametrize(
    "model",
    [
        "videos_artist",
        "videos_video",
        "videos_qualityprofile",
        "videos_ignoredentry",
        "jobs_job",
        "jobs_historyevent",
    ],
)
def test_staff_see_every_changelist(admin_client, library, model):
    response = admin_client.get(reverse(f"admin:{model}_changelist"))
    assert response.status_code == 200


def test_a_bulk_job_page_shows_its_children_with_progress_and_error(admin_client, library):
    url = reverse("admin:jobs_job_change", args=[library["bulk"].pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Army of Me" in body
    assert "The video was not found (HTTP 404)." in body
    assert f'data-job-id="{library["child"].pk}"' in body


def test_video_and_artist_change_pages_render(admin_client, library):
    for name, obj in [("videos_artist", library["artist"]), ("videos_video", library["video"])]:
        response = admin_client.get(reverse(f"admin:{name}_change", args=[obj.pk]))
        assert response.status_code == 200


def test_jobs_cannot_be_added_by_hand_in_the_admin(admin_client, library):
    response = admin_client.get(reverse("admin:jobs_job_add"))
    assert response.status_code == 403


def test_anonymous_users_are_sent_to_the_login_page(client, library):
    response = client.get(reverse("admin:jobs_job_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# --- quality profiles -------------------------------------------------------------------------
PROFILE_FORM = {
    "name": "HD",
    "qualities": '["1080p", "720p"]',
    "cutoff": "720p",
    "container": "mp4",
    "format": "",
}


def test_staff_add_a_default_profile_in_the_admin_and_the_old_default_stops_being_it(
    admin_client, default_profile
):
    response = admin_client.post(
        reverse("admin:videos_qualityprofile_add"), {**PROFILE_FORM, "is_default": "on"}
    )

    assert response.status_code == 302
    added = QualityProfile.objects.get(name="HD")
    assert (added.qualities, added.cutoff, added.is_default) == (["1080p", "720p"], "720p", True)
    default_profile.refresh_from_db()
    assert default_profile.is_default is False


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"format": "bv*[height<=720+ba"}, "yt-dlp cannot read this format string"),
        ({"cutoff": "360p"}, "The cutoff &#x27;360p&#x27; must be one of the profile"),
    ],
)
def test_a_bad_profile_in_the_admin_is_shown_with_its_reason(admin_client, db, fields, words):
    response = admin_client.post(
        reverse("admin:videos_qualityprofile_add"), {**PROFILE_FORM, **fields}
    )

    assert response.status_code == 200
    assert words in response.content.decode()
    assert not QualityProfile.objects.filter(name="HD").exists()


def test_deleting_the_default_profile_in_the_admin_is_refused_with_a_sentence(
    admin_client, default_profile
):
    response = admin_client.post(
        reverse("admin:videos_qualityprofile_delete", args=[default_profile.pk]),
        {"post": "yes"},
        follow=True,
    )

    assert "is the default profile and cannot be deleted" in response.content.decode()
    assert QualityProfile.objects.filter(pk=default_profile.pk).exists()


def test_the_artist_admin_shows_its_profile_and_monitoring(admin_client, library, default_profile):
    response = admin_client.get(reverse("admin:videos_artist_change", args=[library["artist"].pk]))

    body = response.content.decode()
    assert 'name="quality_profile"' in body and 'name="monitor_new"' in body
    assert "Monitored since" in body


def test_monitoring_an_artist_in_the_admin_dates_its_start(admin_client, library):
    artist = library["artist"]
    form = {"name": artist.name, "sort_name": artist.name, "folder_name": artist.folder_name}

    admin_client.post(
        reverse("admin:videos_artist_change", args=[artist.pk]),
        {**form, "monitored": "on", "monitor_new": "all", "quality_profile": ""},
    )

    artist.refresh_from_db()
    assert artist.monitored and artist.monitored_since is not None


# --- the ignore list and history -----------------------------------------------------------
@pytest.fixture
def ignored(library, boss):
    video = library["video"]
    entry, _ = video_ignore_and_refresh(video=video, user=boss, reason="A live cut")
    return entry


def test_staff_see_the_ignore_list_and_search_it(admin_client, ignored):
    changelist = reverse("admin:videos_ignoredentry_changelist")
    assert "Army of Me" in admin_client.get(changelist, {"q": "army"}).content.decode()
    assert "Army of Me" not in admin_client.get(changelist, {"q": "teardrop"}).content.decode()
    change = admin_client.get(reverse("admin:videos_ignoredentry_change", args=[ignored.pk]))
    assert "A live cut" in change.content.decode()


def test_ignore_list_entries_are_not_added_by_hand_in_the_admin(admin_client, ignored):
    assert admin_client.get(reverse("admin:videos_ignoredentry_add")).status_code == 403


def test_deleting_an_entry_in_the_admin_un_ignores_its_video(admin_client, library, ignored):
    video = library["video"]
    video.refresh_from_db()
    assert video.status == Video.Status.IGNORED

    admin_client.post(
        reverse("admin:videos_ignoredentry_delete", args=[ignored.pk]), {"post": "yes"}
    )

    video.refresh_from_db()
    assert not IgnoredEntry.objects.exists()
    assert video.status == Video.Status.FAILED  # its last download failed (the fixture's)


def test_deleting_entries_in_bulk_in_the_admin_un_ignores_their_videos(
    admin_client, library, ignored
):
    admin_client.post(
        reverse("admin:videos_ignoredentry_changelist"),
        {"action": "delete_selected", "_selected_action": [ignored.pk], "post": "yes"},
    )

    video = Video.objects.get(pk=library["video"].pk)
    assert not IgnoredEntry.objects.exists()
    assert video.status == Video.Status.FAILED


def test_staff_read_history_filtered_by_event_and_origin(admin_client, ignored):
    changelist = reverse("admin:jobs_historyevent_changelist")
    body = admin_client.get(changelist, {"event": "ignored", "origin": "user"}).content.decode()
    assert "Army of Me" in body
    assert "Army of Me" not in admin_client.get(changelist, {"event": "added"}).content.decode()


def test_history_is_read_only_in_the_admin(admin_client, ignored):
    row = HistoryEvent.objects.get()
    assert admin_client.get(reverse("admin:jobs_historyevent_add")).status_code == 403
    admin_client.post(
        reverse("admin:jobs_historyevent_change", args=[row.pk]), {"title": "Changed"}
    )
    row.refresh_from_db()
    assert row.title == "Army of Me"
    delete = admin_client.post(
        reverse("admin:jobs_historyevent_delete", args=[row.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert HistoryEvent.objects.filter(pk=row.pk).exists()


def test_the_admin_index_has_no_empty_tasks_section(admin_client, db):
    body = admin_client.get(reverse("admin:index")).content.decode()
    assert "Django_Dramatiq" not in body and ">Tasks<" not in body
    assert ">Jobs<" in body


def test_a_running_job_page_says_its_progress_once_and_its_message_live(admin_client, library):
    job = Job.objects.create(
        kind=Job.Kind.VIDEO_DOWNLOAD,
        video=library["video"],
        status=Job.Status.PROCESSING,
        progress=42,
        message="Downloading at 1.2 MB/s",
    )
    body = admin_client.get(reverse("admin:jobs_job_change", args=[job.pk])).content.decode()
    assert body.count("42 %") == 2  # the bar's fallback text and its label, nothing else
    assert f'data-job-id="{job.pk}" data-job-field="message">Downloading at 1.2 MB/s<' in body

import pytest
from django.urls import reverse

from jobs.models import Job
from videos.models import Artist, Video


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


@pytest.mark.parametrize("model", ["videos_artist", "videos_video", "jobs_job"])
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

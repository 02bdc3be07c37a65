"""The one exception handler: each kind of service error is answered with its status code
and its sentence, through the endpoints that meet it (a view of its own where none does).
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from jobs.services import JobConflict, JobError, JobPermissionError, JobStateError, VideoBusy
from mvidarr import errors
from videos import services
from videos.models import Artist, Video
from videos.services import ArtistNameTaken, DuplicateVideo, InvalidSourceUrl, artist_create


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (JobError, errors.ServiceError),
        (JobConflict, errors.Conflict),
        (JobStateError, errors.StateError),
        (JobPermissionError, errors.PermissionDenied),
        (VideoBusy, errors.Conflict),
        (DuplicateVideo, errors.Conflict),
        (InvalidSourceUrl, errors.Invalid),
        (ArtistNameTaken, errors.Invalid),
    ],
)
def test_the_jobs_and_videos_errors_are_service_errors_of_their_kind(error, kind):
    assert issubclass(error, kind)


def test_a_url_already_in_the_library_is_a_409_with_its_sentence(api, video):
    response = api.post("/api/videos/", {"url": video.source_url}, format="json")
    assert response.status_code == 409
    assert response.json() == {
        "detail": f"This URL is already in the library as video #{video.pk} (Army of Me)."
    }


def test_cancelling_a_finished_job_is_a_409_saying_so(api, alice, make_job):
    job = make_job(alice, "completed")
    response = api.post(f"/api/jobs/{job.pk}/cancel")
    assert response.status_code == 409
    assert response.json() == {"detail": "This job has already finished (completed)."}


def test_deleting_a_video_being_downloaded_is_a_409_saying_what_to_do(client_for, boss, video):
    Video.objects.filter(pk=video.pk).update(status=Video.Status.DOWNLOADING)
    response = client_for(boss).delete(f"/api/videos/{video.pk}/")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "This video is being downloaded; cancel the download, then delete it."
    }
    assert Video.objects.filter(pk=video.pk).exists()


def test_changing_the_link_of_someone_elses_video_is_a_403_with_its_sentence(
    client_for, alice, bob, video
):
    response = client_for(bob).patch(
        f"/api/videos/{video.pk}/", {"url": "https://example.com/other"}, format="json"
    )
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Only staff, or whoever added this video, can change its link."
    }


def test_a_taken_artist_name_is_a_400_on_the_name_field(client_for, boss):
    artist_create(name="Portishead")
    response = client_for(boss).post("/api/artists/", {"name": "portishead"}, format="json")
    assert response.status_code == 400
    taken = Artist.objects.get(name="Portishead")
    assert response.json() == {
        "name": [
            f"An artist named “Portishead” is already in the library (#{taken.pk}); "
            "choose another name."
        ]
    }


def test_a_name_taken_between_the_check_and_the_insert_is_the_same_400(
    client_for, boss, monkeypatch
):
    """The race: another request adds the artist after this one looked (the check is
    skipped here to stand for it); the unique constraint refuses, the service says so.
    """
    artist_create(name="Portishead")
    monkeypatch.setattr(services, "artist_find_by_name", lambda name, exclude_id=None: None)
    with pytest.raises(IntegrityError), transaction.atomic():  # the database, unasked
        Artist.objects.create(name="PORTISHEAD", sort_name="x", folder_name="x")
    response = client_for(boss).post("/api/artists/", {"name": "PORTISHEAD"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"name": ["An artist with this name is already in the library."]}


def test_renaming_into_a_name_taken_meanwhile_is_the_same_400(client_for, boss, monkeypatch):
    artist_create(name="Portishead")
    other = artist_create(name="Tricky")
    monkeypatch.setattr(services, "artist_find_by_name", lambda name, exclude_id=None: None)
    response = client_for(boss).patch(
        f"/api/artists/{other.pk}/", {"name": "Portishead"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"name": ["An artist with this name is already in the library."]}
    other.refresh_from_db()
    assert other.name == "Tricky"


class Refusing(APIView):
    """Stands for an endpoint that meets a kind no real endpoint lets through today."""

    error: Exception = errors.ServiceError("Not set.")

    def get(self, request):
        raise self.error


@pytest.mark.parametrize(
    ("error", "status_code", "body"),
    [
        (errors.NotFound("There is no such source."), 404, {"detail": "There is no such source."}),
        (JobError("Choose at least one video."), 400, {"detail": "Choose at least one video."}),
        (errors.Invalid("Too late.", field="when"), 400, {"when": ["Too late."]}),
        (
            errors.Conflict("Another source has this feed.", source_id=7),
            409,
            {"detail": "Another source has this feed.", "source_id": 7},
        ),
    ],
)
def test_every_kind_is_answered_with_its_code_its_sentence_and_its_extra(
    alice, error, status_code, body
):
    request = APIRequestFactory().get("/anything/")
    force_authenticate(request, user=alice)
    response = Refusing.as_view(error=error)(request)
    assert response.status_code == status_code
    assert response.data == body

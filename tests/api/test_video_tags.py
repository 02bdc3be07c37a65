"""``POST /api/videos/<id>/tags``: staff start a tags_write job (202); the tags are written in
a worker, never in the request. And a changed video gets its file renamed and its sidecars
rewritten by a job."""

from __future__ import annotations

import shutil

import pytest

from jobs.models import Job
from tests.api.test_schema import assert_matches

PATH = "/api/videos/{}/tags"


@pytest.fixture
def staff(client_for, boss):
    return client_for(boss)


@pytest.fixture
def stored(make_video, library_root, media_root, media_clips):
    """A video whose file is in the library."""
    video = make_video("Army of Me", artist="Björk", file_path="Björk/Army of Me [x].mp4")
    (library_root / "Björk").mkdir()
    shutil.copy(media_root / media_clips["360p"], library_root / "Björk/Army of Me [x].mp4")
    return video


def test_staff_start_writing_the_tags_and_get_the_job(staff, stored, boss):
    response = staff.post(PATH.format(stored.pk), {}, "json")
    assert response.status_code == 202
    job = Job.objects.get()
    assert (job.kind, job.user, job.video_id, job.options) == (
        "tags_write",
        boss,
        stored.pk,
        {"cover": True},
    )
    assert response.json() == staff.get(f"/api/jobs/{job.pk}/").json()
    assert staff.post(PATH.format(stored.pk) + "/", {"cover": False}, "json").status_code == 409


def test_tags_can_be_written_without_the_cover(staff, stored):
    assert staff.post(PATH.format(stored.pk), {"cover": False}, "json").status_code == 202
    assert Job.objects.get().options == {"cover": False}


def test_writing_tags_refuses_the_anonymous_the_non_staff_bad_input_and_unknown_videos(
    client_for, api, staff, stored
):
    path = PATH.format(stored.pk)
    assert client_for().post(path, {}, "json").status_code == 401
    assert api.post(path, {}, "json").status_code == 403
    assert staff.post(path, {"cover": "perhaps"}, "json").status_code == 400
    assert staff.post(PATH.format(999999), {}, "json").status_code == 404
    assert not Job.objects.exists()


def test_a_video_without_a_file_or_being_downloaded_has_no_tags_written(
    staff, make_video, stored, make_job
):
    wanted = make_video("Wanted")
    response = staff.post(PATH.format(wanted.pk), {}, "json")
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "This video has no file in the library yet; download it first."
    )
    make_job(None, "queued", video=stored)
    response = staff.post(PATH.format(stored.pk), {}, "json")
    assert response.status_code == 409 and "being downloaded" in response.json()["detail"]
    assert not Job.objects.filter(kind="tags_write").exists()


def test_the_tags_answers_match_the_documented_shapes(api, staff, stored):
    schema = api.get("/api/schema/?format=json").json()
    path = PATH.format(stored.pk)
    checks = [
        staff.post(path, {}, "json"),
        staff.post(path, {}, "json"),
        staff.post(path, {"cover": 3}, "json"),
        api.post(path, {}, "json"),
    ]
    for response in checks:
        assert_matches(schema, "/api/videos/{video_id}/tags", "post", response)
    assert [response.status_code for response in checks] == [202, 409, 400, 403]


def test_changing_a_downloaded_video_queues_one_rename_of_its_file(api, stored, alice):
    """The rename job moves the file when its name changed and writes its sidecars again
    (tests/jobs/test_video_rename.py runs it)."""
    assert (
        api.patch(f"/api/videos/{stored.pk}/", {"title": "Army of Us"}, "json").status_code == 200
    )
    assert (
        api.patch(f"/api/videos/{stored.pk}/", {"title": "Army of Me"}, "json").status_code == 200
    )
    job = Job.objects.get()
    assert (job.kind, job.user, job.status, job.options["video"]) == (
        "library_rename",
        alice,
        "queued",
        stored.pk,
    )


def test_changing_a_video_without_a_file_writes_nothing(api, video):
    assert api.patch(f"/api/videos/{video.pk}/", {"title": "New"}, "json").status_code == 200
    assert not Job.objects.exists()

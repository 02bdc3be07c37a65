"""The naming pages: everyone signed in reads the templates; staff change them (a preset's
button fills them in), see what a rename would move and apply it as a job."""

from __future__ import annotations

import pytest

from jobs.models import Job
from preferences.selectors import setting_get
from videos.models import Artist, Video, VideoFile


@pytest.fixture
def army(db, library_root) -> Video:
    video = Video.objects.create(
        source_url="https://videos.example/x1",
        title="Army of Me",
        source_id="x1",
        artist=Artist.objects.create(name="Björk"),
    )
    (library_root / "Björk").mkdir()
    (library_root / "Björk/Army of Me [x1].mp4").write_bytes(b"media")
    VideoFile.objects.create(video=video, path="Björk/Army of Me [x1].mp4", container="mp4")
    return video


@pytest.mark.parametrize("url", ["/settings/naming/", "/library/rename/"])
def test_an_anonymous_visitor_is_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_everyone_signed_in_reads_the_templates_and_the_preview(logged_in, alice, army):
    body = logged_in(alice).get("/settings/naming/").content.decode()
    assert "{title} [{source_id}]" in body
    assert "Björk/Army of Me [x1].mp4" in body  # the preview, on the newest file
    assert 'id="naming-form"' not in body and "Only staff can change them" in body


def test_only_staff_change_the_templates_or_see_the_rename_page(logged_in, alice):
    client = logged_in(alice)
    assert client.post("/settings/naming/", {"file": "{title}"}).status_code == 403
    assert client.get("/library/rename/").status_code == 403
    assert client.post("/library/rename/apply/").status_code == 403
    assert setting_get("naming.file") == "{title} [{source_id}]"


def test_staff_save_the_templates(logged_in, boss, army):
    response = logged_in(boss).post(
        "/settings/naming/", {"artist_folder": "{artist}", "file": "{title} ({year})"}, follow=True
    )
    assert "Saved the naming templates" in response.content.decode()
    assert setting_get("naming.file") == "{title} ({year})"


def test_a_bad_template_is_shown_next_to_its_field_and_not_saved(logged_in, boss):
    response = logged_in(boss).post(
        "/settings/naming/", {"artist_folder": "{artist}", "file": "{title} {colour}"}
    )
    assert response.status_code == 400
    assert "{colour}, which is not a token" in response.content.decode()
    assert setting_get("naming.file") == "{title} [{source_id}]"


def test_a_presets_button_fills_in_its_templates_without_saving_them(logged_in, boss, army):
    response = logged_in(boss).post("/settings/naming/", {"preset": "plex"})
    body = response.content.decode()
    assert "Filled in the preset “Plex”" in body
    assert 'value="{title}-{plex_suffix}"' in body
    assert "Björk/Army of Me-video.mp4" in body
    assert setting_get("naming.file") == "{title} [{source_id}]"


def test_the_preview_warns_when_jellyfin_would_see_versions(logged_in, boss, army):
    client = logged_in(boss)
    client.post("/settings/naming/", {"artist_folder": "{artist}", "file": "{artist} - {title}"})
    body = client.get("/settings/naming/").content.decode()
    assert "Björk/Björk - Army of Me [x1].mp4" not in body  # no id in this template
    assert "Björk/Björk - Army of Me.mp4" in body
    assert "Jellyfin groups such files as versions" in body


def test_the_rename_page_lists_what_would_move_and_apply_starts_the_job(
    logged_in, boss, army, transactional_db
):
    logged_in(boss).post("/settings/naming/", {"artist_folder": "{artist}", "file": "{title}"})

    body = logged_in(boss).get("/library/rename/").content.decode()
    assert "Björk/Army of Me [x1].mp4" in body and "Björk/Army of Me.mp4" in body
    assert "Apply: rename 1 file" in body

    response = logged_in(boss).post("/library/rename/apply/", follow=True)

    job = Job.objects.get(kind="library_rename")
    assert (job.user, job.options["file"]) == (boss, "{title}")
    page = response.content.decode()
    assert "Renaming the library" in page and f'data-job-id="{job.pk}"' in page
    again = logged_in(boss).post("/library/rename/apply/", follow=True).content.decode()
    assert "already being renamed" in again
    dashboard = logged_in(boss).get("/jobs/").content.decode()
    assert "Library rename" in dashboard and "The library&#x27;s files" in dashboard
    assert 'href="/library/rename/"' in dashboard  # the job leads to its page


def test_the_rename_page_warns_when_jellyfin_would_see_versions(logged_in, boss, army):
    client = logged_in(boss)
    client.post("/settings/naming/", {"artist_folder": "{artist}", "file": "{artist} - {title}"})
    body = client.get("/library/rename/").content.decode()
    assert "Björk/Björk - Army of Me.mp4" in body
    assert "Jellyfin groups such files as versions" in body


def test_with_nothing_to_rename_the_page_says_so(logged_in, boss, army):
    body = logged_in(boss).get("/library/rename/").content.decode()
    assert "there is nothing to rename" in body


def test_a_template_set_in_the_environment_is_shown_read_only_and_the_other_saves(
    logged_in, boss, monkeypatch
):
    monkeypatch.setenv("MVIDARR_NAMING_ARTIST_FOLDER", "{artist_sort}")
    client = logged_in(boss)
    body = client.get("/settings/naming/").content.decode()
    assert "Set in the environment (MVIDARR_NAMING_ARTIST_FOLDER)" in body

    # A disabled field is not sent by the browser.
    response = client.post("/settings/naming/", {"file": "{title}"}, follow=True)

    assert "Saved the naming templates" in response.content.decode()
    assert setting_get("naming.file") == "{title}"
    assert setting_get("naming.artist_folder") == "{artist_sort}"

"""/api/settings/naming and /api/library/rename: the naming templates, their preview, the
rename preview and the rename job."""

from __future__ import annotations

import pytest

from jobs.models import Job
from preferences.selectors import setting_get
from videos.models import Artist, Video, VideoFile

pytestmark = pytest.mark.django_db

NAMING = "/api/settings/naming"
PREVIEW = "/api/settings/naming/preview"
RENAME = "/api/library/rename"


def in_library(root, *, artist="Björk", title="Army of Me", source_id="x1") -> Video:
    video = Video.objects.create(
        source_url=f"https://videos.example/{source_id}",
        title=title,
        source_id=source_id,
        artist=Artist.objects.get_or_create(name=artist)[0],
    )
    path = f"{artist}/{title} [{source_id}].mp4"
    (root / artist).mkdir(exist_ok=True)
    (root / path).write_bytes(b"media")
    VideoFile.objects.create(video=video, path=path, container="mp4")
    return video


def test_anyone_signed_in_reads_the_templates_presets_and_tokens(api):
    response = api.get(NAMING)

    assert response.status_code == 200
    body = response.json()
    assert (body["artist_folder"], body["file"]) == ("{artist}", "{title} [{source_id}]")
    assert body["sources"] == {"artist_folder": "default", "file": "default"}
    presets = {
        preset["name"]: (preset["artist_folder"], preset["file"]) for preset in body["presets"]
    }
    assert presets == {
        "default": ("{artist}", "{title} [{source_id}]"),
        "jellyfin": ("{artist}", "{title} ({year})"),
        "plex": ("{artist}", "{title}-{plex_suffix}"),
        "flat": ("", "{artist} - {title}"),
    }
    assert "source_id" in {token["name"] for token in body["tokens"]}
    assert body["preview"] == {
        "path": "Björk/Army of Me [a1B2c3D4e5F].mp4",
        "warning": "",
        "video": None,
    }


def test_staff_change_the_templates_and_new_names_follow(client_for, boss):
    response = client_for(boss).put(
        NAMING, {"artist_folder": "{artist}", "file": "{title} ({year})"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["file"] == "{title} ({year})"
    assert response.json()["sources"]["file"] == "settings"
    assert setting_get("naming.file") == "{title} ({year})"


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        ({"artist_folder": "{artist}", "file": "{title} {colour}"}, "file", "{colour}"),
        ({"artist_folder": "{artist", "file": "{title}"}, "artist_folder", "{ or }"),
        ({"artist_folder": "{artist}", "file": "{artist}/{title}"}, "file", "folder separator"),
        ({"artist_folder": "{artist}"}, "file", "required"),
    ],
)
def test_a_bad_template_is_a_400_with_a_sentence_and_nothing_is_stored(
    client_for, boss, body, field, says
):
    response = client_for(boss).put(NAMING, body, format="json")

    assert response.status_code == 400
    assert says in response.json()[field][0]
    assert setting_get("naming.file") == "{title} [{source_id}]"
    assert setting_get("naming.artist_folder") == "{artist}"


def test_a_template_set_in_the_environment_is_refused_with_where_it_comes_from(
    client_for, boss, monkeypatch
):
    monkeypatch.setenv("MVIDARR_NAMING_FILE", "{title}")

    response = client_for(boss).put(
        NAMING, {"artist_folder": "{artist}", "file": "{title} ({year})"}, format="json"
    )
    assert response.status_code == 400
    assert "MVIDARR_NAMING_FILE" in response.json()["file"][0]
    assert client_for(boss).get(NAMING).json()["sources"]["file"] == (
        "environment (MVIDARR_NAMING_FILE)"
    )
    # Sent back as it is, the environment's template is no change: the other one is saved.
    same = client_for(boss).put(
        NAMING, {"artist_folder": "{artist_sort}", "file": "{title}"}, format="json"
    )
    assert same.status_code == 200, same.json()
    assert setting_get("naming.artist_folder") == "{artist_sort}"


def test_only_staff_change_the_templates_and_only_signed_in_users_read_them(client_for, alice):
    assert client_for().get(NAMING).status_code == 401
    assert client_for().put(NAMING, {}, format="json").status_code == 401
    response = client_for(alice).put(
        NAMING, {"artist_folder": "{artist}", "file": "{title}"}, format="json"
    )
    assert response.status_code == 403
    assert setting_get("naming.file") == "{title} [{source_id}]"


def test_the_preview_shows_the_newest_file_under_the_templates_and_warns_of_versions(
    api, client_for, library_root
):
    video = in_library(library_root)

    plain = api.get(PREVIEW, {"file": "{title}"})
    grouped = api.get(PREVIEW, {"artist_folder": "{artist}", "file": "{artist} - {title}"})

    assert plain.json() == {
        "path": "Björk/Army of Me.mp4",
        "warning": "",
        "video": {"id": video.pk, "title": "Army of Me"},
    }
    assert grouped.json()["path"] == "Björk/Björk - Army of Me.mp4"
    assert "versions" in grouped.json()["warning"]
    assert api.get(PREVIEW, {"file": "{nope}"}).status_code == 400
    assert client_for().get(PREVIEW).status_code == 401


def test_the_rename_preview_lists_each_file_whose_name_would_change(client_for, boss, library_root):
    in_library(library_root, title="Army of Me", source_id="x1")
    moving = in_library(library_root, title="Hunter", source_id="x2")
    client_for(boss).put(NAMING, {"artist_folder": "{artist}", "file": "{title}"}, format="json")
    VideoFile.objects.filter(video__title="Army of Me").update(path="Björk/Army of Me.mp4")
    (library_root / "Björk/Army of Me [x1].mp4").rename(library_root / "Björk/Army of Me.mp4")

    response = client_for(boss).get(RENAME)

    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert response.json()["results"] == [
        {
            "video": {"id": moving.pk, "title": "Hunter"},
            "current": "Björk/Hunter [x2].mp4",
            "new": "Björk/Hunter.mp4",
        }
    ]
    other = client_for(boss).get(RENAME, {"file": "{title} [{source_id}]"})
    assert other.json()["results"][0]["new"] == "Björk/Army of Me [x1].mp4"


def test_the_rename_preview_is_for_staff_and_refuses_a_bad_template(client_for, alice, boss):
    assert client_for().get(RENAME).status_code == 401
    assert client_for(alice).get(RENAME).status_code == 403
    response = client_for(boss).get(RENAME, {"file": "{title"})
    assert response.status_code == 400
    assert "{ or }" in response.json()["file"][0]


def test_staff_start_the_rename_as_a_job_and_a_second_is_a_conflict(
    client_for, alice, boss, transactional_db
):
    assert client_for().post(RENAME).status_code == 401
    assert client_for(alice).post(RENAME).status_code == 403

    response = client_for(boss).post(RENAME)

    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["id"])
    assert (job.kind, job.user, job.options["file"]) == (
        "library_rename",
        boss,
        "{title} [{source_id}]",
    )
    again = client_for(boss).post(RENAME)
    assert again.status_code == 409
    assert "already being renamed" in again.json()["detail"]

"""/api/library/import-scan and /api/library/import-apply: staff only, every refusal a 400
with a sentence, the scan's rows paged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jobs.models import ImportRow, Job

SCAN = "/api/library/import-scan"
APPLY = "/api/library/import-apply"


@pytest.fixture
def import_root(settings, tmp_path) -> Path:
    root = tmp_path / "collection"
    root.mkdir()
    settings.IMPORT_ROOTS = [str(root)]
    return root


@pytest.fixture
def finished_scan(boss, import_root) -> Job:
    job = Job.objects.create(
        kind="import_scan", user=boss, status="completed", options={"mode": "copy"}
    )
    ImportRow.objects.bulk_create(
        ImportRow(job=job, index=index, path=str(import_root / f"{index}.mp4"), title=str(index))
        for index in range(3)
    )
    return job


def test_anonymous_get_401_and_users_403(client_for, alice, finished_scan, import_root):
    body = {"path": str(import_root), "mode": "copy"}
    assert client_for().post(SCAN, body, format="json").status_code == 401
    assert client_for().get(f"{SCAN}/{finished_scan.pk}/").status_code == 401
    assert client_for().post(APPLY, {}, format="json").status_code == 401
    user = client_for(alice)
    assert user.post(SCAN, body, format="json").status_code == 403
    assert user.get(f"{SCAN}/{finished_scan.pk}/").status_code == 403
    assert (
        user.post(APPLY, {"scan": finished_scan.pk, "rows": [0]}, format="json").status_code == 403
    )
    assert not Job.objects.filter(kind="import_scan").exclude(pk=finished_scan.pk).exists()


def test_staff_start_a_scan_of_an_import_root(client_for, boss, import_root, transactional_db):
    response = client_for(boss).post(
        SCAN, {"path": str(import_root), "mode": "copy"}, format="json"
    )

    assert response.status_code == 202, response.json()
    job = Job.objects.get(pk=response.json()["id"])
    assert (job.kind, job.options["path"], job.options["mode"]) == (
        "import_scan",
        str(import_root),
        "copy",
    )


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"path": "/etc", "mode": "copy"}, "path", "outside the folders an import may read"),
        ({"path": "relative/folder", "mode": "copy"}, "path", "not a full path"),
        ({"path": "{root}/missing", "mode": "copy"}, "path", "not a folder"),
        ({"path": "{root}", "mode": "teleport"}, "mode", "not an import mode"),
        ({"path": "{root}", "mode": "in_place"}, "path", "imported in place only from inside"),
        ({"path": "{root}/../..", "mode": "copy"}, "path", "outside the folders"),
        ({"mode": "copy"}, "path", "required"),
    ],
)
def test_a_scan_is_refused_with_a_sentence(client_for, boss, import_root, body, field, words):
    body = {key: value.format(root=import_root) for key, value in body.items()}

    response = client_for(boss).post(SCAN, body, format="json")

    assert response.status_code == 400
    assert words in " ".join(response.json()[field])
    assert not Job.objects.exists()


def test_a_symlinked_folder_pointing_outside_the_roots_is_refused(
    client_for, boss, import_root, tmp_path
):
    (tmp_path / "elsewhere").mkdir()
    (import_root / "link").symlink_to(tmp_path / "elsewhere")

    response = client_for(boss).post(
        SCAN, {"path": str(import_root / "link"), "mode": "copy"}, format="json"
    )

    assert response.status_code == 400
    assert "outside the folders an import may read" in response.json()["path"][0]


def test_in_place_is_allowed_inside_the_library(client_for, boss, library_root, transactional_db):
    response = client_for(boss).post(
        SCAN, {"path": str(library_root), "mode": "in_place"}, format="json"
    )

    assert response.status_code == 202


def test_the_scan_rows_are_paged(client_for, boss, finished_scan, settings):
    response = client_for(boss).get(f"{SCAN}/{finished_scan.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["count"], body["next"]) == ("completed", 3, None)
    assert [row["title"] for row in body["rows"]] == ["0", "1", "2"]
    assert body["rows"][0]["problems"] == [] and body["rows"][0]["matched_video"] is None
    assert client_for(boss).get(f"{SCAN}/{finished_scan.pk}/?page=9").status_code == 404


def test_an_unknown_scan_is_404_to_read(client_for, boss, finished_scan):
    other = Job.objects.create(kind="library_rename", user=boss)
    assert client_for(boss).get(f"{SCAN}/{other.pk}/").status_code == 404
    assert client_for(boss).get(f"{SCAN}/999999/").status_code == 404


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"scan": 999999, "rows": [0]}, "scan", "There is no import scan #999999"),
        ({"scan": "{scan}", "rows": [3]}, "rows", "there is no row 3"),
        ({"scan": "{scan}", "rows": []}, "rows", ""),
        ({"scan": "{scan}", "rows": [-1]}, "rows", ""),
        ({"scan": "{scan}", "rows": "all"}, "rows", ""),
        ({"rows": [0]}, "scan", "required"),
        ({"scan": "{scan}", "rows": list(range(5001))}, "rows", "at most 5,000 rows at a time"),
    ],
)
def test_an_apply_is_refused_with_a_sentence(client_for, boss, finished_scan, body, field, words):
    body = {key: finished_scan.pk if value == "{scan}" else value for key, value in body.items()}

    response = client_for(boss).post(APPLY, body, format="json")

    assert response.status_code == 400, response.json()
    assert words in str(response.json()[field])
    assert not Job.objects.filter(kind="import_apply").exists()


def test_rows_of_a_scan_still_running_are_refused(client_for, boss, finished_scan):
    Job.objects.filter(pk=finished_scan.pk).update(status="processing")

    response = client_for(boss).post(APPLY, {"scan": finished_scan.pk, "rows": [0]}, format="json")

    assert response.status_code == 400
    assert "apply rows of a finished scan" in response.json()["scan"][0]


def test_staff_apply_rows_as_a_job(client_for, boss, finished_scan, transactional_db):
    response = client_for(boss).post(
        APPLY, {"scan": finished_scan.pk, "rows": [2, 0, 2]}, format="json"
    )

    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["id"])
    assert (job.kind, job.options["rows"], job.options["mode"]) == ("import_apply", [0, 2], "copy")


def test_a_root_that_does_not_exist_is_skipped(
    client_for, boss, settings, import_root, tmp_path, caplog
):
    settings.IMPORT_ROOTS = [str(tmp_path / "gone"), str(import_root)]
    shutil.rmtree(tmp_path / "gone", ignore_errors=True)

    response = client_for(boss).post(
        SCAN, {"path": str(tmp_path / "gone"), "mode": "copy"}, format="json"
    )

    assert response.status_code == 400
    assert "is not a folder; skipped" in caplog.text

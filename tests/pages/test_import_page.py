"""The import page (staff): the allowed folders, a scan started from a form, the rows with
their boxes (none for a row with a problem), and the ticked rows applied as a job."""

from __future__ import annotations

import pytest

from jobs.models import ImportRow, Job
from videos.models import Video


@pytest.fixture
def import_root(settings, tmp_path):
    root = tmp_path / "collection"
    root.mkdir()
    settings.IMPORT_ROOTS = [str(root)]
    return root


def test_only_staff_see_the_import_page_and_its_link(client, logged_in, alice, boss, import_root):
    assert client.get("/library/import/").status_code == 302
    user = logged_in(alice)
    assert user.get("/library/import/").status_code == 403
    assert (
        user.post("/library/import/scan/", {"path": str(import_root), "mode": "copy"}).status_code
        == 403
    )
    assert 'href="/library/import/"' not in user.get("/history/").content.decode()
    staff = logged_in(boss)
    body = staff.get("/library/import/").content.decode()
    assert f"<code>{import_root}</code>" in body and 'id="import-scan-form"' in body
    assert 'href="/library/import/"' in staff.get("/history/").content.decode()


def test_a_scan_started_from_the_page_is_followed_there(
    logged_in, boss, import_root, transactional_db
):
    response = logged_in(boss).post(
        "/library/import/scan/", {"path": str(import_root), "mode": "copy"}
    )

    job = Job.objects.get(kind="import_scan")
    assert response["Location"] == f"/library/import/?scan={job.pk}"
    body = logged_in(boss).get(response["Location"]).content.decode()
    assert (
        f'data-job-id="{job.pk}"' in body
        and 'data-refresh-for="kind:import_scan kind:import_apply"' in body
    )


def test_a_folder_outside_the_roots_is_refused_with_the_sentence(logged_in, boss, import_root):
    response = logged_in(boss).post(
        "/library/import/scan/", {"path": "/etc", "mode": "copy"}, follow=True
    )

    assert "outside the folders an import may read" in response.content.decode()
    assert not Job.objects.exists()


def test_the_rows_are_ticked_and_applied_as_a_job(logged_in, boss, import_root, transactional_db):
    scan = Job.objects.create(
        kind="import_scan",
        user=boss,
        status="completed",
        options={"mode": "copy", "path": str(import_root)},
    )
    video = Video.objects.create(source_url="https://videos.example/a", title="Roads")
    ImportRow.objects.create(
        job=scan, index=0, path=str(import_root / "a.mp4"), title="Roads", matched_video=video
    )
    ImportRow.objects.create(
        job=scan,
        index=1,
        path=str(import_root / "b.txt"),
        problems=["not a video (ffmpeg cannot read it)"],
    )
    staff = logged_in(boss)

    body = staff.get(f"/library/import/?scan={scan.pk}").content.decode()
    assert f'href="/videos/{video.pk}/"' in body
    assert 'value="0" id="import-row-0" aria-label="Import ' in body
    assert (
        'id="import-row-1" aria-label="Import ' in body
        and "not a video (ffmpeg cannot read it)" in body
    )
    assert body.count(" disabled>") == 1  # the row with a problem cannot be ticked

    response = staff.post("/library/import/apply/", {"scan": scan.pk, "rows": ["0"]})

    assert response["Location"] == f"/library/import/?scan={scan.pk}"
    applied = Job.objects.get(kind="import_apply")
    assert applied.options["rows"] == [0]

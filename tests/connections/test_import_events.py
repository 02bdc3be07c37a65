"""An imported file is news as a download is: each applied row tells the connections a
``Download`` (``isImport``), and the media servers get one refresh per folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from connections.models import Connection, PendingRefresh
from connections.payloads import summary
from jobs.models import Job
from jobs.worker.notify import run_media_refresh, run_notify
from tests.jobs.import_folder import apply, scan
from videos.models import VideoFile

TITLES = ("Roads", "Sour Times", "Glory Box")


@pytest.fixture
def clip(media_root, media_clips) -> Path:
    return media_root / media_clips["240p"]


@pytest.fixture
def import_root(settings, tmp_path) -> Path:
    root = tmp_path / "old-collection"
    root.mkdir()
    settings.IMPORT_ROOTS = [str(root)]
    return root


def run_queued(kind: str, run, context) -> list[Job]:
    jobs = list(Job.objects.filter(kind=kind, status="queued").order_by("pk"))
    for job in jobs:
        run(job.pk, context=context)
    return [Job.objects.get(pk=job.pk) for job in jobs]


def test_each_imported_file_is_a_download_event_and_its_folder_is_refreshed_once(
    context, fake_server, boss, clip, import_root, library_root
):
    for title in TITLES:
        shutil.copyfile(clip, import_root / f"Portishead - {title}.mp4")
    Connection.objects.create(
        kind="webhook",
        name="Hook",
        settings={"url": f"{fake_server.url}/hook"},
        events=["Download"],
    )
    Connection.objects.create(
        kind="jellyfin",
        name="Jellyfin",
        settings={"url": fake_server.url, "api_key": "k", "path_to": "/media/mv"},
        events=["Download"],
    )
    job, rows = scan(import_root, "copy", context, boss)

    done = apply(job, sorted(row.index for row in rows.values()), context, boss)
    notes = run_queued("notify", run_notify, context)
    refreshes = run_queued("media_refresh", run_media_refresh, context)

    assert done.message == "Imported 3 files"
    assert [note.status for note in notes] == ["completed"] * 3
    hooks = [r.json() for r in fake_server.received if r.path == "/hook"]
    paths = sorted(VideoFile.objects.values_list("path", flat=True))
    assert sorted(hook["file"]["relativePath"] for hook in hooks) == paths
    first = hooks[0]
    assert first["eventType"] == "Download"
    assert (first["isImport"], first["isUpgrade"], first["importMode"]) == (True, False, "copy")
    assert first["sourcePath"].startswith(str(import_root))
    assert first["artist"]["name"] == "Portishead" and first["job"]["kind"] == "import_apply"
    assert summary(first)[1].startswith("Imported Portishead - ")
    assert [refresh.status for refresh in refreshes] == ["completed"]
    [updated] = [r.json() for r in fake_server.received if r.path == "/Library/Media/Updated"]
    assert updated == {"Updates": [{"Path": "/media/mv/Portishead", "UpdateType": "Created"}]}
    assert not PendingRefresh.objects.exists()


def test_a_file_imported_in_place_refreshes_the_folder_it_left_and_the_one_it_joined(
    context, fake_server, boss, clip, library_root
):
    loose = library_root / "unsorted" / "Björk - Hyperballad.mp4"
    loose.parent.mkdir()
    shutil.copyfile(clip, loose)
    shutil.copyfile(clip, loose.with_name("Björk - Jóga.mp4"))  # keeps the folder alive
    Connection.objects.create(
        kind="jellyfin",
        name="Jellyfin",
        settings={"url": fake_server.url, "api_key": "k"},
        events=["Download"],
    )
    job, rows = scan(loose.parent, "in_place", context, boss)

    apply(job, [rows[loose.name].index], context, boss)
    run_queued("media_refresh", run_media_refresh, context)

    updates = sorted(
        (u["Path"], u["UpdateType"]) for r in fake_server.received for u in r.json()["Updates"]
    )
    assert updates == [
        (f"{library_root}/Björk", "Created"),
        (f"{library_root}/unsorted", "Deleted"),
    ]

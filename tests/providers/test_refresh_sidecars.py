"""A refresh that changes a downloaded video's fields rewrites its sidecars: a real download
(yt-dlp from the local media server), then a refresh against the fake IMVDb and
MusicBrainz; the NFO beside the file, parsed, carries the new fields. A folder import is
refreshed the same way once it ends."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from jobs import kinds
from jobs.models import Job
from jobs.services import download_submit
from jobs.services.importing import import_apply_submit, import_scan_submit
from jobs.services.providers import metadata_refresh_submit
from jobs.worker import run_download
from jobs.worker.importing import run_import_apply, run_import_scan
from jobs.worker.metadata import run_metadata_refresh
from videos.models import Video


def nfo_of(video: Video, library_root: Path) -> ElementTree.Element:
    media = library_root / video.file.path
    return ElementTree.parse(media.with_name(media.stem + ".nfo")).getroot()


def test_a_refresh_that_changed_a_downloaded_video_rewrites_its_nfo(
    imvdb_server, musicbrainz_server, run_job, context, alice, boss, make_video, library_root
):
    video = make_video("Lanterns", artist="Nightfall Choir", provider_ids={"imvdb": "1001"})
    download, _ = download_submit(video=video, user=alice)
    run_download(download.pk, context=context)
    video = Video.objects.select_related("file").get(pk=video.pk)
    assert video.file is not None
    before = nfo_of(video, library_root)
    assert before.findtext("album") is None and before.findtext("year") is None

    job = run_job(metadata_refresh_submit(user=boss, video=video), run_metadata_refresh)

    assert job.status == Job.Status.COMPLETED, job.error
    assert job.message == "1 videos checked, 1 changed"
    root = nfo_of(video, library_root)
    assert root.findtext("title") == "Lanterns"
    assert (root.findtext("album"), root.findtext("year")) == ("Harbour Songs", "2019")
    assert [e.text for e in root.findall("genre")] == ["indie pop", "dream pop"]
    assert [e.text for e in root.findall("director")] == ["Juno Park"]
    assert [e.text for e in root.findall("artist")] == ["Nightfall Choir", "Mira Vale"]
    ids = {e.get("type"): e.text for e in root.findall("uniqueid")}
    assert ids["imvdb"] == "1001"
    assert ids["musicbrainz"] == "11111111-1111-4111-8111-111111111111"


@pytest.fixture
def import_root(settings, tmp_path, media_root, media_clips) -> Path:
    root = tmp_path / "old-collection"
    root.mkdir()
    settings.IMPORT_ROOTS = [str(root)]
    (root / "Nightfall Choir - Paper Moons.mp4").write_bytes(
        (media_root / media_clips["240p"]).read_bytes()
    )
    return root


def test_a_folder_import_gets_one_refresh_that_rewrites_the_imported_files_nfo(
    musicbrainz_server, monkeypatch, run_job, boss, import_root, library_root
):
    monkeypatch.setenv("MVIDARR_PROVIDERS_REFRESH_AFTER_PROBE", "true")
    monkeypatch.delenv("IMVDB_API_KEY", raising=False)
    scan = run_job(
        import_scan_submit(path=str(import_root), mode="copy", user=boss), run_import_scan
    )
    assert scan.status == Job.Status.COMPLETED, scan.error
    applied = run_job(import_apply_submit(scan_id=scan.pk, rows=[0], user=boss), run_import_apply)
    assert applied.message == "Imported 1 file"

    (refresh,) = Job.objects.filter(kind=kinds.METADATA_REFRESH)
    assert (refresh.options["scope"], refresh.options["target"]) == ("added", applied.pk)
    refresh = run_job(refresh, run_metadata_refresh)

    assert refresh.status == Job.Status.COMPLETED, refresh.error
    video = Video.objects.select_related("file").get(title="Paper Moons")
    assert video.album == "Harbour Songs"
    assert nfo_of(video, library_root).findtext("album") == "Harbour Songs"

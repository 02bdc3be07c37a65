"""Merging an artist into another moves its files as a rename does: the ``library_rename``
job of the artist kept moves each moved video's bundle into that artist's folder and every
sidecar is written again with its name; end to end with real downloads."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from jobs.models import Job
from tests.jobs.test_artist_rename import (  # noqa: F401 (fixtures)
    api_for,
    download,
    downloaded,
    files_in,
    run_rewrites,
    run_to_the_end,
    stem,
    two_videos,
)
from videos.models import Artist, VideoFile
from videos.services import artist_get_or_create


def test_merging_an_artist_moves_its_files_into_the_kept_artists_folder(
    two_videos,  # noqa: F811 (the fixture)
    library_root,
    context,
    boss,
):
    first, second = two_videos
    merged = first.artist  # "Björk & Sons"
    kept = artist_get_or_create(name="Björk")

    response = api_for(boss).post(
        f"/api/artists/{merged.pk}/merge", {"into": kept.pk}, format="json"
    )

    assert response.status_code == 200, response.content
    files_job = response.json()["files_job"]
    assert (files_job["kind"], files_job["status"]) == ("library_rename", "queued")
    assert not Artist.objects.filter(pk=merged.pk).exists()
    job = run_to_the_end(Job.objects.get(pk=files_job["id"]), context)
    assert (job.status, job.message) == ("completed", "Renamed 2 files")
    assert len(run_rewrites(context)) == 2

    names = {stem(first), stem(second)}
    expected = {"Björk/artist.nfo", "Björk/folder.jpg"}
    for name in names:
        expected |= {f"Björk/{name}.mp4", f"Björk/{name}.nfo", f"Björk/{name}-thumb.jpg"}
    assert files_in(library_root) == expected  # the merged artist's folder is gone
    assert sorted(VideoFile.objects.values_list("path", flat=True)) == sorted(
        f"Björk/{name}.mp4" for name in names
    )
    for name in names:
        nfo = ElementTree.parse(library_root / "Björk" / f"{name}.nfo").getroot()
        assert nfo.findtext("artist") == "Björk"
    artist_nfo = ElementTree.parse(library_root / "Björk" / "artist.nfo").getroot()
    assert artist_nfo.findtext("name") == "Björk"

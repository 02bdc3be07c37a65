"""Renaming an artist renames its files: a ``library_rename`` job scoped to the artist moves
each of its videos' bundles to the name the naming templates give (the artist's folder with
them: artist.nfo and folder.jpg follow), and every video's sidecars are written again with
the new name. End to end with real downloads (yt-dlp from the local media server), the
files checked by parsing; the API, the artist's page and the admin all start the same job."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from jobs import kinds
from jobs.models import HistoryEvent, Job
from jobs.services.rename import library_rename_submit
from jobs.titles import job_link, job_title
from jobs.worker.rename import run_rename
from jobs.worker.sidecars import run_sidecars
from preferences.services import setting_set
from tests.jobs.test_sidecars import downloaded  # noqa: F401 (a fixture)
from videos.library.artwork import artist_artwork_store, video_artwork
from videos.library.templates import NamingTemplate
from videos.models import Artist, Video, VideoFile


def run_to_the_end(job: Job, context) -> Job:
    for _ in range(50):
        run_rename(job.pk, context=context)
        job.refresh_from_db()
        if job.status in Job.FINISHED_STATUSES:
            return job
    raise AssertionError(f"job {job.pk} did not end: {job.status} {job.message}")


def run_rewrites(context) -> list[Job]:
    """Run every queued sidecars_write job; return them finished."""
    done = []
    for job in Job.objects.filter(kind=kinds.SIDECARS_WRITE, status="queued").order_by("pk"):
        run_sidecars(job.pk, context=context)
        job.refresh_from_db()
        assert job.status == "completed", job.error
        done.append(job)
    return done


def files_in(root) -> set[str]:
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and ".trash" not in p.parts
    }


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def download(downloaded):  # noqa: F811
    """tests.jobs.test_sidecars' ``downloaded``: a video downloaded by the real runner."""
    return downloaded


def stem(video) -> str:
    """The file's name without its folder and extension."""
    return VideoFile.objects.get(video=video).path.rsplit("/", 1)[-1].rsplit(".", 1)[0]


@pytest.fixture
def two_videos(download):
    """Two downloaded videos of "Björk & Sons", whose artwork is in the artist's folder as
    folder.jpg (written by the second download)."""
    first, _ = download(title="Jóga", thumbnail="images/cover.jpg", source_id="id1")
    artist_artwork_store(first.artist, video_artwork(first).read_bytes())
    second, _ = download(title="Hyperballad", thumbnail="images/cover.jpg", source_id="id2")
    return first, second


def test_renaming_an_artist_in_the_api_moves_its_files_and_rewrites_their_sidecars(
    two_videos, library_root, context, boss
):
    first, second = two_videos
    artist = first.artist
    assert files_in(library_root) >= {
        "Björk & Sons/artist.nfo",
        "Björk & Sons/folder.jpg",
        f"Björk & Sons/{stem(first)}.nfo",
    }
    picture = (library_root / "Björk & Sons/folder.jpg").read_bytes()

    response = api_for(boss).patch(
        f"/api/artists/{artist.pk}/", {"name": "Björk Guðmundsdóttir"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Björk Guðmundsdóttir"
    files_job = response.json()["files_job"]
    assert (files_job["kind"], files_job["status"]) == ("library_rename", "queued")
    assert files_job["title"] == "The files of Björk Guðmundsdóttir"
    assert files_job["link"] == reverse("artist-detail", args=[artist.pk])
    # Nothing moved in the request.
    assert (library_root / "Björk & Sons/artist.nfo").is_file()

    job = run_to_the_end(Job.objects.get(pk=files_job["id"]), context)
    assert (job.status, job.message) == ("completed", "Renamed 2 files")
    assert len(run_rewrites(context)) == 2

    folder = "Björk Guðmundsdóttir"
    names = {stem(first), stem(second)}
    expected = {f"{folder}/artist.nfo", f"{folder}/folder.jpg"}
    for name in names:
        expected |= {f"{folder}/{name}.mp4", f"{folder}/{name}.nfo", f"{folder}/{name}-thumb.jpg"}
    assert files_in(library_root) == expected  # the old folder is gone, nothing left behind
    assert sorted(VideoFile.objects.values_list("path", flat=True)) == sorted(
        f"{folder}/{name}.mp4" for name in names
    )
    for name in names:
        nfo = ElementTree.parse(library_root / folder / f"{name}.nfo").getroot()
        assert nfo.findtext("artist") == "Björk Guðmundsdóttir"
        assert nfo.findtext("thumb") == f"{name}-thumb.jpg"
    artist_nfo = ElementTree.parse(library_root / folder / "artist.nfo").getroot()
    assert artist_nfo.findtext("name") == "Björk Guðmundsdóttir"
    assert (library_root / folder / "folder.jpg").read_bytes() == picture
    assert HistoryEvent.objects.filter(event="renamed", job=job).count() == 2
    assert Artist.objects.get(pk=artist.pk).folder_name == "Björk Guðmundsdóttir"


def test_a_file_named_after_the_artist_gets_the_new_name_and_a_flat_library_drops_the_folder(
    two_videos, library_root, context, boss
):
    first, _ = two_videos
    setting_set("naming.artist_folder", "", user=None)
    setting_set("naming.file", "{artist} - {title}", user=None)

    api_for(boss).patch(f"/api/artists/{first.artist.pk}/", {"name": "Björk"}, format="json")
    job = run_to_the_end(Job.objects.get(kind=kinds.LIBRARY_RENAME), context)
    run_rewrites(context)

    assert job.status == "completed", job.error
    # At the library's top there is no artist folder: its files go with the old one.
    assert files_in(library_root) == {
        "Björk - Jóga.mp4",
        "Björk - Jóga.nfo",
        "Björk - Jóga-thumb.jpg",
        "Björk - Hyperballad.mp4",
        "Björk - Hyperballad.nfo",
        "Björk - Hyperballad-thumb.jpg",
    }
    nfo = ElementTree.parse(library_root / "Björk - Jóga.nfo").getroot()
    assert nfo.findtext("artist") == "Björk"


def test_a_video_whose_file_keeps_its_name_still_gets_its_sidecars_rewritten(
    download,
    library_root,
    context,
    boss,
):
    setting_set("naming.artist_folder", "Music", user=None)  # no {artist}: nothing moves
    video, _ = download(title="Jóga", source_id="id3")
    path = video.file.path

    api_for(boss).patch(f"/api/artists/{video.artist.pk}/", {"name": "Björk"}, format="json")
    job = run_to_the_end(Job.objects.get(kind=kinds.LIBRARY_RENAME), context)
    [rewrite] = run_rewrites(context)

    assert (job.status, job.message) == ("completed", "Renamed 0 files")
    assert rewrite.video_id == video.pk
    assert VideoFile.objects.get(video=video).path == path
    nfo = ElementTree.parse((library_root / path).with_suffix(".nfo")).getroot()
    assert nfo.findtext("artist") == "Björk"
    artist_nfo = ElementTree.parse(library_root / "Music/artist.nfo").getroot()
    assert artist_nfo.findtext("name") == "Björk"


def test_the_rename_touches_only_the_renamed_artists_files(download, library_root, context, boss):
    mine, _ = download(title="Jóga", artist="Björk & Sons", source_id="id4")
    other, _ = download(title="Roads", artist="Portishead", source_id="id5")
    before = VideoFile.objects.get(video=other).path

    api_for(boss).patch(f"/api/artists/{mine.artist.pk}/", {"name": "Björk"}, format="json")
    job = run_to_the_end(Job.objects.get(kind=kinds.LIBRARY_RENAME), context)
    rewrites = run_rewrites(context)

    assert job.options["total"] == 1 and job.message == "Renamed 1 file"
    assert [rewrite.video_id for rewrite in rewrites] == [mine.pk]
    assert VideoFile.objects.get(video=other).path == before
    assert (library_root / before).is_file()


def test_the_same_name_again_or_an_artist_without_files_starts_no_job(
    download,
    make_artist,
    boss,
):
    video, _ = download(title="Jóga", artist="Björk", source_id="id6")
    empty = make_artist("Nobody Yet")
    client = api_for(boss)

    same = client.patch(f"/api/artists/{video.artist.pk}/", {"name": "Björk"}, format="json")
    none = client.patch(f"/api/artists/{empty.pk}/", {"name": "Somebody"}, format="json")

    assert (same.status_code, same.json()["files_job"]) == (200, None)
    assert (none.status_code, none.json()["files_job"]) == (200, None)
    assert not Job.objects.filter(kind=kinds.LIBRARY_RENAME).exists()


def test_a_second_rename_before_the_job_runs_shares_its_job(download, boss):
    video, _ = download(title="Jóga", artist="Björk & Sons", source_id="id7")
    client = api_for(boss)
    first = client.patch(f"/api/artists/{video.artist.pk}/", {"name": "Björk"}, format="json")
    second = client.patch(f"/api/artists/{video.artist.pk}/", {"name": "Bjork"}, format="json")
    assert first.json()["files_job"]["id"] == second.json()["files_job"]["id"]
    job = Job.objects.get(kind=kinds.LIBRARY_RENAME)
    assert job_title(job) == "The files of Bjork"


def test_an_artists_rename_waits_for_an_older_rename_of_the_library(
    download,
    context,
    boss,
    library_root,
):
    video, _ = download(title="Jóga", artist="Björk & Sons", year=1997, source_id="id8")
    library = library_rename_submit(
        template=NamingTemplate("{artist}", "{title} ({year})"), user=boss
    )
    api_for(boss).patch(f"/api/artists/{video.artist.pk}/", {"name": "Björk"}, format="json")
    artist_job = Job.objects.get(kind=kinds.LIBRARY_RENAME, options__artist=video.artist.pk)

    run_rename(artist_job.pk, context=context)
    artist_job.refresh_from_db()
    assert (artist_job.status, artist_job.started_at) == ("queued", None)  # it waits

    assert run_to_the_end(library, context).status == "completed"
    assert VideoFile.objects.get(video=video).path == "Björk/Jóga (1997).mp4"  # new name read
    assert run_to_the_end(artist_job, context).status == "completed"
    assert job_link(library) == reverse("library-rename")


# --- the faces: the artist's page and the admin start the same job -------------------------
def test_renaming_on_the_artists_page_starts_the_job(download, client, boss):
    video, _ = download(title="Jóga", artist="Björk & Sons", source_id="id9")
    client.force_login(boss)

    response = client.post(
        reverse("artist-rename", args=[video.artist.pk]), {"name": "Björk"}, follow=True
    )

    job = Job.objects.get(kind=kinds.LIBRARY_RENAME)
    assert job.options["artist"] == video.artist.pk and job.user == boss
    assert f"Renamed the artist to “Björk”; its files follow (job #{job.pk})." in (
        response.content.decode()
    )


def test_renaming_in_the_admin_starts_the_job(download, client, root):
    video, _ = download(title="Jóga", artist="Björk & Sons", source_id="id10")
    artist = video.artist
    client.force_login(root)
    form = {
        "name": "Björk",
        "sort_name": "Björk",
        "monitor_new": "all",
        "quality_profile": "",
        "provider_ids": "{}",
    }

    response = client.post(
        reverse("admin:videos_artist_change", args=[artist.pk]), form, follow=True
    )

    assert response.status_code == 200
    artist.refresh_from_db()
    assert (artist.name, artist.folder_name) == ("Björk", "Björk")
    job = Job.objects.get(kind=kinds.LIBRARY_RENAME)
    assert job.options["artist"] == artist.pk and job.user == root
    assert f"Its files follow the new name (job #{job.pk})." in response.content.decode()
    assert Video.objects.get(pk=video.pk).artist_id == artist.pk

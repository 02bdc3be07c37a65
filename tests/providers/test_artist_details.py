"""An artist's own details from the providers: its IMVDb and MusicBrainz ids and its
picture, stored on an import or a refresh (the picture fetched through the private-address
guard into MVidarr's artwork store), shown in the artist's JSON, and written into the
artist's folder as artist.nfo (musicBrainzArtistID) and folder.jpg."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from jobs.models import Job
from jobs.services import download_submit
from jobs.services.providers import artist_import_submit, metadata_refresh_submit
from jobs.worker import run_download
from jobs.worker.artist_import import run_artist_import
from jobs.worker.metadata import run_metadata_refresh
from tests.providers.fakes import MB_ARTIST
from videos.library.artwork import artist_artwork
from videos.library.images import is_jpeg
from videos.models import Artist, Video

pytestmark = pytest.mark.usefixtures("musicbrainz_server")


@pytest.fixture
def pictured(imvdb_server, media_server):
    """IMVDb's artist 100 has the media server's cover as its picture."""
    imvdb_server.artist_images[100] = media_server.url("images/cover.jpg")
    return imvdb_server


@pytest.fixture
def downloaded_lanterns(context, alice, make_video, library_root) -> Video:
    """Nightfall Choir's "Lanterns", downloaded by the real runner."""
    video = make_video("Lanterns", artist="Nightfall Choir")
    job, _ = download_submit(video=video, user=alice)
    run_download(job.pk, context=context)
    return Video.objects.select_related("file", "artist").get(pk=video.pk)


def artist_folder_of(video: Video, library_root: Path) -> Path:
    return (library_root / video.file.path).parent


def artist_json(user, artist: Artist) -> dict:
    api = APIClient()
    api.force_authenticate(user)
    response = api.get(f"/api/artists/{artist.pk}/")
    assert response.status_code == 200
    return response.json()


def test_an_import_stores_the_artists_ids_and_picture_and_writes_its_folder_files(
    pictured, run_job, boss, downloaded_lanterns, library_root
):
    job = run_job(
        artist_import_submit(provider="imvdb", provider_id="100", user=boss), run_artist_import
    )
    assert job.status == Job.Status.COMPLETED, job.error
    artist = Artist.objects.get()
    assert artist.pk == downloaded_lanterns.artist_id
    assert artist.provider_ids == {"imvdb": "100", "musicbrainz": MB_ARTIST}
    picture = artist_artwork(artist)
    assert picture is not None and is_jpeg(picture.read_bytes())

    body = artist_json(boss, artist)
    assert body["provider_ids"] == {"imvdb": "100", "musicbrainz": MB_ARTIST}
    assert body["artwork"] == f"/artists/{artist.pk}/artwork"

    folder = artist_folder_of(downloaded_lanterns, library_root)
    root = ElementTree.parse(folder / "artist.nfo").getroot()
    assert root.findtext("musicBrainzArtistID") == MB_ARTIST
    ids = {e.get("type"): e.text for e in root.findall("uniqueid")}
    assert ids == {"imvdb": "100", "musicbrainz": MB_ARTIST}
    assert (folder / "folder.jpg").read_bytes() == picture.read_bytes()


def test_an_artist_refresh_finds_its_musicbrainz_id_and_picture(
    pictured, run_job, boss, downloaded_lanterns, library_root
):
    artist = downloaded_lanterns.artist
    Artist.objects.filter(pk=artist.pk).update(provider_ids={"imvdb": "100"})
    folder = artist_folder_of(downloaded_lanterns, library_root)
    assert not (folder / "folder.jpg").exists()

    job = run_job(metadata_refresh_submit(user=boss, artist=artist), run_metadata_refresh)

    assert job.status == Job.Status.COMPLETED, job.error
    artist.refresh_from_db()
    assert artist.provider_ids == {"imvdb": "100", "musicbrainz": MB_ARTIST}
    assert artist.image_url.endswith("/images/cover.jpg")
    assert (folder / "folder.jpg").read_bytes() == artist_artwork(artist).read_bytes()
    nfo = ElementTree.parse(folder / "artist.nfo").getroot()
    assert nfo.findtext("musicBrainzArtistID") == MB_ARTIST


def test_a_video_refresh_takes_the_artists_musicbrainz_id_from_the_recordings_credit(
    run_job, boss, make_video, monkeypatch
):
    monkeypatch.delenv("IMVDB_API_KEY", raising=False)
    video = make_video("Lanterns", artist="Nightfall Choir")
    job = run_job(metadata_refresh_submit(user=boss, video=video), run_metadata_refresh)
    assert job.status == Job.Status.COMPLETED, job.error
    assert Artist.objects.get().provider_ids == {"musicbrainz": MB_ARTIST}


def test_an_id_a_person_set_is_kept(pictured, run_job, boss, make_artist):
    mine = "99999999-9999-4999-8999-999999999999"
    artist = make_artist("Nightfall Choir", provider_ids={"imvdb": "100", "musicbrainz": mine})
    run_job(metadata_refresh_submit(user=boss, artist=artist), run_metadata_refresh)
    artist.refresh_from_db()
    assert artist.provider_ids["musicbrainz"] == mine


def test_a_picture_that_cannot_be_had_is_said_on_the_job_and_nothing_is_stored(
    imvdb_server, media_server, run_job, boss
):
    imvdb_server.artist_images[100] = media_server.url("images/not-a-picture.jpg")
    job = run_job(
        artist_import_submit(provider="imvdb", provider_id="100", user=boss), run_artist_import
    )
    assert job.status == Job.Status.COMPLETED, job.error
    assert "The artist's picture was not used (what the site sent is not a picture" in job.message
    artist = Artist.objects.get()
    assert artist_artwork(artist) is None
    assert artist_json(boss, artist)["artwork"] is None


def test_the_artists_json_schema_documents_its_ids_and_artwork(boss):
    api = APIClient()
    api.force_authenticate(boss)
    schema = api.get("/api/schema/?format=json").json()
    properties = schema["components"]["schemas"]["Artist"]["properties"]
    assert properties["artwork"]["nullable"] is True
    assert "provider_ids" in properties

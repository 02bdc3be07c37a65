"""Sidecars end to end: a real download (yt-dlp from the local media server) writes the
artwork, the ``-thumb.jpg``, the ``.nfo`` and the artist's files, each as its switch says;
they are checked by parsing. A thumbnail that cannot be had falls back to a frame and says
so; a folder that cannot be written fails the step, never the download nor the file."""

from __future__ import annotations

import datetime
import hashlib
import os
import xml.etree.ElementTree as ElementTree

import pytest

from jobs import kinds
from jobs.models import Job
from jobs.services import (
    download_submit,
    probe_submit,
    sidecars_submit,
    tags_submit,
    video_remove,
)
from jobs.services.rename import library_rename_submit
from jobs.worker import run_download, run_probe
from jobs.worker.rename import run_rename
from jobs.worker.sidecars import run_sidecars
from preferences.services import setting_set
from tests.readonly import read_only_folder
from tests.videos.test_library_tags import attached_pictures, fake_ffmpeg, ffmetadata
from videos.library import run_post_store_steps
from videos.library.artwork import video_artwork
from videos.library.images import is_jpeg
from videos.library.streams import stream_details
from videos.library.templates import PRESETS
from videos.models import Video

JELLYFIN = next(preset.template for preset in PRESETS if preset.name == "jellyfin")

TAG_KEYS = ("title", "artist", "album", "date", "genre", "comment", "description")
TITLE = 'Tom & Jerry <live> "Ça va" ★'


@pytest.fixture
def switches(transactional_db):
    """``switches(**{"sidecars.tags": True})``: the sidecar settings, stored as a person's."""

    def switch(**values):
        for key, value in values.items():
            setting_set(key, value, user=None)

    return switch


@pytest.fixture
def downloaded(context, alice, make_video, media_server, media_clips, library_root):
    """``downloaded(title, thumbnail=path on the media server or None, **fields)``: a video
    downloaded by the real runner; returns (video with its file, the finished job)."""

    def download(title=TITLE, *, thumbnail="images/cover.webp", artist="Björk & Sons", **fields):
        video = make_video(
            title,
            artist=artist,
            thumbnail_url=media_server.url(thumbnail) if thumbnail else "",
            **fields,
        )
        job, _ = download_submit(video=video, user=alice)
        run_download(job.pk, context=context)
        job.refresh_from_db()
        assert job.status == "completed", job.error
        return Video.objects.select_related("file", "artist").get(pk=video.pk), job

    return download


def media_of(video, library_root):
    return library_root / video.file.path


def beside(video, library_root, suffix):
    media = media_of(video, library_root)
    return media.with_name(media.stem + suffix)


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_download_writes_the_nfo_thumbnail_and_artist_files(downloaded, library_root):
    video, job = downloaded(
        featured_artists=["Ségolène <Duo> & Co"],
        album="Homogenic",
        genres=["Electronic", "Art pop"],
        directors=["Michel Gondry"],
        studio="One Little Indian",
        plot="A plot & a <twist>.",
        year=1997,
        premiered=datetime.date(1997, 9, 22),
        video_type=Video.VideoType.OFFICIAL,
        provider_ids={"imvdb": "1234"},
    )
    assert job.message.startswith("Downloaded (") and ";" not in job.message
    assert video.file.sidecars == ["-thumb.jpg", ".nfo"]

    thumb = beside(video, library_root, "-thumb.jpg")
    assert thumb.stat().st_size > 0 and is_jpeg(thumb.read_bytes())
    assert stream_details(thumb).video_codec == "mjpeg"
    assert thumb.read_bytes() == video_artwork(video).read_bytes()

    nfo = beside(video, library_root, ".nfo")
    assert nfo.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"')
    root = ElementTree.parse(nfo).getroot()
    assert root.tag == "musicvideo"
    assert root.findtext("title") == TITLE
    assert [e.text for e in root.findall("artist")] == ["Björk & Sons", "Ségolène <Duo> & Co"]
    assert [e.text for e in root.findall("genre")] == ["Electronic", "Art pop"]
    assert [e.text for e in root.findall("director")] == ["Michel Gondry"]
    assert {tag: root.findtext(tag) for tag in ("album", "year", "premiered", "studio")} == {
        "album": "Homogenic",
        "year": "1997",
        "premiered": "1997-09-22",
        "studio": "One Little Indian",
    }
    assert (root.findtext("plot"), root.findtext("tag")) == (
        "A plot & a <twist>.",
        "Official video",
    )
    uniqueid = root.find("uniqueid")
    assert (uniqueid.get("type"), uniqueid.text, uniqueid.get("default")) == (
        "imvdb",
        "1234",
        "true",
    )
    assert root.findtext("runtime") == "1"
    assert root.find("thumb").text == thumb.name and root.find("thumb").get("aspect") == "thumb"
    assert root.findtext("dateadded")[:4] == str(video.created_at.year)
    details = root.find("fileinfo/streamdetails")
    assert {e.tag: e.text for e in details.find("video")} == {
        "codec": "h264",
        "aspect": "1.78",
        "width": "640",
        "height": "360",
        "durationinseconds": "2",
    }
    assert {e.tag: e.text for e in details.find("audio")} == {"codec": "aac", "channels": "1"}

    folder = media_of(video, library_root).parent
    artist = ElementTree.parse(folder / "artist.nfo").getroot()
    assert (artist.tag, artist.findtext("name")) == ("artist", "Björk & Sons")
    assert not (folder / "folder.jpg").exists()  # the artist has no artwork yet
    assert "title" not in ffmetadata(media_of(video, library_root))  # tags are off by default


@pytest.mark.parametrize(
    ("thumbnail", "reason"),
    [
        ("404/cover.jpg", "the site answered HTTP 404"),
        ("images/not-a-picture.jpg", "what the site sent is not a picture (image/jpeg)"),
    ],
)
def test_a_thumbnail_that_cannot_be_had_becomes_a_frame_and_a_note(
    downloaded, library_root, thumbnail, reason
):
    video, job = downloaded(thumbnail=thumbnail)
    assert job.message.endswith(
        f"; The site's thumbnail was not used ({reason}); a frame of the video is its artwork "
        "instead."
    )
    thumb = beside(video, library_root, "-thumb.jpg")
    assert is_jpeg(thumb.read_bytes()) and stream_details(thumb).width == 640


def test_a_private_thumbnail_address_is_refused_and_a_frame_used(
    downloaded, library_root, internal_service, make_video
):
    port = internal_service.server_address[1]
    video, _ = downloaded(thumbnail=None)
    # A probe would set it; the download then stores the artwork through the guard.
    Video.objects.filter(pk=video.pk).update(thumbnail_url=f"http://127.0.0.1:{port}/t.jpg")
    video.refresh_from_db()
    assert video_artwork(video) is not None  # the frame from the download, without thumbnail
    video_artwork(video).unlink()
    notes = run_post_store_steps(video=video, video_file=video.file)
    assert internal_service.hits == []
    assert len(notes) == 1 and "it is a loopback address" in notes[0]
    assert notes[0].endswith("a frame of the video is its artwork instead.")
    assert is_jpeg(beside(video, library_root, "-thumb.jpg").read_bytes())


def test_each_sidecar_follows_its_switch(downloaded, library_root, switches):
    switches(**{"sidecars.nfo": False, "sidecars.thumb": False, "sidecars.artist": False})
    video, _ = downloaded()
    folder = media_of(video, library_root).parent
    assert sorted(p.name for p in folder.iterdir()) == [media_of(video, library_root).name]
    assert video.file.sidecars == []
    assert video_artwork(video) is not None  # the pages' artwork is always kept


def test_a_sidecar_switched_off_is_removed_at_the_next_rewrite(
    downloaded, library_root, switches, context
):
    video, _ = downloaded()
    switches(**{"sidecars.thumb": False})
    job = sidecars_submit(video=video, user=None, origin="system")
    run_sidecars(job.pk, context=context)
    job.refresh_from_db()
    video.file.refresh_from_db()
    assert job.status == "completed" and job.message == "Sidecars written"
    assert video.file.sidecars == [".nfo"]
    assert not beside(video, library_root, "-thumb.jpg").exists()
    assert ElementTree.parse(beside(video, library_root, ".nfo")).find("thumb") is None


def test_tags_switched_on_are_written_at_store_time(downloaded, library_root, switches):
    switches(**{"sidecars.tags": True})
    video, _ = downloaded(
        title="Army of Me",
        artist="Björk",
        album="Post",
        genres=["Electronic", "Trip hop"],
        premiered=datetime.date(1995, 4, 24),
        plot="Björk & a <truck>.",
    )
    tags = ffmetadata(media_of(video, library_root))
    assert {key: tags.get(key) for key in TAG_KEYS} == {
        "title": "Army of Me",
        "artist": "Björk",
        "album": "Post",
        "date": "1995-04-24",
        "genre": "Electronic; Trip hop",
        "comment": video.source_url,
        "description": "Björk & a <truck>.",
    }
    assert attached_pictures(media_of(video, library_root)) == 1  # the artwork as the cover
    video.file.refresh_from_db()
    assert video.file.size == media_of(video, library_root).stat().st_size


def test_a_read_only_folder_fails_the_step_with_a_sentence_and_keeps_the_file(
    downloaded, library_root, context
):
    video, _ = downloaded(title="Read only")
    media = media_of(video, library_root)
    before = digest(media)
    for suffix in ("-thumb.jpg", ".nfo"):
        beside(video, library_root, suffix).unlink()
    Video.objects.filter(pk=video.pk).update(title="Read only, renamed")
    job = sidecars_submit(video=video, user=None, origin="system")
    with read_only_folder(media.parent):
        run_sidecars(job.pk, context=context)
    job.refresh_from_db()
    assert job.status == "failed"
    reason = "Operation not permitted" if os.geteuid() == 0 else "Permission denied"
    assert job.error == " ".join(
        f"{what} could not be written in the folder “Björk & Sons” ({reason}); check that "
        "MVidarr may write there."
        for what in ("The thumbnail", "The NFO file", "The artist's artist.nfo")
    )
    assert digest(media) == before
    assert {p.name for p in media.parent.iterdir()} == {"artist.nfo", media.name}


def test_the_write_tags_job_tags_the_file(downloaded, library_root, context, boss):
    video, _ = downloaded(title="Hyperballad", artist="Björk")
    job = tags_submit(video=video, user=boss)
    assert job.kind == kinds.TAGS_WRITE
    run_sidecars(job.pk, context=context)
    job.refresh_from_db()
    media = media_of(video, library_root)
    assert job.status == "completed" and job.message == f"Tags written into {media.name}"
    assert ffmetadata(media)["title"] == "Hyperballad"


def test_a_failed_tags_remux_fails_the_job_and_leaves_the_file(
    downloaded, library_root, context, boss, settings, tmp_path, monkeypatch
):
    video, _ = downloaded(title="Unravel", artist="Björk")
    media = media_of(video, library_root)
    before = digest(media)
    monkeypatch.setenv(
        "REAL", settings.FFMPEG_PATH or __import__("imageio_ffmpeg").get_ffmpeg_exe()
    )
    settings.FFMPEG_PATH = fake_ffmpeg(tmp_path, 'echo "No space left on device" >&2; exit 1')
    job = tags_submit(video=video, user=boss)
    run_sidecars(job.pk, context=context)
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == (
        f"The tags could not be written into {media.name} (ffmpeg failed: No space left on "
        "device); the file was left as it was."
    )
    assert digest(media) == before
    assert [p.name for p in media.parent.iterdir() if p.name.startswith(".")] == []


def test_deleting_the_video_deletes_its_sidecars_artist_files_and_artwork(
    downloaded, library_root, boss
):
    video, _ = downloaded()
    folder = media_of(video, library_root).parent
    artwork = video_artwork(video)
    video_remove(video=video, delete_file=True, user=boss)
    assert list(folder.iterdir()) == []
    assert not artwork.exists()


def test_the_artist_files_stay_while_another_video_is_in_the_folder(downloaded, library_root, boss):
    first, _ = downloaded(title="One")
    second, _ = downloaded(title="Two")
    folder = media_of(first, library_root).parent
    video_remove(video=first, delete_file=True, user=boss)
    assert (folder / "artist.nfo").is_file() and media_of(second, library_root).is_file()


# --- a probe: the artwork before any download, and a rewrite for a downloaded video ---------
def probed(video, user, context):
    job = probe_submit(user=user, video=video)
    run_probe(job.pk, context=context)
    job.refresh_from_db()
    assert job.status == "completed", job.error
    return job


def test_a_probe_stores_the_artwork_of_a_video_without_a_file(
    context, alice, make_video, media_server
):
    video = make_video(source_url=media_server.url("embed/clips/360p.mp4?thumb=/images/cover.png"))
    job = probed(video, alice, context)
    video.refresh_from_db()
    assert job.message == f"Found “{video.title}”"
    assert video.thumbnail_url.endswith("/images/cover.png")
    assert is_jpeg(video_artwork(video).read_bytes())
    assert not Job.objects.filter(kind=kinds.SIDECARS_WRITE).exists()


def test_a_probe_says_when_the_thumbnail_was_not_used(context, alice, make_video, media_server):
    video = make_video(source_url=media_server.url("embed/clips/360p.mp4?thumb=/404/cover.png"))
    job = probed(video, alice, context)
    assert job.message.endswith("; The site's thumbnail was not used (the site answered HTTP 404).")
    assert video_artwork(video) is None


def test_a_probe_of_a_downloaded_video_queues_a_rewrite_of_its_sidecars(
    downloaded, context, alice, media_server
):
    video, _ = downloaded(
        thumbnail=None,
        source_url=media_server.url("embed/clips/360p.mp4?thumb=/images/cover.jpg"),
    )
    probed(video, alice, context)
    rewrite = Job.objects.get(kind=kinds.SIDECARS_WRITE)
    assert (rewrite.video_id, rewrite.origin, rewrite.user, rewrite.status) == (
        video.pk,
        "system",
        None,
        "queued",
    )
    run_sidecars(rewrite.pk, context=context)
    rewrite.refresh_from_db()
    assert rewrite.status == "completed", rewrite.error


def test_a_renamed_file_gets_its_sidecars_written_again_under_its_new_name(
    downloaded, library_root, context
):
    video, _ = downloaded(title="Jóga", year=1997)
    job = library_rename_submit(template=JELLYFIN, user=None, origin="system")
    run_rename(job.pk, context=context)
    video.file.refresh_from_db()
    assert video.file.path == "Björk & Sons/Jóga (1997).mp4"
    rewrite = Job.objects.get(kind=kinds.SIDECARS_WRITE)
    run_sidecars(rewrite.pk, context=context)
    nfo = ElementTree.parse(library_root / "Björk & Sons/Jóga (1997).nfo").getroot()
    assert nfo.findtext("thumb") == "Jóga (1997)-thumb.jpg"
    assert (library_root / "Björk & Sons/Jóga (1997)-thumb.jpg").is_file()

"""videos.library.artwork: a video's artwork is the site's thumbnail fetched through the
private-address guard and stored as a JPEG, else a frame of its file, with a note that says
why; never a failure."""

from __future__ import annotations

import datetime
import shutil

import pytest

from videos.library import artwork
from videos.library.artwork import video_artwork, video_artwork_store
from videos.library.images import is_jpeg
from videos.library.streams import stream_details
from videos.models import Video


@pytest.fixture
def media(tmp_path, media_root, media_clips):
    """A copy of the 360p clip, standing for the video's file."""
    path = tmp_path / "clip.mp4"
    shutil.copy(media_root / media_clips["360p"], path)
    return path


def assert_real_jpeg(path, *, width=None):
    data = path.read_bytes()
    assert len(data) > 0 and is_jpeg(data)
    details = stream_details(path)
    assert details.video_codec == "mjpeg"
    if width is not None:
        assert details.width == width


@pytest.mark.parametrize("picture", ["cover_jpg", "cover_png", "cover_webp"])
def test_the_sites_thumbnail_is_stored_as_a_jpeg(make_video, media_server, media_clips, picture):
    video = make_video("Cover", thumbnail_url=media_server.url(media_clips[picture]))
    outcome = video_artwork_store(video)
    assert outcome == artwork.ArtworkOutcome("site")
    assert_real_jpeg(video_artwork(video), width=320)


def test_a_stored_thumbnail_is_kept_until_the_address_changes(
    make_video, media_server, media_clips
):
    url = media_server.url(media_clips["cover_png"])
    video = make_video("Kept", thumbnail_url=f"{url}?kept")
    assert video_artwork_store(video).source == "site"
    assert video_artwork_store(video).source == "kept"
    assert len(media_server.requests_for("cover.png?kept")) == 1
    video.thumbnail_url = f"{url}?kept-again"
    assert video_artwork_store(video).source == "site"
    assert video_artwork_store(video, refresh=True).source == "site"
    assert len(media_server.requests_for("cover.png?kept-again")) == 2


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("404/cover.jpg", "the site answered HTTP 404"),
        ("images/not-a-picture.jpg", "what the site sent is not a picture (image/jpeg)"),
        ("json/cover", "what the site sent is not a picture (application/json)"),
    ],
)
def test_a_thumbnail_that_fails_falls_back_to_a_frame_with_a_note(
    make_video, media_server, media, path, reason
):
    video = make_video("Fallback", thumbnail_url=media_server.url(path))
    outcome = video_artwork_store(video, media=media, streams=stream_details(media))
    assert outcome.source == "frame"
    assert outcome.note == (
        f"The site's thumbnail was not used ({reason}); a frame of the video is its artwork "
        "instead."
    )
    assert_real_jpeg(video_artwork(video), width=640)


def test_a_private_address_is_refused_by_the_guard_and_a_frame_used(
    make_video, internal_service, media
):
    port = internal_service.server_address[1]
    video = make_video("Private", thumbnail_url=f"http://127.0.0.1:{port}/cover.jpg")
    outcome = video_artwork_store(video, media=media)
    assert internal_service.hits == []
    assert outcome.source == "frame"
    assert f"MVidarr does not fetch from 127.0.0.1 port {port}: it is a loopback address" in (
        outcome.note
    )
    assert_real_jpeg(video_artwork(video))


def test_a_picture_over_the_size_cap_is_not_stored(
    make_video, media_server, media_clips, monkeypatch
):
    monkeypatch.setattr(artwork, "MAX_IMAGE_BYTES", 2048)
    video = make_video("Huge", thumbnail_url=media_server.url(media_clips["cover_jpg"]))
    outcome = video_artwork_store(video)
    assert outcome.source == ""
    assert outcome.note == (
        "The site's thumbnail was not used (the picture is larger than 2.0 kB, the most MVidarr "
        "stores)."
    )
    assert video_artwork(video) is None


def test_without_a_thumbnail_or_a_file_there_is_no_artwork(make_video):
    video = make_video("Nothing")
    assert video_artwork_store(video) == artwork.ArtworkOutcome("")
    assert video_artwork(video) is None


def test_an_audio_file_gives_no_frame(make_video, media_root, media_clips):
    audio = media_root / media_clips["audio"]
    video = make_video("Audio")
    assert video_artwork_store(video, media=audio, streams=stream_details(audio)).source == ""
    assert video_artwork(video) is None


def test_deleting_the_artwork_removes_the_picture_and_its_record(make_video, media):
    video = make_video("Gone")
    assert video_artwork_store(video, media=media).source == "frame"
    artwork.artwork_delete(artwork.video_artwork_path(video))
    assert video_artwork(video) is None
    assert list(artwork.video_artwork_path(video).parent.iterdir()) == []


def test_a_row_made_again_with_the_same_id_does_not_show_the_old_picture(make_video, media):
    video = make_video("First")
    assert video_artwork_store(video, media=media).source == "frame"
    Video.objects.filter(pk=video.pk).update(created_at=video.created_at + datetime.timedelta(1))
    video.refresh_from_db()
    assert video_artwork(video) is None

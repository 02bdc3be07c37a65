"""The pages show MVidarr's own copy of the artwork, never the site's picture; the copy is
served to signed-in people only. Staff write tags from the video page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from jobs.models import Job
from videos.library.artwork import artist_artwork_path, video_artwork_path

SITE_PICTURE = "https://i.videos.example/vi/x1/maxresdefault.jpg"


@pytest.fixture
def picture(media_root, media_clips) -> bytes:
    return (media_root / media_clips["cover_jpg"]).read_bytes()


@pytest.fixture
def with_artwork(make_video, picture):
    video = make_video("Army of Me", artist="Björk", thumbnail_url=SITE_PICTURE)
    path = video_artwork_path(video)
    path.parent.mkdir(parents=True)
    path.write_bytes(picture)
    return video


@pytest.fixture
def downloaded(make_video, library_root, media_root, media_clips):
    video = make_video("Hyperballad", status="downloaded", file_path="Björk/Hyperballad [x2].mp4")
    (library_root / "Björk").mkdir()
    (library_root / "Björk/Hyperballad [x2].mp4").write_bytes(
        (media_root / media_clips["360p"]).read_bytes()
    )
    return video


def test_the_grid_and_the_video_page_show_the_local_copy_and_never_the_sites(
    logged_in, alice, with_artwork, make_video
):
    without = make_video("No artwork yet", thumbnail_url=SITE_PICTURE)
    client = logged_in(alice)
    local = re.escape(reverse("video-artwork", args=[with_artwork.pk])) + r"\?v=[0-9a-f]+"
    grid = client.get(reverse("home")).content.decode()
    assert re.search(rf'<img src="{local}"', grid)
    page = client.get(reverse("video-detail", args=[with_artwork.pk])).content.decode()
    assert re.search(rf"background-image:url\('{local}'\)", page)
    for html in (grid, page, client.get(reverse("video-detail", args=[without.pk])).content):
        assert SITE_PICTURE not in str(html) and "i.videos.example" not in str(html)
    assert reverse("video-artwork", args=[without.pk]) not in grid


def test_the_player_shows_the_artwork_as_its_poster(logged_in, alice, downloaded, picture):
    path = video_artwork_path(downloaded)
    path.parent.mkdir(parents=True)
    path.write_bytes(picture)
    page = logged_in(alice).get(reverse("video-detail", args=[downloaded.pk])).content.decode()
    assert re.search(r'<video class="player"[^>]* poster="/videos/\d+/artwork\?v=', page)


def test_pages_may_show_images_from_mvidarr_only(logged_in, alice, with_artwork):
    response = logged_in(alice).get(reverse("home"))
    assert "img-src 'self' data:" in response["Content-Security-Policy"]


def test_the_artwork_is_a_jpeg_for_signed_in_people_only(client, logged_in, alice, with_artwork):
    url = reverse("video-artwork", args=[with_artwork.pk])
    assert client.get(url).status_code == 302  # to the login page
    client = logged_in(alice)
    response = client.get(f"{url}?v=1")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response.content.startswith(b"\xff\xd8\xff")
    assert "immutable" in response["Cache-Control"]
    again = client.get(url, headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304 and again.content == b""
    head = client.head(url)
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Length"] == str(len(response.content))


def test_no_artwork_is_a_404(logged_in, alice, make_video, make_artist):
    client = logged_in(alice)
    assert client.get(reverse("video-artwork", args=[make_video("Bare").pk])).status_code == 404
    assert client.get(reverse("video-artwork", args=[999999])).status_code == 404
    assert client.get(reverse("artist-artwork", args=[make_artist("Nobody").pk])).status_code == 404


def test_an_artists_artwork_is_served(logged_in, alice, make_artist, picture):
    artist = make_artist("Björk")
    path = artist_artwork_path(artist)
    path.parent.mkdir(parents=True)
    path.write_bytes(picture)
    response = logged_in(alice).get(reverse("artist-artwork", args=[artist.pk]))
    assert response.status_code == 200 and response.content == picture


def test_staff_write_tags_from_the_video_page(logged_in, boss, downloaded):
    client = logged_in(boss)
    page = client.get(reverse("video-detail", args=[downloaded.pk])).content.decode()
    assert "Write tags into the file" in page
    response = client.post(reverse("video-tags", args=[downloaded.pk]), follow=True)
    assert "Writing the tags into the file" in response.content.decode()
    assert Job.objects.get().kind == "tags_write"


def test_others_see_no_tags_button_and_are_refused(logged_in, alice, downloaded):
    client = logged_in(alice)
    page = client.get(reverse("video-detail", args=[downloaded.pk])).content.decode()
    assert "Write tags into the file" not in page
    response = client.post(reverse("video-tags", args=[downloaded.pk]), follow=True)
    assert "Only staff can write tags" in response.content.decode()
    assert not Job.objects.exists()


def test_a_video_without_a_file_has_no_tags_button(logged_in, boss, with_artwork):
    page = logged_in(boss).get(reverse("video-detail", args=[with_artwork.pk])).content.decode()
    assert "Write tags into the file" not in page

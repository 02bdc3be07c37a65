"""The library pages: the video grid, artists, a video, adding, importing and deleting."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job
from tests.support import password_of
from videos.models import IgnoredEntry, Video


def page(client, url: str, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "url",
    ["/", "/artists/", "/artists/1/", "/videos/1/", "/videos/add/", "/jobs/", "/jobs/1/row/"],
)
def test_every_page_asks_an_anonymous_visitor_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_the_login_page_logs_a_user_in_and_explains_a_wrong_password(client, alice):
    assert "Log in to MVidarr" in page(client, "/accounts/login/")
    wrong = client.post("/accounts/login/", {"username": "alice", "password": "nope"})
    assert "did not match" in wrong.content.decode()
    right = client.post("/accounts/login/", {"username": "alice", "password": password_of("alice")})
    assert right.status_code == 302 and right["Location"] == "/"


def test_an_empty_library_invites_adding_a_video_by_url(logged_in, alice):
    body = page(logged_in(alice), "/")
    assert "No videos yet — add one by URL" in body
    assert reverse("video-add") in body


def test_the_grid_shows_each_video_with_a_live_status_badge(logged_in, alice, make_video):
    video = make_video("Army of Me", artist="Björk", status="downloaded")
    body = page(logged_in(alice), "/")
    assert "Army of Me" in body and "Björk" in body
    assert (
        f'data-status="downloaded" data-video-id="{video.pk}" data-video-field="status">'
        "Downloaded</span>" in body
    )
    assert f'data-video-id="{video.pk}" data-video-field="progress"' in body
    assert f'name="video_ids" value="{video.pk}"' in body


def test_search_finds_a_title_or_an_artist(logged_in, alice, make_video):
    make_video("Army of Me", artist="Björk")
    make_video("Teardrop", artist="Massive Attack")
    client = logged_in(alice)
    assert "Teardrop" not in page(client, "/", q="army")
    assert "Army of Me" not in page(client, "/", q="massive")


def test_filters_narrow_by_status_and_artist(logged_in, alice, make_video):
    make_video("Army of Me", artist="Björk", status="downloaded")
    make_video("Hyperballad", artist="Björk", status="wanted")
    teardrop = make_video("Teardrop", artist="Massive Attack", status="downloaded")
    client = logged_in(alice)
    body = page(client, "/", status="downloaded")
    assert "Army of Me" in body and "Teardrop" in body and "Hyperballad" not in body
    body = page(client, "/", status="downloaded", artist=teardrop.artist_id)
    assert "Teardrop" in body and "Army of Me" not in body


def test_the_artist_filter_takes_a_name_typed_in_any_case(logged_in, alice, make_video):
    make_video("Army of Me", artist="Björk")
    make_video("Teardrop", artist="Massive Attack")
    client = logged_in(alice)
    body = page(client, "/", artist_name="BJÖRK")
    assert "Army of Me" in body and "Teardrop" not in body
    assert 'name="artist_name"' in body and 'value="Björk"' in body
    body = page(client, "/", artist_name="Nobody")
    assert "No videos match these filters." in body and 'value="Nobody"' in body


def test_the_library_page_does_not_list_every_artist(logged_in, alice, make_video):
    make_video("Army of Me", artist="Björk")
    for number in range(5):
        make_video(f"Clip {number}", artist=f"Artist Number {number}")
    body = page(logged_in(alice), "/", q="army")
    assert "Army of Me" in body
    assert "Artist Number" not in body
    # The artist field suggests names from the artists API as one types.
    assert "data-artist-suggest" in body and "js/artist-suggest.js" in body


def test_a_filter_that_matches_nothing_says_so_and_offers_to_clear_it(logged_in, alice, make_video):
    make_video("Army of Me")
    body = page(logged_in(alice), "/", q="zzz")
    assert "No videos match these filters." in body
    assert "No videos yet" not in body


def test_invalid_filters_are_ignored_rather_than_failing(logged_in, alice, make_video):
    make_video("Army of Me")
    assert "Army of Me" in page(logged_in(alice), "/", status="bogus", artist="x", page="99")


def test_the_grid_pages_through_a_large_library(logged_in, alice, make_video):
    for number in range(30):
        make_video(f"Clip {number:02}")
    client = logged_in(alice)
    first, second = page(client, "/"), page(client, "/", page=2)
    assert "Page 1 of 2" in first and "Clip 29" in first and "Clip 05" not in first
    assert "Page 2 of 2" in second and "Clip 05" in second
    assert "?page=2" in first


def test_a_deep_page_of_the_grid_shows_its_own_videos_newest_first(logged_in, alice):
    start = timezone.now()
    for number in range(80):
        video = Video.objects.create(
            title=f"Clip {number}", source_url=f"https://v.example/{number}"
        )
        # Added at four moments shuffled against the ids: the id breaks the ties.
        moment = start - datetime.timedelta(minutes=(number * 3) % 4)
        Video.objects.filter(pk=video.pk).update(created_at=moment)
    newest = list(Video.objects.order_by("-created_at", "-id"))
    body = page(logged_in(alice), "/", page=3)
    shown = [video for video in newest if f'name="video_ids" value="{video.pk}"' in body]
    assert shown == newest[48:72]


def test_artists_are_listed_with_their_video_counts(logged_in, alice, make_video):
    make_video("Army of Me", artist="Björk")
    make_video("Hyperballad", artist="Björk")
    make_video("Teardrop", artist="Massive Attack")
    body = page(logged_in(alice), "/artists/")
    assert body.index("Björk") < body.index("Massive Attack")
    assert '2<span class="visually-hidden"> videos</span>' in body
    assert '1<span class="visually-hidden"> video</span>' in body


def test_an_artist_page_shows_only_their_videos(logged_in, alice, make_video):
    army = make_video("Army of Me", artist="Björk")
    make_video("Teardrop", artist="Massive Attack")
    body = page(logged_in(alice), f"/artists/{army.artist_id}/")
    assert "Army of Me" in body and "Teardrop" not in body


def test_no_artists_yet_is_an_explained_empty_state(logged_in, alice):
    assert "No artists yet" in page(logged_in(alice), "/artists/")


def test_an_unknown_video_or_artist_is_404(logged_in, alice):
    client = logged_in(alice)
    for url in ["/videos/999/", "/artists/999/", f"/videos/{2**70}/", "/videos/999/file"]:
        assert client.get(url).status_code == 404


def test_a_video_page_shows_its_details_its_file_and_a_player(
    logged_in, alice, make_video, library_root
):
    (library_root / "Björk").mkdir()
    (library_root / "Björk" / "Army of Me [x1].mp4").write_bytes(b"\0" * 2048)
    video = make_video(
        "Army of Me",
        artist="Björk",
        status="downloaded",
        file_path="Björk/Army of Me [x1].mp4",
        file_size=2048,
        width=1280,
        height=720,
        duration=232.4,
        format="mp4 (h264, aac)",
    )
    body = page(logged_in(alice), f"/videos/{video.pk}/")
    assert f'preload="metadata" src="/videos/{video.pk}/file"' in body
    assert "Björk/Army of Me [x1].mp4" in body
    assert "1280 \u00d7 720" in body and "2.0 kB" in body and "3:52" in body
    assert "Re-download" in body
    assert "Delete video" not in body  # staff only


def test_a_video_not_downloaded_yet_says_how_to_get_it(logged_in, alice, make_video):
    video = make_video("Army of Me")
    body = page(logged_in(alice), f"/videos/{video.pk}/")
    assert "Not downloaded yet" in body and "<video" not in body
    assert 'name="quality"' in body


def test_a_video_page_shows_the_running_download_of_its_user(
    logged_in, alice, make_job, redis_client
):
    job = make_job(alice, "processing", progress=42, message="42 % of 10 MB")
    body = page(logged_in(alice), f"/videos/{job.video_id}/")
    assert 'value="42.0"' in body and "42 % of 10 MB" in body


def test_a_failed_download_is_explained_on_the_video_page(logged_in, alice, make_job):
    job = make_job(alice, "failed")
    body = page(logged_in(alice), f"/videos/{job.video_id}/")
    assert "The site answered 404: the video is gone." in body


# --- adding and importing ------------------------------------------------------------------
def test_adding_a_video_by_url_starts_looking_up_its_details(logged_in, alice):
    response = logged_in(alice).post(
        "/videos/add/",
        {"url": "https://videos.example/watch/1", "title": "", "artist": "Björk"},
        follow=True,
    )
    video = Video.objects.get()
    assert response.redirect_chain[-1][0] == f"/videos/{video.pk}/"
    assert video.artist.name == "Björk"
    probe = Job.objects.get()
    assert (probe.kind, probe.video, probe.user) == ("metadata_probe", video, alice)
    assert "Video added." in response.content.decode()


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("", "Give the video&#x27;s artist, or its URL."),
        ("not a url", "Enter a web address that starts with http:// or https://."),
        ("ftp://videos.example/1.mp4", "Enter a web address that starts with http:// or https://."),
    ],
)
def test_a_bad_url_is_explained_next_to_the_field(logged_in, alice, url, error):
    response = logged_in(alice).post("/videos/add/", {"url": url})
    assert response.status_code == 400
    body = response.content.decode()
    assert error in body
    assert "The video was not added; see the form below." in body
    assert not Video.objects.exists()


def test_a_url_already_in_the_library_is_named(logged_in, alice, make_video):
    video = make_video("Army of Me", source_url="https://videos.example/watch/army")
    response = logged_in(alice).post("/videos/add/", {"url": "https://videos.example/watch/army"})
    assert f"This URL is already in the library as video #{video.pk} (Army of Me)." in (
        response.content.decode()
    )
    assert Video.objects.count() == 1


def test_importing_a_feed_starts_an_import_job(logged_in, alice):
    response = logged_in(alice).post(
        "/videos/import/", {"url": "https://videos.example/feed.xml"}, follow=True
    )
    job = Job.objects.get()
    assert job.options == {"import": True, "url": "https://videos.example/feed.xml"}
    assert response.redirect_chain[-1][0] == "/jobs/"
    assert "Import started" in response.content.decode()


def test_an_import_without_a_url_is_explained(logged_in, alice):
    response = logged_in(alice).post("/videos/import/", {"url": ""})
    assert response.status_code == 400
    assert "Enter the web address of the playlist or feed to import." in response.content.decode()
    assert not Job.objects.exists()


# --- deleting ------------------------------------------------------------------------------
def test_staff_delete_a_video_and_its_file(logged_in, boss, make_video, library_root):
    (library_root / "clip.mp4").write_bytes(b"data")
    video = make_video("Army of Me", status="downloaded", file_path="clip.mp4")
    client = logged_in(boss)
    assert "Delete video" in page(client, f"/videos/{video.pk}/")
    response = client.post(f"/videos/{video.pk}/delete/", {"delete_file": "on"}, follow=True)
    assert "Deleted “Army of Me” from the library." in response.content.decode()
    assert not Video.objects.exists()
    assert not (library_root / "clip.mp4").exists()


def test_deleting_with_dont_download_again_leaves_an_ignore_list_entry(logged_in, boss, make_video):
    video = make_video("Army of Me", extractor="generic", source_id="army")
    client = logged_in(boss)
    assert "Don&#x27;t download again" in page(client, f"/videos/{video.pk}/")

    response = client.post(
        f"/videos/{video.pk}/delete/", {"ignore": "on", "reason": "Wrong song"}, follow=True
    )

    assert "It is on the ignore list: it is not downloaded again." in response.content.decode()
    assert not Video.objects.exists()
    entry = IgnoredEntry.objects.get()
    assert (entry.source_id, entry.title, entry.reason, entry.user) == (
        "army",
        "Army of Me",
        "Wrong song",
        boss,
    )


def test_only_staff_may_delete_a_video(logged_in, alice, make_video):
    video = make_video("Army of Me")
    response = logged_in(alice).post(f"/videos/{video.pk}/delete/", follow=True)
    assert "Only staff can delete videos from the library." in response.content.decode()
    assert Video.objects.filter(pk=video.pk).exists()


def test_a_video_being_downloaded_is_not_deleted(logged_in, boss, make_video):
    video = make_video("Army of Me", status="downloading")
    response = logged_in(boss).post(f"/videos/{video.pk}/delete/", follow=True)
    assert "cancel the download, then delete it" in response.content.decode()
    assert Video.objects.filter(pk=video.pk).exists()

"""Adding in one step: many addresses, one a line, added and downloaded (or added only), each
line told what happened; a playlist, channel or feed offered to import or to follow."""

from __future__ import annotations

import pytest

from jobs.models import HistoryEvent, Job
from jobs.services.adding import MAX_LINES
from videos.models import Source, Video
from videos.url_shapes import CHANNEL, FEED, PLAYLIST, collection_kind


def add(client, urls: list[str], **fields):
    return client.post("/videos/add/many/", {"urls": "\n".join(urls), **fields})


def test_the_add_page_offers_to_add_in_one_step(logged_in, alice):
    body = logged_in(alice).get("/videos/add/").content.decode()
    assert "Add in one step" in body
    assert "Add and download" in body and "Add only" in body


def test_each_address_is_added_and_downloaded_with_the_artist_given(logged_in, alice):
    urls = ["https://videos.example/watch/1", "https://videos.example/watch/2"]
    response = add(logged_in(alice), ["", *urls, "  "], performer="Björk", action="download")
    assert response.status_code == 200
    body = response.content.decode()
    videos = list(Video.objects.order_by("id"))
    assert [video.source_url for video in videos] == urls
    assert {video.artist.name for video in videos} == {"Björk"}
    for video in videos:
        kinds = set(Job.objects.filter(video=video).values_list("kind", flat=True))
        assert kinds == {"metadata_probe", "video_download"}
        assert f'href="/videos/{video.pk}/"' in body
    assert body.count("Added and queued for download.") == 2
    assert "2 videos added" in body


def test_add_only_starts_no_download_and_a_quality_is_kept_for_the_download(logged_in, alice):
    add(logged_in(alice), ["https://videos.example/watch/1"], action="add")
    assert not Job.objects.filter(kind="video_download").exists()
    add(logged_in(alice), ["https://videos.example/watch/2"], quality="720p", action="download")
    download = Job.objects.get(kind="video_download")
    assert download.video.source_url == "https://videos.example/watch/2"
    assert download.options["quality"] == "720p"


def test_each_line_says_what_happened(logged_in, alice, make_video):
    known = make_video("Army of Me", source_url="https://videos.example/watch/army")
    response = add(
        logged_in(alice),
        [
            "https://videos.example/watch/army",
            "javascript:alert(1)",
            "https://www.youtube.com/playlist?list=PL123",
            "https://videos.example/watch/new",
        ],
        action="download",
    )
    body = response.content.decode()
    assert "Already in the library." in body and f'href="/videos/{known.pk}/"' in body
    assert "Enter a web address that starts with http:// or https://." in body
    assert "This is a playlist: import all of its videos, or follow it as a source." in body
    assert "Import all" in body
    assert "Follow as a source" not in body  # staff only
    assert "Added and queued for download." in body
    assert Video.objects.count() == 2  # the playlist is not added as a video


def test_staff_are_offered_to_follow_a_channel(logged_in, boss):
    body = add(logged_in(boss), ["https://www.youtube.com/@bjork"]).content.decode()
    assert "This is a channel" in body and "Follow as a source" in body


def test_the_same_address_twice_is_added_once(logged_in, alice):
    body = add(logged_in(alice), ["https://videos.example/a", "https://videos.example/a"])
    assert Video.objects.count() == 1
    assert "Already in the library." in body.content.decode()


def test_too_many_lines_are_refused_with_a_sentence(logged_in, alice):
    urls = [f"https://videos.example/watch/{n}" for n in range(MAX_LINES + 1)]
    response = add(logged_in(alice), urls)
    assert response.status_code == 400
    assert f"Paste at most {MAX_LINES} addresses at a time (there are {MAX_LINES + 1})" in (
        response.content.decode()
    )
    assert not Video.objects.exists()


def test_no_address_and_an_unknown_quality_are_refused(logged_in, alice):
    response = add(logged_in(alice), ["", " "])
    assert response.status_code == 400
    assert "Paste at least one address, one a line." in response.content.decode()
    response = add(logged_in(alice), ["https://videos.example/1"], quality="8k")
    assert response.status_code == 400
    assert not Video.objects.exists()


def test_anonymous_people_are_sent_to_log_in(client, db):
    response = add(client, ["https://videos.example/1"])
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Video.objects.exists()


def test_import_all_starts_an_import(logged_in, alice):
    url = "https://videos.example/feed.xml"
    response = logged_in(alice).post("/videos/add/import/", {"url": url, "replaces": ""})
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.options == {"import": True, "url": url}


def test_import_all_replaces_the_video_added_before_its_probe_found_a_playlist(
    logged_in, alice, bob
):
    url = "https://videos.example/multi.html"
    add(logged_in(alice), [url], action="add")
    video = Video.objects.get()
    # Someone else cannot remove it.
    logged_in(bob).post("/videos/add/import/", {"url": url, "replaces": video.pk})
    assert Video.objects.filter(pk=video.pk).exists()
    assert not Job.objects.filter(options__import=True).exists()
    logged_in(alice).post("/videos/add/import/", {"url": url, "replaces": video.pk})
    assert not Video.objects.filter(pk=video.pk).exists()
    assert Job.objects.filter(options__import=True, options__url=url).count() == 1
    assert HistoryEvent.objects.filter(event="deleted", user=alice).exists()


def test_following_as_a_source_is_for_staff_and_indexes_it_now(logged_in, alice, boss):
    url = "https://www.youtube.com/@bjork"
    logged_in(alice).post("/videos/add/follow/", {"url": url, "performer": "Björk"})
    assert not Source.objects.exists()
    response = logged_in(boss).post("/videos/add/follow/", {"url": url, "performer": "Björk"})
    assert response.status_code == 302 and response["Location"] == "/sources/"
    source = Source.objects.get()
    assert (source.url, source.artist.name, source.monitored) == (url, "Björk", True)
    assert Job.objects.get(kind="source_index").options["source"] == source.pk


def test_following_an_address_that_is_already_a_source_says_so(logged_in, boss, make_source):
    source = make_source(url="https://www.youtube.com/@bjork")
    response = logged_in(boss).post("/videos/add/follow/", {"url": source.url}, follow=True)
    assert "This URL is already a source" in response.content.decode()
    assert Source.objects.count() == 1


def test_a_bad_collection_address_is_refused(logged_in, boss):
    response = logged_in(boss).post("/videos/add/import/", {"url": "file:///etc"}, follow=True)
    assert "Enter a web address that starts with http:// or https://." in (
        response.content.decode()
    )
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://www.youtube.com/playlist?list=PL1", PLAYLIST),
        ("https://www.youtube.com/watch?list=PL1", PLAYLIST),
        ("https://www.youtube.com/watch?v=abc&list=PL1", None),
        ("https://www.youtube.com/watch?v=abc", None),
        ("https://youtube.com/@bjork", CHANNEL),
        ("https://www.youtube.com/channel/UC123", CHANNEL),
        ("https://vimeo.com/channels/staffpicks", PLAYLIST),
        ("https://example.com/podcast/feed", FEED),
        ("https://example.com/videos.rss", FEED),
        ("http://127.0.0.1:8000/feed/3.xml", FEED),
        ("http://127.0.0.1:8000/feed/3.html", None),
        ("https://videos.example/watch/1", None),
    ],
)
def test_an_address_shape_tells_a_playlist_channel_or_feed(url, kind):
    assert collection_kind(url) == kind

"""The statistics page: the library's totals, files by quality and videos by status, for
everyone signed in, linked from the library page."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from videos.stats_views import duration_words


def body(response) -> str:
    return response.content.decode()


def test_the_page_shows_the_totals_and_the_tables(logged_in, alice, make_video):
    make_video(
        "Army of Me",
        artist="Björk",
        status="downloaded",
        file_path="B/a.mp4",
        height=1080,
        file_size=3_000_000,
        duration=3700.0,
    )
    make_video("Hyperballad", artist="Björk")

    page = body(logged_in(alice).get(reverse("library-stats")))

    assert re.search(r'data-stat="videos">2<', page)
    assert re.search(r'data-stat="artists">1<', page)
    assert re.search(r'data-stat="files">1<', page)
    assert re.search(r'data-stat="duration">1 h 1 min<', page)
    assert re.search(r'<tr data-quality="1080p"><th scope="row">1080p</th><td>1</td>', page)
    assert re.search(r'<tr data-status="wanted"><th scope="row"><a href="/\?status=wanted">', page)


def test_an_empty_library_says_how_files_get_counted(logged_in, alice):
    page = body(logged_in(alice).get(reverse("library-stats")))
    assert "No files yet: download a video and it is counted here." in page


def test_the_library_page_links_it_and_strangers_are_sent_to_sign_in(logged_in, alice):
    assert f'href="{reverse("library-stats")}"' in body(logged_in(alice).get(reverse("home")))
    response = Client().get(reverse("library-stats"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_durations_read_as_a_person_says_them():
    assert [duration_words(s) for s in (0, 59, 420, 3700, 2 * 86400 + 5 * 3600 + 60)] == [
        "0 min",
        "0 min",
        "7 min",
        "1 h 1 min",
        "2 d 5 h",
    ]

"""A title written "Artist - Title" names the artist when the site names none
(videos.ytdlp.info.split_artist_title and artist_and_title)."""

from __future__ import annotations

import pytest

from videos.ytdlp.info import artist_and_title, split_artist_title


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Daft Punk - Around the World", ("Daft Punk", "Around the World")),
        ("Björk \u2013 Army of Me", ("Björk", "Army of Me")),
        ("Björk \u2014 Army of Me", ("Björk", "Army of Me")),
        (
            "Daft Punk - Around the World (Official Video)",
            ("Daft Punk", "Around the World (Official Video)"),
        ),
        ("A - B - C", ("A", "B - C")),
        ("  Air   -   Sexy Boy ", ("Air", "Sexy Boy")),
    ],
)
def test_a_title_with_a_spaced_dash_splits_at_the_first_one(title, expected):
    assert split_artist_title(title) == expected


@pytest.mark.parametrize(
    "title", ["Jay-Z", "Around the World", "- Around the World", "Daft Punk -", "Ninety-Nine"]
)
def test_a_title_without_a_spaced_dash_between_two_names_is_not_split(title):
    assert split_artist_title(title) is None


def test_the_split_names_the_artist_only_when_the_site_names_none():
    assert artist_and_title({"title": "Daft Punk - Around the World"}) == (
        "Daft Punk",
        "Around the World",
    )
    assert artist_and_title(
        {"title": "Daft Punk - Around the World", "uploader": "Some Channel"}
    ) == ("Some Channel", "Daft Punk - Around the World")


def test_a_title_without_a_dash_stays_whole_and_names_no_artist():
    assert artist_and_title({"title": "360p"}) == (None, "360p")
    assert artist_and_title({}, fallback_title="http://x/y") == (None, "http://x/y")


def test_a_page_host_given_as_uploader_is_no_artist():
    info = {
        "title": "Daft Punk - Around the World",
        "uploader": "media.example:8080",
        "webpage_url": "http://media.example:8080/page/x",
    }
    assert artist_and_title(info) == ("Daft Punk", "Around the World")

"""What a site's info dict says of the library's fields (videos.ytdlp.metadata), on info
dicts shaped as yt-dlp returns them for YouTube Music and for a plain upload."""

from __future__ import annotations

import datetime

import pytest

from videos.ytdlp.info import artist_of
from videos.ytdlp.metadata import featured_in_title, site_fields, video_type_of

YOUTUBE_MUSIC = {
    "id": "dQw4w9WgXcQ",
    "extractor": "youtube",
    "extractor_key": "Youtube",
    "title": "Rick Astley - Never Gonna Give You Up (Official Music Video)",
    "track": "Never Gonna Give You Up",
    "artists": ["Rick Astley", "Stock Aitken Waterman"],
    "artist": "Rick Astley, Stock Aitken Waterman",
    "album": "Whenever You Need Somebody",
    "release_year": 1987,
    "release_date": "19870727",
    "upload_date": "20091025",
    "genres": ["Pop", "Dance-pop"],
    "description": "The official video for “Never Gonna Give You Up” … Subscribe: https://…",
}


def test_a_youtube_music_video_fills_album_year_premiered_genres_featured_type_and_id():
    assert site_fields(YOUTUBE_MUSIC) == {
        "album": "Whenever You Need Somebody",
        "year": 1987,
        "premiered": datetime.date(1987, 7, 27),
        "genres": ["Pop", "Dance-pop"],
        "featured_artists": ["Stock Aitken Waterman"],
        "video_type": "official",
        "provider_ids": {"youtube": "dQw4w9WgXcQ"},
    }


def test_the_description_is_not_taken_as_a_plot():
    assert "plot" not in site_fields(YOUTUBE_MUSIC)


def test_the_main_artist_is_the_first_of_several():
    assert artist_of(YOUTUBE_MUSIC) == "Rick Astley"


def test_an_upload_without_a_release_date_is_dated_by_its_upload():
    info = {"id": "x", "extractor": "generic", "title": "Song", "upload_date": "20120301"}
    assert site_fields(info) == {"year": 2012, "premiered": datetime.date(2012, 3, 1)}


def test_an_upload_date_that_contradicts_the_release_year_is_not_the_premiere():
    info = {"title": "Song", "release_year": 1984, "upload_date": "20091025"}
    assert site_fields(info) == {"year": 1984}


def test_a_site_that_says_nothing_fills_nothing():
    assert site_fields({"id": "abc", "extractor": "generic", "title": "Song"}) == {}


def test_only_a_youtube_video_has_a_youtube_id():
    assert "provider_ids" not in site_fields({"id": "dQw4w9WgXcQ", "extractor": "vimeo"})
    assert "provider_ids" not in site_fields({"id": "not-an-id", "extractor": "youtube"})


@pytest.mark.parametrize(
    ("title", "video_type"),
    [
        ("Björk - Army of Me (Official Music Video)", "official"),
        ("Song [Official Lyric Video]", "lyric"),
        ("Song (Lyrics)", "lyric"),
        ("Song (Live at Wembley 1986)", "live"),
        ("Song (Official Visualizer)", "visualizer"),
        ("Song (Behind the Scenes)", "behind_the_scenes"),
        ("Song (Performance Video)", "performance"),
        ("Song (Full Concert)", "concert"),
        ("Artist (Interview)", "interview"),
        ("Live Forever", ""),  # a title, not a marker
        ("Song", ""),
    ],
)
def test_the_video_type_comes_from_a_marker_in_brackets(title, video_type):
    assert video_type_of(title) == video_type


def test_featured_artists_in_the_title_are_read_and_split():
    assert featured_in_title("Song (feat. Earth & Fire, Wind)") == ["Earth", "Fire", "Wind"]
    assert featured_in_title("Song [ft. Someone]") == ["Someone"]
    assert featured_in_title("Featuring in the title") == []


def test_featured_artists_merge_the_site_list_and_the_title_without_the_main_artist():
    info = {
        "title": "Song (feat. Guest Two)",
        "artists": ["Main", "Guest One"],
    }
    assert site_fields(info)["featured_artists"] == ["Guest One", "Guest Two"]

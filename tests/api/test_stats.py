"""``GET /api/stats/``: the library in figures for everyone signed in — videos by status,
files by quality with their size and duration, artists — of the library or of one artist."""

from __future__ import annotations

import pytest

from tests.api.test_schema import assert_matches


@pytest.fixture
def library(make_video, make_artist):
    bjork, portishead = make_artist("Björk"), make_artist("Portishead")
    made = [
        make_video(
            "Army of Me",
            artist=bjork,
            status="downloaded",
            file_path="B/a.mp4",
            height=1080,
            file_size=300,
            duration=200.0,
        ),
        make_video(
            "Joga",
            artist=bjork,
            status="downloaded",
            file_path="B/j.mp4",
            height=720,
            file_size=100,
            duration=100.5,
        ),
        make_video(
            "Roads",
            artist=portishead,
            status="downloaded",
            file_path="P/r.mp4",
            height=1080,
            file_size=50,
            duration=300.0,
        ),
        make_video(
            "Glory Box",
            artist=portishead,
            status="downloaded",
            file_path="P/g.m4a",
            height=None,
            video_codec="",
            audio_codec="aac",
            file_size=7,
            duration=60.0,
        ),
        make_video(
            "Sour Times",
            artist=portishead,
            status="downloaded",
            file_path="P/s.mp4",
            height=None,
            file_size=None,
            duration=None,
        ),
        make_video("Hyperballad", artist=bjork),
        make_video("Unravel", artist=bjork, status="failed"),
    ]
    return {"bjork": bjork, "portishead": portishead, "videos": made}


def test_the_library_in_figures(api, library):
    response = api.get("/api/stats/")

    assert response.status_code == 200
    stats = response.json()
    assert {key: stats[key] for key in ("videos", "artists", "files", "size", "duration")} == {
        "videos": 7,
        "artists": 2,
        "files": 5,
        "size": 457,
        "duration": 660.5,
    }
    assert stats["by_quality"] == [
        {"quality": "1080p", "files": 2, "size": 350, "duration": 500.0},
        {"quality": "720p", "files": 1, "size": 100, "duration": 100.5},
        {"quality": "audio", "files": 1, "size": 7, "duration": 60.0},
        {"quality": "unknown", "files": 1, "size": 0, "duration": 0.0},
    ]
    counts = {row["status"]: row["videos"] for row in stats["by_status"]}
    assert (counts["downloaded"], counts["wanted"], counts["failed"], counts["queued"]) == (
        5,
        1,
        1,
        0,
    )
    assert sum(counts.values()) == 7
    assert_matches(api.get("/api/schema/?format=json").json(), "/api/stats/", "get", response)


def test_one_artists_figures(api, library):
    stats = api.get("/api/stats/", {"artist": library["bjork"].pk}).json()
    assert (stats["videos"], stats["artists"], stats["files"], stats["size"]) == (4, 1, 2, 400)
    assert [row["quality"] for row in stats["by_quality"]] == ["1080p", "720p"]


def test_an_empty_library_has_zeroes_and_no_qualities(api, db):
    stats = api.get("/api/stats/").json()
    assert (stats["videos"], stats["files"], stats["size"], stats["by_quality"]) == (0, 0, 0, [])


def test_anonymous_is_401_a_bad_artist_400_and_an_unknown_one_404(client_for, api, library):
    assert client_for(None).get("/api/stats/").status_code == 401
    bad = api.get("/api/stats/", {"artist": "x"})
    assert bad.status_code == 400 and list(bad.json()) == ["artist"]
    assert api.get("/api/stats/", {"artist": 999999}).status_code == 404

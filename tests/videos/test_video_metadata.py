"""A video's descriptive fields: the site fills them at probe time and says so, a person's
value is never overwritten, and a field the site no longer gives is emptied."""

from __future__ import annotations

import datetime

from videos import ytdlp
from videos.metadata import metadata_rows
from videos.services import video_apply_probe, video_create, video_update

SITE = {
    "album": "Post",
    "year": 1995,
    "premiered": datetime.date(1995, 4, 10),
    "genres": ["Art pop", "art pop", " Trip hop "],
    "featured_artists": ["Nellee Hooper"],
    "video_type": "official",
    "provider_ids": {"youtube": "dQw4w9WgXcQ"},
}


def probe_result(video, **fields) -> ytdlp.ProbeResult:
    return ytdlp.ProbeResult(
        url=video.source_url,
        extractor="youtube",
        source_id="dQw4w9WgXcQ",
        title="Army of Me",
        artist="Björk",
        duration=240.0,
        thumbnail_url=None,
        upload_date=None,
        heights=[],
        webpage_url=video.source_url,
        raw={},
        fields=fields,
    )


def test_a_probe_fills_the_fields_the_site_gives_and_marks_them_site(db):
    video = video_create(url="https://example.com/watch?v=1")
    video_apply_probe(video=video, result=probe_result(video, **SITE))
    video.refresh_from_db()
    assert (video.album, video.year, video.premiered) == ("Post", 1995, datetime.date(1995, 4, 10))
    assert video.genres == ["Art pop", "Trip hop"]
    assert video.featured_artists == ["Nellee Hooper"]
    assert (video.video_type, video.provider_ids) == ("official", {"youtube": "dQw4w9WgXcQ"})
    assert video.field_sources == {
        "title": "site",
        "artist": "site",
        **dict.fromkeys(SITE, "site"),
    }


def test_a_value_set_by_hand_survives_a_new_probe(db):
    video = video_create(url="https://example.com/watch?v=1")
    video_apply_probe(video=video, result=probe_result(video, **SITE))
    video_update(video=video, data={"album": "Post (Deluxe)", "year": None, "genres": []})
    video_apply_probe(video=video, result=probe_result(video, **SITE))
    video.refresh_from_db()
    assert (video.album, video.year, video.genres) == ("Post (Deluxe)", None, [])
    assert [video.field_sources[name] for name in ("album", "year", "genres")] == ["user"] * 3
    assert video.field_sources["video_type"] == "site"


def test_a_provider_value_is_not_replaced_by_the_site(db):
    video = video_create(url="https://example.com/watch?v=1")
    video.album = "Post"
    video.field_sources = {"album": "provider:musicbrainz"}
    video.save()
    video_apply_probe(video=video, result=probe_result(video, album="Something else"))
    video.refresh_from_db()
    assert (video.album, video.field_sources["album"]) == ("Post", "provider:musicbrainz")


def test_a_field_the_site_no_longer_gives_is_emptied(db):
    video = video_create(url="https://example.com/watch?v=1")
    video_apply_probe(video=video, result=probe_result(video, **SITE))
    video_apply_probe(video=video, result=probe_result(video, year=1996))
    video.refresh_from_db()
    assert (video.album, video.year, video.genres, video.provider_ids) == ("", 1996, [], {})
    assert {k: v for k, v in video.field_sources.items() if k not in ("title", "artist")} == {
        "year": "site"
    }


def test_a_site_value_outside_the_rules_is_dropped(db):
    video = video_create(url="https://example.com/watch?v=1")
    bad = {"year": 3000, "video_type": "trailer", "provider_ids": {"youtube": "short"}}
    video_apply_probe(video=video, result=probe_result(video, **bad))
    video.refresh_from_db()
    assert (video.year, video.video_type, video.provider_ids) == (None, "", {})


def test_title_and_artist_typed_when_adding_are_by_hand(db):
    video = video_create(url="https://example.com/watch?v=1", title="My title")
    video_apply_probe(video=video, result=probe_result(video))
    video.refresh_from_db()
    assert video.title == "My title"
    assert video.field_sources == {"title": "user", "artist": "site"}


def test_the_rows_shown_say_where_each_value_came_from(db):
    video = video_create(url="https://example.com/watch?v=1")
    video_apply_probe(video=video, result=probe_result(video, **SITE))
    video_update(video=video, data={"directors": ["Michel Gondry"]})
    rows = {row.name: row for row in metadata_rows(video)}
    assert (rows["directors"].value, rows["directors"].source) == ("Michel Gondry", "set by hand")
    assert (rows["video_type"].value, rows["video_type"].source) == (
        "Official video",
        "from the site",
    )
    assert (rows["plot"].value, rows["plot"].source) == ("", "")
    assert rows["provider_ids"].value == "youtube: dQw4w9WgXcQ"


def test_text_and_names_a_person_types_are_kept_free_of_bidi_controls_and_repeats(db):
    video = video_create(url="https://example.com/watch?v=1")
    video_update(
        video=video,
        data={
            "album": "Post\u202e4pm.exe",
            "plot": "Line one.\n\nLine two.",
            "genres": ["Pop", " pop ", "Rock\u2066"],
        },
    )
    video.refresh_from_db()
    assert video.album == "Post4pm.exe"
    assert video.plot == "Line one.\n\nLine two."  # a plot keeps its paragraphs
    assert video.genres == ["Pop", "Rock"]

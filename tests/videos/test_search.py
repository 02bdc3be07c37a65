"""The library's search (videos.search): a case-insensitive substring of the title's or the
artist's name key, answered by a trigram index (FTS5 on SQLite, pg_trgm on PostgreSQL) that
follows every write, and by a plain comparison under three characters."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection

from videos.models import Artist, Video
from videos.search import search_key
from videos.selectors import artist_list, video_list
from videos.services import artist_delete, artist_update, video_update

pytestmark = pytest.mark.django_db

LIBRARY = [
    ("Björk", ["Army of Me", "Hyperballad", "Jóga"]),
    ("BJÖRK ORCHESTRA", ["ARMY OF ME (LIVE)"]),
    ("Straße Band", ["Die Straße", "STRASSE ZWEI"]),
    ("Portishead", ['Glory Box "Live"', "Sour Times*", "Roads - Remix", "100% Pure_Love"]),
    ("The Knife", ["Heartbeats OR Silent Shout", "NEAR(me) you", "Pass This On^2"]),
    ("坂本龍一", ["戦場のメリークリスマス", "Rain 🎹 live"]),
    ("Sigur Rós", ["Hoppípolla", "Svefn-g-englar", "back\\slash"]),
]
_numbers = itertools.count(1)


def add(title: str, artist: Artist | None = None) -> Video:
    return Video.objects.create(
        title=title, artist=artist, source_url=f"https://videos.example/{next(_numbers)}"
    )


@pytest.fixture
def library():
    for name, titles in LIBRARY:
        artist = Artist.objects.create(name=name, sort_name=name)
        for title in titles:
            add(title, artist)
    add("No artist at all")


def substring_meaning(search: str) -> set[int]:
    """The videos a search must find, computed in Python from the stored keys."""
    key = search_key(search)
    return {
        video.pk
        for video in Video.objects.select_related("artist")
        if key in video.title_key or (video.artist is not None and key in video.artist.name_key)
    }


def found(search: str) -> set[int]:
    return set(video_list(search=search).values_list("pk", flat=True))


QUERIES = [
    # words, any case, beyond ASCII
    "army",
    "ARMY OF",
    "björk",
    "BJÖRK",
    "strasse",
    "ß",
    "STRAßE",
    "óga",
    "ÓGA",
    "ós",
    "メリー",
    "坂本",
    "🎹",
    "\uff2aóga",  # a full-width J (NFKC)
    "army  of   me",
    # FTS5 and LIKE syntax is text, never an operator
    '"',
    '"live"',
    'box "',
    '""',
    "*",
    "Sour Times*",
    "times*",
    "-",
    "roads - remix",
    "-remix",
    "OR",
    "heartbeats OR silent",
    "a OR b",
    "NEAR",
    "NEAR(me)",
    "NEAR(me you)",
    "^2",
    "on^",
    "%",
    "100%",
    "% pure",
    "_",
    "pure_love",
    "e_l",
    "\\",
    "k\\s",
    "col:umn",
    "(",
    "AND",
    "NOT",
    # one and two characters: a plain comparison
    "a",
    "Y",
    "of",
    "ö",
    "lö",
    "zz",
    # nothing matches
    "zzzz",
    "army of you",
]


@pytest.mark.parametrize("search", QUERIES)
def test_a_search_finds_exactly_the_titles_and_artists_containing_it(library, search):
    assert found(search) == substring_meaning(search)


def test_the_substring_meaning_itself_is_case_insensitive_beyond_ascii(library):
    titles = {video.title for video in video_list(search="BJÖRK")}
    assert titles == {"Army of Me", "Hyperballad", "Jóga", "ARMY OF ME (LIVE)"}
    assert {video.title for video in video_list(search="strasse")} == {
        "Die Straße",
        "STRASSE ZWEI",
    }
    assert {video.title for video in video_list(search="100%")} == {"100% Pure_Love"}


def test_an_empty_search_finds_everything(library):
    assert found("") == found("   ") == set(Video.objects.values_list("pk", flat=True))


def test_the_index_follows_edits_renames_and_deletes(library):
    video = Video.objects.get(title="Hyperballad")
    video_update(video=video, data={"title": "Possibly Maybe"})
    assert found("hyperballad") == set()
    assert found("possibly") == {video.pk}

    video.title = "Isobel"
    video.save(update_fields=["title"])
    assert found("possibly") == set() and found("isobel") == {video.pk}

    portishead = Artist.objects.get(name="Portishead")
    by_portishead = set(portishead.videos.values_list("pk", flat=True))
    artist_update(artist=portishead, data={"name": "Beth Gibbons"})
    assert found("portishead") == set()
    assert found("gibbons") == by_portishead

    gone = Video.objects.get(title="Jóga")
    gone.delete()
    assert found("jóga") == set()

    artist_delete(artist=Artist.objects.get(name="The Knife"))
    assert found("knife") == set()

    Video.objects.bulk_create(
        [Video(title="Bulk Added One", source_url="https://videos.example/bulk")]
    )
    assert {video.title for video in video_list(search="bulk added")} == {"Bulk Added One"}
    for search in ["isobel", "gibbons", "army", "live", "ös", "zz"]:
        assert found(search) == substring_meaning(search)
    _assert_index_consistent()


def test_the_artists_list_is_searched_by_name_the_same_way_and_by_sort_name(library):
    assert {artist.name for artist in artist_list(search="björk")} == {
        "Björk",
        "BJÖRK ORCHESTRA",
    }
    assert [artist.name for artist in artist_list(search='"')] == []
    artist_update(artist=Artist.objects.get(name="The Knife"), data={"sort_name": "Knife, The"})
    assert [artist.name for artist in artist_list(search="knife, the")] == ["The Knife"]


def test_a_search_is_answered_by_the_trigram_index_not_by_reading_every_title(library):
    sql, params = video_list(search="army of").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert "videos_video_search VIRTUAL TABLE INDEX" in plan
            assert "videos_artist_search VIRTUAL TABLE INDEX" in plan
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            # (The few artists of a test may be read whole whatever the settings.)
            assert "Bitmap Index Scan on videos_video_search_trgm" in plan


def _assert_index_consistent() -> None:
    """On SQLite, FTS5 compares its index with the rows it was made from (an error if a
    write was missed); pg_trgm indexes are ordinary indexes PostgreSQL keeps itself."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for index in ("videos_video_search", "videos_artist_search"):
            cursor.execute(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")

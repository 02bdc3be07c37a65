"""The same artist, the same title: one rule (videos.name_keys), stored beside the name and
compared by the database, so SQLite and PostgreSQL decide alike — also beyond ASCII, which
SQLite's LOWER() is not."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from videos.models import Artist, Video
from videos.name_keys import KEY_LENGTH, name_key, same_name
from videos.provider_metadata import artist_for_provider
from videos.selectors import artist_find_by_name, video_find_by_name
from videos.services import (
    ArtistNameTaken,
    VideoNameTaken,
    artist_create,
    artist_get_or_create,
    artist_update,
    video_create_by_name,
    video_update,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Björk", "BJÖRK"),
        ("Straße", "STRASSE"),
        ("Army  of\tMe", "army of me"),
        ("Ｂｊöｒｋ", "björk"),  # full-width letters (NFKC)
        ("Bjo\u0308rk", "Björk"),  # a combining diaeresis against the composed letter
    ],
)
def test_names_differing_in_case_width_or_spacing_are_the_same(a, b):
    assert same_name(a, b)


def test_different_names_are_not_the_same_and_turkish_capitals_do_not_crash():
    assert not same_name("Björk", "Bjork")
    assert name_key("İSTANBUL") == "i\u0307stanbul"  # what Python's casefold makes of İ
    assert name_key("\u0131stanbul") != name_key("istanbul")  # the dotless i stays itself


def test_a_key_longer_than_its_column_stays_within_it_and_stays_exact():
    long_a, long_b = "ß" * 200 + "a", "ß" * 200 + "b"
    assert len(name_key(long_a)) == KEY_LENGTH
    assert name_key(long_a) != name_key(long_b)
    assert name_key(long_a) == name_key(long_a.upper())


@pytest.mark.django_db
@pytest.mark.parametrize(("stored", "asked"), [("Björk", "BJÖRK"), ("Straße", "STRASSE")])
def test_the_same_artist_is_found_whatever_the_case(stored, asked):
    artist = artist_get_or_create(name=stored)
    assert artist_get_or_create(name=asked) == artist
    assert artist_find_by_name(asked) == artist
    assert Artist.objects.count() == 1
    with pytest.raises(ArtistNameTaken, match=stored):
        artist_create(name=asked)


@pytest.mark.django_db
def test_the_database_refuses_a_second_artist_of_the_same_name_beyond_ascii():
    Artist.objects.create(name="Björk")
    with pytest.raises(IntegrityError), transaction.atomic():
        Artist.objects.create(name="BJÖRK")


@pytest.mark.django_db
def test_turkish_dotted_and_dotless_capitals_are_stored_and_found():
    dotted = artist_get_or_create(name="İlhan Erşahin")
    plain = artist_get_or_create(name="Ilhan Ersahin")
    assert dotted != plain
    assert artist_find_by_name("i̇lhan erşahin") == dotted
    assert video_create_by_name(artist_name="İLHAN ERŞAHIN", title="İstanbul").artist == dotted


@pytest.mark.django_db
def test_the_same_title_of_the_same_artist_is_found_whatever_the_case():
    video = video_create_by_name(artist_name="Björk", title="Army of Me")
    assert video_find_by_name(artist="BJÖRK", title="ARMY  OF ME") == video
    with pytest.raises(VideoNameTaken):
        video_create_by_name(artist_name="BJÖRK", title="ARMY OF ME")
    assert video_find_by_name(artist="Björk", title="Hyperballad") is None
    assert Video.objects.count() == 1


@pytest.mark.django_db
def test_the_keys_follow_a_renamed_artist_and_a_retitled_video():
    video = video_create_by_name(artist_name="Bjork", title="Army of Me")
    artist_update(artist=video.artist, data={"name": "Björk"})
    video_update(video=video, data={"title": "Hyperballad"})
    assert artist_find_by_name("BJÖRK") == video.artist
    assert video_find_by_name(artist="BJÖRK", title="HYPERBALLAD") == video
    assert video_find_by_name(artist="Björk", title="Army of Me") is None


@pytest.mark.django_db
def test_videos_added_in_one_insert_get_their_keys():
    artist = artist_get_or_create(name="Björk")
    Video.objects.bulk_create(
        [Video(title="Jóga", artist=artist, source_url=f"https://v.test/{n}") for n in (1, 2)]
    )
    assert Video.objects.filter(title_key="jóga").count() == 2


@pytest.mark.django_db
def test_a_catalogues_artist_in_capitals_is_the_librarys_artist():
    bjork = artist_get_or_create(name="Björk")
    found = artist_for_provider(provider="imvdb", artist_id="1009", name="BJÖRK")
    assert found == bjork
    assert found.provider_ids == {"imvdb": "1009"}
    assert Artist.objects.count() == 1

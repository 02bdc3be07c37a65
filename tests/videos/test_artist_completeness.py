"""Completeness: how many of an artist's videos the library has, and how many of those files
are below the cutoff of the artist's quality profile (else the default profile's); and the
artist's monitoring settings that the pages change."""

from __future__ import annotations

import pytest

from mvidarr import errors
from videos.models import QualityProfile
from videos.selectors import artist_completeness, artists_completeness
from videos.services import artist_update


@pytest.fixture
def hd(db) -> QualityProfile:
    return QualityProfile.objects.create(
        name="HD", qualities=["1080p", "720p", "480p"], cutoff="720p"
    )


def test_every_video_counts_once_by_what_became_of_it(make_video, make_artist):
    bjork = make_artist("Björk")
    for status in ["downloaded", "downloaded", "wanted", "queued", "downloading", "failed"]:
        make_video(artist=bjork, status=status)
    make_video(artist=bjork, status="ignored")
    make_video(artist="Robyn", status="downloaded")

    assert artist_completeness(bjork) == {
        "total": 7,
        "downloaded": 2,
        "below_cutoff": 0,
        "ignored": 1,
        "wanted": 3,
        "failed": 1,
    }


def test_a_downloaded_file_below_the_artists_cutoff_counts_as_below(make_video, make_artist, hd):
    bjork = make_artist("Björk", quality_profile=hd)
    make_video(artist=bjork, status="downloaded", file_path="a.mp4", height=480)
    make_video(artist=bjork, status="downloaded", file_path="b.mp4", height=720)
    make_video(artist=bjork, status="downloaded", file_path="c.mp4", height=1080)
    # A file's height unknown: its quality is unknown, so not shown to meet the cutoff.
    make_video(artist=bjork, status="downloaded", file_path="d.mp4")

    assert artist_completeness(bjork)["below_cutoff"] == 2


def test_an_audio_only_file_is_below_a_video_cutoff(make_video, make_artist, hd):
    bjork = make_artist("Björk", quality_profile=hd)
    video = make_video(artist=bjork, status="downloaded", file_path="a.m4a")
    video.file.audio_codec = "aac"
    video.file.save()

    assert artist_completeness(bjork)["below_cutoff"] == 1


def test_without_a_profile_the_default_profiles_cutoff_applies(make_video, make_artist, hd):
    bjork = make_artist("Björk")
    make_video(artist=bjork, status="downloaded", file_path="a.mp4", height=360)
    assert artist_completeness(bjork)["below_cutoff"] == 0  # "Any" has no cutoff

    QualityProfile.objects.update(is_default=False)
    QualityProfile.objects.filter(pk=hd.pk).update(is_default=True)
    assert artist_completeness(bjork)["below_cutoff"] == 1


def test_a_file_of_a_video_not_downloaded_is_not_counted_below(make_video, make_artist, hd):
    bjork = make_artist("Björk", quality_profile=hd)
    make_video(artist=bjork, status="downloading", file_path="a.mp4", height=360)
    assert artist_completeness(bjork)["below_cutoff"] == 0


def test_many_artists_are_counted_in_a_constant_number_of_queries(
    make_video, make_artist, hd, django_assert_num_queries
):
    artists = [make_artist(f"Artist {n}", quality_profile=hd if n % 2 else None) for n in range(6)]
    for artist in artists:
        make_video(artist=artist, status="downloaded", file_path=f"{artist.pk}.mp4", height=360)
        make_video(artist=artist, status="wanted")

    with django_assert_num_queries(3):
        counts = artists_completeness(artists)

    assert [counts[a.pk]["below_cutoff"] for a in artists] == [0, 1, 0, 1, 0, 1]
    assert {counts[a.pk]["total"] for a in artists} == {2}


def test_an_artist_without_videos_is_zero_everywhere(make_artist, db):
    assert set(artist_completeness(make_artist("Nobody")).values()) == {0}


def test_artist_update_changes_what_is_done_with_new_videos_and_the_profile(make_artist, hd):
    bjork = make_artist("Björk")
    artist_update(artist=bjork, data={"monitor_new": "none", "quality_profile": hd})
    bjork.refresh_from_db()
    assert (bjork.monitor_new, bjork.quality_profile) == ("none", hd)


def test_artist_update_refuses_an_unknown_choice_for_new_videos(make_artist, db):
    bjork = make_artist("Björk")
    with pytest.raises(errors.Invalid, match="choose one of all, none, new") as refused:
        artist_update(artist=bjork, data={"monitor_new": "sometimes"})
    assert refused.value.field == "monitor_new"

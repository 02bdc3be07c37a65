"""POST /api/artists/<id>/merge: two spellings of one artist become one (staff)."""

from __future__ import annotations

import pytest

from jobs.history import Event, history_record
from jobs.models import HistoryEvent
from videos.models import Artist, IgnoredEntry, QualityProfile, Source, Video
from videos.services import artist_get_or_create


@pytest.fixture
def bjork(db) -> Artist:
    return artist_get_or_create(name="Björk")


@pytest.fixture
def misspelt(db) -> Artist:
    return artist_get_or_create(name="Bjork")


def merge(client, artist: Artist, body: dict):
    return client.post(f"/api/artists/{artist.pk}/merge", body, format="json")


def test_merging_moves_videos_sources_ignored_and_history_and_deletes_the_artist(
    client_for, boss, bjork, misspelt
):
    videos = [
        Video.objects.create(source_url=f"https://example.com/{n}", title=f"V{n}", artist=misspelt)
        for n in range(2)
    ]
    kept = Video.objects.create(source_url="https://example.com/k", title="K", artist=bjork)
    source = Source.objects.create(url="https://example.com/channel", artist=misspelt)
    entry = IgnoredEntry.objects.create(url="https://example.com/ignored", artist=misspelt)
    history_record(Event.ADDED, video=videos[0], user=boss)

    response = merge(client_for(boss), misspelt, {"into": bjork.pk})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["name"]) == (bjork.pk, "Björk")
    assert body["moved"] == {"videos": 2, "sources": 1, "ignored": 1}
    assert body["files_job"] is None  # no video has a file: nothing to move
    assert not Artist.objects.filter(pk=misspelt.pk).exists()
    assert set(Video.objects.filter(artist=bjork)) == {*videos, kept}
    source.refresh_from_db()
    entry.refresh_from_db()
    assert source.artist == entry.artist == bjork
    assert HistoryEvent.objects.get(video=videos[0]).artist_id == bjork.pk


def test_the_artist_kept_gains_what_it_lacked_and_keeps_what_it_had(
    client_for, boss, bjork, misspelt
):
    profile = QualityProfile.objects.create(name="Small", qualities=["360p"], cutoff="360p")
    misspelt.provider_ids = {"imvdb": "123", "musicbrainz": "87c5dedd-371d-4a53-9f7f-80522fb7f3cb"}
    misspelt.monitored, misspelt.quality_profile = True, profile
    misspelt.save()
    bjork.provider_ids = {"imvdb": "999"}
    bjork.save()
    assert merge(client_for(boss), misspelt, {"into": bjork.pk}).status_code == 200
    bjork.refresh_from_db()
    assert bjork.provider_ids == {
        "imvdb": "999",
        "musicbrainz": "87c5dedd-371d-4a53-9f7f-80522fb7f3cb",
    }
    assert (bjork.monitored, bjork.quality_profile) == (True, profile)


def test_merging_needs_a_login_and_staff(client_for, alice, bjork, misspelt):
    assert merge(client_for(None), misspelt, {"into": bjork.pk}).status_code == 401
    refused = merge(client_for(alice), misspelt, {"into": bjork.pk})
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Only staff can merge artists."}
    assert Artist.objects.filter(pk=misspelt.pk).exists()


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({}, "This field is required."),
        ({"into": "x"}, "Incorrect type. Expected pk value, received str."),
        ({"into": 999999}, "There is no artist #999999."),
    ],
)
def test_a_bad_target_is_a_400(client_for, boss, misspelt, body, error):
    response = merge(client_for(boss), misspelt, body)
    assert response.status_code == 400
    assert response.json() == {"into": [error]}


def test_an_artist_merged_into_itself_is_a_400(client_for, boss, bjork):
    response = merge(client_for(boss), bjork, {"into": bjork.pk})
    assert response.status_code == 400
    assert response.json() == {
        "into": ["An artist cannot be merged into itself; choose the other artist."]
    }
    assert Artist.objects.filter(pk=bjork.pk).exists()


def test_an_unknown_artist_is_a_404(client_for, boss, bjork):
    response = merge(client_for(boss), Artist(pk=999999), {"into": bjork.pk})
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no artist #999999."}

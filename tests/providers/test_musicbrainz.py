"""The MusicBrainz client against the fake: the User-Agent it requires, recordings that
are videos with their URL relations, album and genres, and its one request a second."""

from __future__ import annotations

import itertools

import pytest

from mvidarr.ops.version import app_version
from tests.providers.fakes import MB_ARTIST, YOUTUBE_PRIMARY
from videos.providers.registry import provider_get

pytestmark = pytest.mark.django_db
LANTERNS = "11111111-1111-4111-8111-111111111111"


def test_every_request_names_mvidarr_its_version_and_a_contact(musicbrainz_server):
    provider_get("musicbrainz").video(LANTERNS)
    (request,) = musicbrainz_server.received
    assert request.headers["user-agent"] == (
        f"MVidarr/{app_version()} ( https://github.com/mvidarr/mvidarr )"
    )


def test_an_artists_recordings_that_are_videos(musicbrainz_server):
    videos = provider_get("musicbrainz").artist_videos(MB_ARTIST)
    assert [(hit.title, hit.id) for hit in videos] == [
        ("Lanterns", LANTERNS),
        ("Paper Moons", "33333333-3333-4333-8333-333333333333"),
    ]
    (request,) = musicbrainz_server.received
    assert request.query["inc"] == "url-rels" and request.query["artist"] == MB_ARTIST


def test_a_recording_gives_its_album_genres_ids_and_youtube_source(musicbrainz_server):
    details = provider_get("musicbrainz").video(LANTERNS)
    assert details.fields == {
        "provider_ids": {"musicbrainz": LANTERNS},
        "album": "Harbour Songs",
        "genres": ["indie pop", "dream pop"],
    }
    assert [source.site_id for source in details.sources] == [YOUTUBE_PRIMARY]
    assert details.extra == {"artist_ids": [MB_ARTIST]}


def test_requests_are_never_closer_than_one_over_the_rate(musicbrainz_server, monkeypatch):
    monkeypatch.setenv("MVIDARR_MUSICBRAINZ_RATE", "10")
    monkeypatch.setenv("MVIDARR_PROVIDER_CACHE_TTL", "0")
    client = provider_get("musicbrainz")
    for _ in range(5):
        client.video(LANTERNS)
    times = [item.at for item in musicbrainz_server.received]
    assert len(times) == 5
    assert min(later - earlier for earlier, later in itertools.pairwise(times)) >= 0.1


def test_the_default_rate_is_one_a_second(musicbrainz_server, monkeypatch):
    monkeypatch.delenv("MVIDARR_MUSICBRAINZ_RATE")
    assert provider_get("musicbrainz").http.rate == 1.0

"""The history, wanted, cutoff-unmet and source forms name an artist by typing it (names
suggested from the API as one types), not from a <select> of every artist: a typed name (any
case) filters or sets the artist, a link's ?artist=<id> shows its name, and a name the
library does not have says so instead of showing everything."""

from __future__ import annotations

import pytest

from jobs.models import HistoryEvent
from videos.models import QualityProfile, Source

UNKNOWN = "No artist is named “Nobody”; choose one of the names suggested as you type."


@pytest.fixture
def artists(make_artist):
    hd = QualityProfile.objects.create(
        name="HD", qualities=["720p", "360p"], cutoff="720p", upgrade_allowed=True
    )
    return make_artist("Björk", quality_profile=hd), make_artist(
        "Róisín Murphy", quality_profile=hd
    )


def _field(body: str) -> str:
    """The artist's <input> as the page renders it."""
    return body.split('name="artist_name"', 1)[1].split(">", 1)[0]


def _no_artist_select(body: str) -> bool:
    return "Róisín Murphy</option>" not in body and "Björk</option>" not in body


# --- history -------------------------------------------------------------------------------
@pytest.fixture
def history(artists):
    bjork, roisin = artists
    return {
        artist.name: HistoryEvent.objects.create(event="added", title=title, artist=artist)
        for artist, title in ((bjork, "Army of Me"), (roisin, "Overpowered"))
    }


def test_the_history_is_filtered_by_a_typed_artist_in_any_case(logged_in, alice, history):
    body = logged_in(alice).get("/history/", {"artist_name": "  björk "}).content.decode()
    assert f'data-history="{history["Björk"].pk}"' in body
    assert f'data-history="{history["Róisín Murphy"].pk}"' not in body
    assert 'value="Björk"' in _field(body) and "data-artist-suggest" in _field(body)
    assert _no_artist_select(body) and "mvidarr/js/artist-suggest.js" in body


def test_a_link_to_an_artists_history_shows_its_name_in_the_field(logged_in, alice, history):
    artist = history["Róisín Murphy"].artist
    body = logged_in(alice).get("/history/", {"artist": artist.pk}).content.decode()
    assert 'value="Róisín Murphy"' in _field(body)
    assert f'data-history="{history["Róisín Murphy"].pk}"' in body
    assert f'data-history="{history["Björk"].pk}"' not in body


def test_an_unknown_artist_in_the_history_is_a_400_that_says_so(logged_in, alice, history):
    response = logged_in(alice).get("/history/", {"artist_name": "Nobody"})
    body = response.content.decode()
    assert response.status_code == 400 and UNKNOWN in body
    assert "data-history=" not in body


# --- wanted and cutoff unmet ---------------------------------------------------------------
@pytest.fixture
def videos(artists, make_video):
    bjork, roisin = artists
    return {
        "wanted": make_video("Army of Me", artist=bjork),
        "other wanted": make_video("Overpowered", artist=roisin),
        "below": make_video("Joga", artist=bjork, status="downloaded", file_path="a", height=360),
        "other below": make_video(
            "Sing It Back", artist=roisin, status="downloaded", file_path="b", height=360
        ),
    }


@pytest.mark.parametrize(
    ("path", "mine", "other"),
    [("/wanted/", "wanted", "other wanted"), ("/wanted/cutoff/", "below", "other below")],
)
def test_the_wanted_pages_are_filtered_by_a_typed_artist(
    logged_in, boss, videos, path, mine, other
):
    body = logged_in(boss).get(path, {"artist_name": "BJÖRK"}).content.decode()
    assert f'href="/videos/{videos[mine].pk}/"' in body
    assert f'href="/videos/{videos[other].pk}/"' not in body
    assert 'value="Björk"' in _field(body) and "data-artist-suggest" in _field(body)
    assert _no_artist_select(body) and "mvidarr/js/artist-suggest.js" in body


@pytest.mark.parametrize("path", ["/wanted/", "/wanted/cutoff/"])
def test_an_unknown_artist_on_the_wanted_pages_matches_nothing_and_says_so(
    logged_in, boss, videos, path
):
    body = logged_in(boss).get(path, {"artist_name": "Nobody"}).content.decode()
    assert UNKNOWN in body
    assert not any(f'href="/videos/{video.pk}/"' in body for video in videos.values())
    assert 'value="Nobody"' in _field(body)


def test_download_all_shown_keeps_the_typed_artist(logged_in, boss, videos):
    body = logged_in(boss).get("/wanted/", {"artist_name": "björk"}).content.decode()
    artist = videos["wanted"].artist
    assert f'<input type="hidden" name="artist" value="{artist.pk}"' in body


# --- a source's artist ---------------------------------------------------------------------
@pytest.fixture
def channel(artists):
    return Source.objects.create(url="https://example.com/channel/x", artist=artists[0])


def _edit(channel: Source, artist_name: str) -> dict:
    return {
        "url": channel.url,
        "artist_name": artist_name,
        "monitored": "on",
        "index_interval_minutes": "360",
    }


def test_a_sources_artist_is_changed_by_typing_its_name(logged_in, boss, channel, artists):
    client = logged_in(boss)
    response = client.post(f"/sources/{channel.pk}/edit/", _edit(channel, "róisín murphy"))
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.artist == artists[1]
    client.post(f"/sources/{channel.pk}/edit/", _edit(channel, ""))
    channel.refresh_from_db()
    assert channel.artist is None


def test_an_unknown_artist_for_a_source_is_a_400_next_to_the_field(logged_in, boss, channel):
    response = logged_in(boss).post(f"/sources/{channel.pk}/edit/", _edit(channel, "Nobody"))
    assert response.status_code == 400
    errors = response.content.decode().split('id="id_artist_name-errors"', 1)[1].split("</ul>")[0]
    assert UNKNOWN in errors
    channel.refresh_from_db()
    assert channel.artist.name == "Björk"

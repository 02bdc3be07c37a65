"""The library as a collector wants it: sorted by added, title, artist, year, duration, size
and quality (either way, what a video lacks last); filtered by quality (a band, or below its
cutoff by the cutoff-unmet list's own rule), type and site; cards with their duration,
resolution and a clamped title; a grid or a list, remembered for each person."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from mvidarr.pagination import KeysFirst
from preferences.models import UserPreference
from videos import listing
from videos.models import Artist, QualityProfile, Video, VideoFile
from videos.selectors import video_list, video_list_parts
from videos.wanted import cutoff_unmet_list

pytestmark = pytest.mark.django_db


def add(
    title: str,
    *,
    artist: Artist | None = None,
    days_ago: int = 0,
    file: dict | None = None,
    **fields,
) -> Video:
    video = Video.objects.create(
        title=title, artist=artist, source_url=f"https://videos.example/{title}", **fields
    )
    Video.objects.filter(pk=video.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    if file is not None:
        VideoFile.objects.create(video=video, path=f"{title}.mp4", **file)
    return video


@pytest.fixture
def api_as():
    """``api_as(user)``: an API client authenticated as ``user``."""

    def make(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def library():
    """Four videos whose every sort gives a different order; "Dust" lacks what it can."""
    portishead = Artist.objects.create(name="Portishead", sort_name="Portishead")
    bjork = Artist.objects.create(name="Björk", sort_name="Björk")
    add(
        "Roads",
        artist=portishead,
        days_ago=3,
        year=1994,
        duration=300,
        file={"size": 30, "height": 720, "video_codec": "h264"},
    )
    add(
        "Army of Me",
        artist=bjork,
        days_ago=2,
        year=1995,
        duration=240,
        file={"size": 90, "height": 480, "video_codec": "h264"},
    )
    add(
        "Jóga",
        artist=bjork,
        days_ago=1,
        year=1997,
        duration=310,
        file={"size": 10, "height": 2160, "video_codec": "h264"},
    )
    add("Dust", days_ago=4)  # no artist, year, duration nor file


EXPECTED = {
    "-added": ["Jóga", "Army of Me", "Roads", "Dust"],
    "added": ["Dust", "Roads", "Army of Me", "Jóga"],
    "title": ["Army of Me", "Dust", "Jóga", "Roads"],
    "-title": ["Roads", "Jóga", "Dust", "Army of Me"],
    "artist": ["Army of Me", "Jóga", "Roads", "Dust"],
    "-artist": ["Roads", "Jóga", "Army of Me", "Dust"],
    "year": ["Roads", "Army of Me", "Jóga", "Dust"],
    "-year": ["Jóga", "Army of Me", "Roads", "Dust"],
    "duration": ["Army of Me", "Roads", "Jóga", "Dust"],
    "-duration": ["Jóga", "Roads", "Army of Me", "Dust"],
    "size": ["Jóga", "Roads", "Army of Me", "Dust"],
    "-size": ["Army of Me", "Roads", "Jóga", "Dust"],
    "quality": ["Army of Me", "Roads", "Jóga", "Dust"],
    "-quality": ["Jóga", "Roads", "Army of Me", "Dust"],
}


def titles_on(body: str) -> list[str]:
    return re.findall(r'data-video-field="title">([^<]+)</a>', body)


def page(client: Client, **params) -> str:
    response = client.get("/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_every_sort_is_offered_both_ways():
    assert set(EXPECTED) == set(listing.SORT_VALUES)


@pytest.mark.parametrize("sort", list(EXPECTED))
def test_the_library_page_sorts_by_each_field_either_way(logged_in, alice, library, sort):
    body = page(logged_in(alice), sort=sort)
    assert titles_on(body) == EXPECTED[sort]
    assert re.search(rf'<option value="{re.escape(sort)}" selected>', body)


@pytest.mark.parametrize("sort", list(EXPECTED))
def test_the_api_orders_by_each_field_either_way(api_as, alice, library, sort):
    response = api_as(alice).get("/api/videos/", {"ordering": sort})
    assert response.status_code == 200
    assert [video["title"] for video in response.json()["results"]] == EXPECTED[sort]


@pytest.mark.parametrize("sort", ["artist", "-artist", "title", "-added"])
def test_a_page_read_in_parts_is_the_sorts_own_order_across_every_page_boundary(sort):
    artists = [Artist.objects.create(name=f"Band {n}", sort_name=f"Band {n % 3}") for n in range(5)]
    for n in range(23):
        add(f"Clip {n % 7} {n}", artist=artists[n % 6] if n % 6 < 5 else None, days_ago=n % 4)
    whole = list(video_list(sort=sort).values_list("pk", flat=True))
    keys = KeysFirst(video_list(sort=sort), parts=video_list_parts(sort=sort))
    assert keys.count() == len(whole) == 23
    for start in range(0, 24, 5):
        assert [video.pk for video in keys[start : start + 5]] == whole[start : start + 5]


def test_an_unknown_sort_is_the_newest_first(logged_in, alice, library):
    assert titles_on(page(logged_in(alice), sort="colour")) == EXPECTED["-added"]


def test_the_api_refuses_an_unknown_ordering_or_filter_with_a_sentence(api_as, alice):
    for params in ({"ordering": "colour"}, {"quality": "8K"}, {"source": "myspace"}):
        response = api_as(alice).get("/api/videos/", params)
        assert response.status_code == 400, params
        assert next(iter(params)) in response.json()


def test_the_api_asks_who_is_asking(client):
    assert client.get("/api/videos/", {"ordering": "title"}).status_code == 401


def test_the_quality_filter_below_cutoff_lists_what_the_cutoff_unmet_list_lists(
    logged_in, alice, api_as
):
    hd = QualityProfile.objects.create(
        name="HD", qualities=["1080p", "720p", "480p"], cutoff="1080p", upgrade_allowed=True
    )
    fixed = QualityProfile.objects.create(
        name="Kept", qualities=["1080p", "480p"], cutoff="1080p", upgrade_allowed=False
    )
    bjork = Artist.objects.create(name="Björk", sort_name="Björk", quality_profile=hd)
    kept = Artist.objects.create(name="Kept", sort_name="Kept", quality_profile=fixed)
    low = add("Low", artist=bjork, status="downloaded", file={"height": 480, "video_codec": "h"})
    add("Full", artist=bjork, status="downloaded", file={"height": 1080, "video_codec": "h"})
    add("No upgrades", artist=kept, status="downloaded", file={"height": 480, "video_codec": "h"})
    add("Wanted", artist=bjork)

    assert list(cutoff_unmet_list()) == [low]
    assert titles_on(page(logged_in(alice), quality="below_cutoff")) == ["Low"]
    results = api_as(alice).get("/api/videos/", {"quality": "below_cutoff"}).json()["results"]
    assert [video["id"] for video in results] == [low.pk]


def test_the_quality_filter_takes_a_files_band_or_audio_only(logged_in, alice, library):
    add("Sound", file={"height": None, "audio_codec": "aac"})
    client = logged_in(alice)
    assert titles_on(page(client, quality="720p")) == ["Roads"]
    assert titles_on(page(client, quality="2160p")) == ["Jóga"]
    assert titles_on(page(client, quality="audio")) == ["Sound"]


def test_the_type_and_source_filters(logged_in, alice, api_as):
    add("Live at the Roundhouse", video_type="live", extractor="youtube", source_id="a")
    add("Official", video_type="official", extractor="youtube:tab", source_id="b")
    add("On Vimeo", video_type="live", extractor="vimeo", source_id="c")
    client = logged_in(alice)
    assert titles_on(page(client, type="live")) == ["On Vimeo", "Live at the Roundhouse"]
    assert titles_on(page(client, source="youtube")) == ["Official", "Live at the Roundhouse"]
    assert titles_on(page(client, type="live", source="youtube", sort="title")) == [
        "Live at the Roundhouse"
    ]
    body = page(client, type="live")
    assert "match these filters" in body and "Clear filters" in body
    results = api_as(alice).get("/api/videos/", {"video_type": "live", "source": "vimeo"})
    assert [video["title"] for video in results.json()["results"]] == ["On Vimeo"]


def test_invalid_filters_and_sorts_on_the_page_are_ignored(logged_in, alice, library):
    body = page(logged_in(alice), quality="8K", type="opera", source="myspace", sort="nope")
    assert titles_on(body) == EXPECTED["-added"]


def test_a_card_shows_the_duration_the_resolution_and_the_whole_title_on_hover(logged_in, alice):
    long_title = "A very long title " * 8
    add(long_title.strip(), duration=3725, file={"height": 2160, "video_codec": "h264"})
    add("Short", duration=187, file={"height": 1080, "video_codec": "h264"})
    add("Sound", file={"audio_codec": "aac"})
    body = page(logged_in(alice))
    assert f'title="{long_title.strip()}"' in body
    assert re.search(r"data-resolution>4K<.*data-duration>1:02:05<", body, re.S)
    assert re.search(r"data-resolution>1080p<.*data-duration>3:07<", body, re.S)
    assert "data-resolution>Audio<" in body


# --- grid or list, remembered ------------------------------------------------------------------
def test_the_library_is_a_grid_until_a_person_chooses_the_list_and_stays_so(
    logged_in, alice, bob, library
):
    client = logged_in(alice)
    assert 'data-view="grid"' in page(client)
    response = client.post("/library/view/", {"view": "list", "next": "/?sort=title"})
    assert response.status_code == 302 and response["Location"] == "/?sort=title"

    body = page(client, sort="title")
    assert 'data-view="list"' in body and 'data-view="grid"' not in body
    assert titles_on(body) == EXPECTED["title"]
    assert (
        '<button class="button small secondary" type="submit" name="view" value="list" '
        'aria-pressed="true">' in body
    )
    row = body[body.index("data-video-row") :]
    for fact in ("data-resolution>720p<", "1994", "5:00", "30 B"):
        assert fact in body, fact
    assert "Portishead" in row
    # Another session of the same person: still the list. Another person: the grid.
    again = Client()
    again.force_login(alice)
    assert 'data-view="list"' in page(again)
    assert 'data-view="grid"' in page(logged_in(bob))
    assert UserPreference.objects.get(user=alice).value == "list"


def test_choosing_the_view_goes_back_only_to_a_page_of_this_site(logged_in, alice):
    response = logged_in(alice).post(
        "/library/view/", {"view": "grid", "next": "https://elsewhere.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_choosing_the_view_asks_an_anonymous_visitor_to_log_in(client):
    response = client.post("/library/view/", {"view": "list"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not UserPreference.objects.exists()


def test_choosing_the_view_without_the_forms_token_is_refused(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post("/library/view/", {"view": "list"}).status_code == 403
    assert not UserPreference.objects.exists()


def test_an_unknown_view_is_refused_with_a_sentence(logged_in, alice):
    response = logged_in(alice).post("/library/view/", {"view": "wall"})
    assert response.status_code == 400
    assert "grid or list" in response.content.decode()
    assert logged_in(alice).get("/library/view/").status_code == 405


def test_the_filters_fold_behind_one_button_on_a_narrow_screen(logged_in, alice, library):
    body = page(logged_in(alice))
    assert (
        'data-controls-toggle aria-expanded="true" aria-controls="library-controls" hidden>'
        "Filters</button>" in body
    )
    assert 'id="library-controls"' in body


def test_the_newest_first_and_title_orders_need_no_nulls_clause():
    """A NULLS LAST on a column that is never null stops PostgreSQL from reading the order
    backwards from its index: the default page would sort the whole library."""
    for sort in ("-added", "added", "title", "-title"):
        assert "NULLS" not in str(video_list(sort=sort).query).upper(), sort
    assert "NULLS LAST" in str(video_list(sort="-year").query).upper()

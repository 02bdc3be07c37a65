"""``PATCH /api/videos/<id>/`` with the descriptive fields: any signed-in user, each field sent
recorded as set by hand, every bad value a 400 with a sentence, nothing half-written."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobs.models import Job
from videos.models import Artist, Video

METADATA = {
    "album": "Post",
    "year": 1995,
    "premiered": "1995-04-10",
    "genres": ["Art pop", "Trip hop"],
    "directors": ["Michel Gondry"],
    "studio": "One Little Indian",
    "plot": "A girl drives through a city of giants.\nThen a dentist.",
    "featured_artists": ["Nellee Hooper"],
    "video_type": "official",
    "version_name": "Director's cut",
    "provider_ids": {
        "youtube": "dQw4w9WgXcQ",
        "imvdb": "123456",
        "musicbrainz": "0383dadf-2a4e-4d10-a46a-e9e041da8eb3",
    },
}


def test_any_signed_in_user_sets_the_fields_and_they_are_marked_by_hand(api, video):
    response = api.patch(f"/api/videos/{video.pk}/", METADATA, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert {name: body[name] for name in METADATA} == METADATA
    assert body["field_sources"] == dict.fromkeys(METADATA, "user")
    video.refresh_from_db()
    assert video.premiered == datetime.date(1995, 4, 10)
    assert video.provider_ids["imvdb"] == "123456"


def test_a_field_not_sent_keeps_its_value_and_source(api, video):
    video.album = "Post"
    video.field_sources = {"album": "site"}
    video.save()
    response = api.patch(f"/api/videos/{video.pk}/", {"year": 1995}, format="json")
    assert response.json()["field_sources"] == {"album": "site", "year": "user"}
    assert response.json()["album"] == "Post"


def test_a_new_artist_name_with_the_fields_creates_the_artist(api, video):
    response = api.patch(
        f"/api/videos/{video.pk}/", {"artist": "Björk", "album": "Post"}, format="json"
    )
    assert response.status_code == 200
    assert Artist.objects.get().name == "Björk"
    assert response.json()["field_sources"] == {"artist": "user", "album": "user"}


def test_reading_a_video_answers_every_field(api, video):
    body = api.get(f"/api/videos/{video.pk}/").json()
    assert {name: body[name] for name in METADATA} == {
        "album": "",
        "year": None,
        "premiered": None,
        "genres": [],
        "directors": [],
        "studio": "",
        "plot": "",
        "featured_artists": [],
        "video_type": "",
        "version_name": "",
        "provider_ids": {},
    }
    assert body["field_sources"] == {}


@pytest.mark.parametrize(
    ("data", "field", "sentence"),
    [
        ({"year": 1700}, "year", f"Enter a year between 1880 and {datetime.date.today().year + 1}"),
        ({"year": "soon"}, "year", "A valid integer is required."),
        ({"premiered": "10/04/1995"}, "premiered", "Date has wrong format."),
        ({"genres": "Pop"}, "genres", 'Expected a list of items but got type "str".'),
        ({"genres": ["Pop", ""]}, "genres", "This field may not be blank."),
        ({"directors": ["x" * 256]}, "directors", "no more than 255 characters"),
        ({"featured_artists": [f"a{i}" for i in range(51)]}, "featured_artists", "no more than 50"),
        ({"video_type": "trailer"}, "video_type", '"trailer" is not a valid choice.'),
        ({"provider_ids": {"youtube": "short"}}, "provider_ids", "11-character YouTube video id"),
        ({"provider_ids": {"imvdb": "abc"}}, "provider_ids", "IMVDb id (digits)"),
        ({"provider_ids": {"musicbrainz": "nope"}}, "provider_ids", "a MusicBrainz id (a UUID"),
        ({"provider_ids": {"discogs": "1"}}, "provider_ids", "'discogs' is not a provider"),
        ({"provider_ids": ["youtube"]}, "provider_ids", "Expected a dictionary of items"),
        ({"album": "x" * 501}, "album", "no more than 500 characters"),
    ],
)
def test_a_bad_value_is_a_400_naming_the_field_and_nothing_is_written(
    api, video, data, field, sentence
):
    response = api.patch(f"/api/videos/{video.pk}/", {"album": "Post", **data}, format="json")
    assert response.status_code == 400
    errors = response.json()[field]
    assert sentence in str(errors), errors
    video.refresh_from_db()
    assert (video.album, video.field_sources) == ("", {})


def test_anonymous_is_401(client_for, video):
    response = client_for(None).patch(f"/api/videos/{video.pk}/", {"album": "x"}, format="json")
    assert response.status_code == 401
    video.refresh_from_db()
    assert video.album == ""


def test_the_fields_with_a_link_this_user_may_not_change_is_403_and_nothing_is_written(
    client_for, bob, alice, video
):
    # Changing the link stays with staff and whoever added the video: the whole PATCH is
    # refused, the fields sent with it too.
    Job.objects.create(kind=Job.Kind.METADATA_PROBE, video=video, user=alice)
    response = client_for(bob).patch(
        f"/api/videos/{video.pk}/",
        {"album": "Post", "url": "https://example.com/watch?v=other"},
        format="json",
    )
    assert response.status_code == 403
    video.refresh_from_db()
    assert (video.album, video.field_sources) == ("", {})


def test_the_list_reads_the_fields_without_a_query_per_video(api, make_artist):
    artist = make_artist("Björk")
    for number in range(3):
        Video.objects.create(
            source_url=f"https://example.com/{number}", artist=artist, **{"album": "Post"}
        )
    with CaptureQueriesContext(connection) as few:
        assert api.get("/api/videos/").status_code == 200
    for number in range(3, 13):
        Video.objects.create(source_url=f"https://example.com/{number}", artist=artist)
    with CaptureQueriesContext(connection) as many:
        body = api.get("/api/videos/").json()
    assert body["count"] == 13
    assert len(many) == len(few)


def test_the_schema_documents_the_fields(api):
    schema = api.get("/api/schema/?format=json").json()
    patch = schema["components"]["schemas"]["PatchedVideoUpdateInputRequest"]["properties"]
    assert set(METADATA) <= set(patch)
    video = schema["components"]["schemas"]["Video"]["properties"]
    assert {*METADATA, "field_sources"} <= set(video)
    assert schema["components"]["schemas"]["VideoTypeEnum"]["enum"] == [
        "official",
        "lyric",
        "live",
        "performance",
        "behind_the_scenes",
        "interview",
        "concert",
        "visualizer",
    ]

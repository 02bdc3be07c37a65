"""/api/history/: the library's history, newest first, filtered, for everyone signed in."""

from __future__ import annotations

import pytest

from jobs.history import history_record
from jobs.models import HistoryEvent, Job
from tests.api.test_schema import assert_matches
from videos.models import Source, Video
from videos.services import artist_get_or_create

Event = HistoryEvent.Event


@pytest.fixture
def history(db, boss):
    bjork = artist_get_or_create(name="Björk")
    source = Source.objects.create(url="https://example.com/channel/bjork", artist=bjork)
    army = Video.objects.create(
        source_url="https://example.com/a", title="Army of Me", artist=bjork, indexed_from=source
    )
    other = Video.objects.create(source_url="https://example.com/b", title="Teardrop")
    job = Job.objects.create(kind=Job.Kind.VIDEO_DOWNLOAD, video=army, user=boss)
    rows = {
        "indexed": history_record(Event.INDEXED, source=source, artist=bjork, data={"added": 1}),
        "added": history_record(Event.ADDED, video=army),
        "other": history_record(Event.ADDED, video=other, user=boss),
        "grabbed": history_record(Event.GRABBED, video=army, job=job, data={"quality": "720p"}),
    }
    return {"army": army, "other": other, "source": source, "bjork": bjork, "job": job, **rows}


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_history_is_newest_first_with_who_and_what(api, history, boss):
    response = api.get("/api/history/")

    assert_matches(api.get("/api/schema/?format=json").json(), "/api/history/", "get", response)
    rows = response.json()["results"]
    assert [row["event"] for row in rows] == ["grabbed", "added", "added", "indexed"]
    assert rows[0] == {
        "id": history["grabbed"].pk,
        "event": "grabbed",
        "created_at": rows[0]["created_at"],
        "video": history["army"].pk,
        "title": "Army of Me",
        "artist": {"id": history["bjork"].pk, "name": "Björk"},
        "source": history["source"].pk,  # the video's: its index found it
        "job": history["job"].pk,
        "user": "boss",
        "origin": "user",
        "data": {"quality": "720p"},
    }


def test_history_is_filtered_by_video_artist_source_and_event(api, history):
    army, source = history["army"], history["source"]
    assert _ids(api.get("/api/history/", {"video": army.pk})) == [
        history["grabbed"].pk,
        history["added"].pk,
    ]
    assert _ids(api.get("/api/history/", {"artist": history["bjork"].pk})) == [
        history["grabbed"].pk,
        history["added"].pk,
        history["indexed"].pk,
    ]
    assert _ids(api.get("/api/history/", {"source": source.pk})) == [
        history["grabbed"].pk,
        history["added"].pk,
        history["indexed"].pk,
    ]
    assert _ids(api.get("/api/history/", {"event": "added"})) == [
        history["other"].pk,
        history["added"].pk,
    ]


def test_an_unknown_event_or_a_non_integer_id_is_a_400(api, history):
    unknown = api.get("/api/history/", {"event": "exploded"})
    assert unknown.status_code == 400
    assert unknown.json()["event"][0].startswith("Unknown event “exploded”; choose one of added")
    for name in ("video", "artist", "source"):
        assert api.get("/api/history/", {name: "x"}).status_code == 400, name


def test_history_is_for_signed_in_users(client_for, history):
    assert client_for().get("/api/history/").status_code == 401

"""Listing videos reads their files with them: the same few queries for 2 videos or 12."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.support import make_user
from videos.models import Artist, Video, VideoFile


def add_downloaded(count: int) -> None:
    for n in range(count):
        artist = Artist.objects.create(name=f"Artist {Video.objects.count()}")
        video = Video.objects.create(
            source_url=f"https://videos.example/{Video.objects.count()}",
            title=f"Clip {n}",
            artist=artist,
            status="downloaded",
        )
        VideoFile.objects.create(video=video, path=f"{artist.name}/Clip {n}.mp4", size=n)


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["/api/videos/", "/"])
def test_listing_videos_takes_as_many_queries_for_12_files_as_for_2(db, path):
    user = make_user("alice")
    api = APIClient()
    api.force_authenticate(user)
    page = Client()
    page.force_login(user)
    client = api if path.startswith("/api/") else page
    queries_for(client, path)  # a session's first page also looks for a one-time password
    add_downloaded(2)
    few = queries_for(client, path)
    add_downloaded(10)
    assert queries_for(client, path) == few


def test_the_api_reads_a_videos_file_fields_from_its_file_record(db):
    api = APIClient()
    api.force_authenticate(make_user("alice"))
    add_downloaded(1)
    Video.objects.create(source_url="https://videos.example/none", title="No file")
    videos = {v["title"]: v for v in api.get("/api/videos/").json()["results"]}
    assert {key: videos["Clip 0"][key] for key in ("file_path", "file_size", "format")} == {
        "file_path": "Artist 0/Clip 0.mp4",
        "file_size": 0,
        "format": "",
    }
    no_file = videos["No file"]
    assert (no_file["file_path"], no_file["file_size"], no_file["width"], no_file["format"]) == (
        "",
        None,
        None,
        "",
    )

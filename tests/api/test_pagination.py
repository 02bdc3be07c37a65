"""Every list endpoint pages alike: ``{count, next, previous, results}``, PAGE_SIZE a page."""

from __future__ import annotations

import pytest
from django.conf import settings

from jobs.models import Job
from videos.models import Artist, Video
from videos.services import artist_create

PAGE_SIZE = settings.REST_FRAMEWORK["PAGE_SIZE"]


@pytest.fixture
def many(alice) -> Artist:
    """One more than a page of everything: artists, videos (of one artist) and jobs."""
    artist = artist_create(name="Aphex Twin")
    Artist.objects.bulk_create(
        Artist(name=f"Artist {n}", sort_name=f"Artist {n}", folder_name=f"Artist {n}")
        for n in range(PAGE_SIZE)
    )
    videos = Video.objects.bulk_create(
        Video(source_url=f"https://example.com/v/{n}", artist=artist) for n in range(PAGE_SIZE + 1)
    )
    Job.objects.bulk_create(
        Job(kind=Job.Kind.METADATA_PROBE, user=alice, video=video, status=Job.Status.COMPLETED)
        for video in videos
    )
    return artist


@pytest.mark.parametrize("path", ["/api/artists/", "/api/videos/", "/api/jobs/", "artist-videos"])
def test_every_list_is_paged_with_count_next_previous_and_results(api, many, path):
    if path == "artist-videos":
        path = f"/api/artists/{many.pk}/videos/"
    first = api.get(path).json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] == PAGE_SIZE + 1
    assert len(first["results"]) == PAGE_SIZE
    assert first["previous"] is None
    assert first["next"].endswith(f"{path}?page=2")
    second = api.get(path, {"page": 2}).json()
    assert len(second["results"]) == 1
    assert second["next"] is None
    assert second["previous"].endswith(path)
    ids = {item["id"] for item in first["results"] + second["results"]}
    assert len(ids) == PAGE_SIZE + 1


def test_a_page_past_the_end_is_a_404(api, many):
    response = api.get("/api/videos/", {"page": 3})
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


# Lists that are a bounded property of one row, not a collection: a video's candidate
# sources (at most jobs.services.resolve.KEPT_CANDIDATES), shaped as issue 15 asks.
# Lists whose length is bounded by the code: the candidates kept, the providers' settings.
BOUNDED_LISTS = {"/api/videos/{video_id}/candidates", "/api/providers/settings"}


def test_the_schema_documents_every_list_as_the_one_paginated_shape(api):
    schema = api.get("/api/schema/?format=json").json()
    lists = []
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if get is None:
            continue
        body = get["responses"]["200"]["content"].get("application/json", {}).get("schema", {})
        if path in BOUNDED_LISTS:
            assert body.get("type") == "array", path
            continue
        assert body.get("type") != "array", f"GET {path} is a list without pages"
        if body.get("$ref", "").startswith("#/components/schemas/Paginated"):
            lists.append(path)
            assert {p["name"] for p in get["parameters"]} >= {"page"}, path
    assert set(lists) >= {
        "/api/artists/",
        "/api/artists/{artist_id}/videos/",
        "/api/videos/",
        "/api/jobs/",
    }


def test_the_job_list_counts_only_up_to_a_bound(api, many, monkeypatch):
    # A million job rows are never counted: the list says at most COUNT_LIMIT, and its
    # pages stop there.
    monkeypatch.setattr("mvidarr.pagination.COUNT_LIMIT", PAGE_SIZE + 1)
    assert api.get("/api/jobs/").json()["count"] == PAGE_SIZE + 1  # exact up to the bound
    monkeypatch.setattr("mvidarr.pagination.COUNT_LIMIT", 3)

    page = api.get("/api/jobs/").json()

    assert page["count"] == 3
    assert len(page["results"]) == 3 and page["next"] is None
    assert api.get("/api/videos/").json()["count"] == PAGE_SIZE + 1  # other lists count all

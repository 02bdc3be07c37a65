"""``GET /api/videos/`` and the library's pages at depth: a page's keys are read first (from
the index that serves the order), then its rows (mvidarr.pagination.KeysFirst), and the pages
still hold every video once, newest first, whatever the filter."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from videos.models import Artist, Video
from videos.selectors import video_list

PAGE_SIZE = settings.REST_FRAMEWORK["PAGE_SIZE"]


@pytest.fixture
def library(db) -> Artist:
    """Four pages of videos, added out of id order and many at the same moment
    (the order then falls back to the id), of two artists and three statuses."""
    portishead = Artist.objects.create(name="Portishead", sort_name="Portishead")
    other = Artist.objects.create(name="Björk", sort_name="Björk")
    start = timezone.now()
    videos = Video.objects.bulk_create(
        Video(
            title=f"Glory Box {n}" if n % 3 else f"Army of Me {n}",
            artist=portishead if n % 2 else other,
            status=("wanted", "downloaded", "failed")[n % 3],
            source_url=f"https://videos.example/{n}",
        )
        for n in range(PAGE_SIZE * 4)
    )
    for n, video in enumerate(videos):
        # Seven moments, shuffled against the ids.
        Video.objects.filter(pk=video.pk).update(
            created_at=start - datetime.timedelta(minutes=(n * 5) % 7)
        )
    return portishead


def every_page(api, **params) -> list[int]:
    ids, page = [], 1
    while True:
        body = api.get("/api/videos/", {**params, "page": page}).json()
        ids += [video["id"] for video in body["results"]]
        if body["next"] is None:
            return ids
        page += 1


@pytest.mark.parametrize(
    "filters",
    [{}, {"status": "downloaded"}, {"search": "glory"}, {"search": "ME"}, {"artist": "artist"}],
)
def test_every_page_together_is_the_list_newest_first_each_video_once(api, library, filters):
    if filters.get("artist"):
        filters = {"artist": library.pk}
    expected = list(
        Video.objects.filter(
            **({"status": filters["status"]} if "status" in filters else {}),
            **({"artist": filters["artist"]} if "artist" in filters else {}),
        )
        .filter(title_key__contains=filters.get("search", "").lower())
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)
    )
    assert len(expected) > PAGE_SIZE
    assert every_page(api, **filters) == expected


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL chooses by table statistics")
@pytest.mark.parametrize("filters", [{}, {"status": "failed"}, {"artist_id": "artist"}])
def test_a_page_of_videos_is_read_in_order_from_an_index_not_sorted(library, filters):
    if filters.get("artist_id"):
        filters = {"artist_id": library.pk}
    keys = video_list(**filters).values_list("pk", flat=True)[PAGE_SIZE * 2 : PAGE_SIZE * 3]
    sql, params = keys.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "TEMP B-TREE" not in plan
    assert "COVERING INDEX video_" in plan

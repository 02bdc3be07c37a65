"""A bulk download at scale through the API: by filter, up to 10,000 videos, its `counts`
and `items` (at most 50) and GET /api/jobs/<id>/items/ (all of them, a page at a time)."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from dramatiq import Message
from rest_framework.settings import api_settings

from jobs.models import Job
from jobs.services.wanted import wanted_download_submit
from jobs.transitions import job_claim, job_finish
from tests.pages.test_consumers import connect, feed, headers_for
from videos.models import Artist, QualityProfile, Video, VideoFile

BULK = "/api/videos/bulk/download"


def make_videos(count: int, *, prefix: str = "Clip", **fields) -> list[Video]:
    return Video.objects.bulk_create(
        Video(source_url=f"https://example.com/{prefix}/{n}", title=f"{prefix} {n}", **fields)
        for n in range(count)
    )


def chosen(response) -> list[int]:
    """The videos of the bulk job the response answers with, from its rows."""
    job = Job.objects.get(pk=response.json()["id"])
    return sorted(job.children.values_list("video_id", flat=True))


# --- submit by filter -----------------------------------------------------------------------
def test_a_bulk_by_status_downloads_the_videos_of_that_status(api, db):
    wanted = make_videos(3, prefix="Wanted")
    make_videos(2, prefix="Failed", status=Video.Status.FAILED)
    response = api.post(BULK, {"filter": {"status": "wanted"}}, format="json")
    assert response.status_code == 202
    assert chosen(response) == sorted(v.pk for v in wanted)
    assert response.json()["options"]["filter"] == {"status": "wanted"}


def test_a_bulk_by_artist_downloads_that_artists_videos(api, db):
    bjork = Artist.objects.create(name="Björk", sort_name="Björk", folder_name="Björk")
    hers = make_videos(2, prefix="Hers", artist=bjork)
    make_videos(2, prefix="Others")
    response = api.post(BULK, {"filter": {"artist": bjork.pk}}, format="json")
    assert response.status_code == 202
    assert chosen(response) == sorted(v.pk for v in hers)


def test_a_bulk_by_search_downloads_the_videos_whose_title_matches(api, db):
    make_videos(2, prefix="Army")
    hyper = make_videos(2, prefix="Hyperballad")
    response = api.post(BULK, {"filter": {"search": "hyperball"}}, format="json")
    assert response.status_code == 202
    assert chosen(response) == sorted(v.pk for v in hyper)


@pytest.mark.parametrize(
    "body, said",
    [
        ({"video_ids": [1], "filter": {"status": "wanted"}}, "both were given"),
        ({"quality": "best"}, "neither was given"),
    ],
)
def test_a_bulk_needs_exactly_one_of_video_ids_and_filter(api, db, body, said):
    response = api.post(BULK, body, format="json")
    assert response.status_code == 400
    assert said in response.json()["non_field_errors"][0]
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    "selection, field",
    [({}, "non_field_errors"), ({"status": "lost"}, "status"), ({"artist": 9001}, "artist")],
)
def test_an_empty_or_unknown_filter_is_a_400(api, db, selection, field):
    response = api.post(BULK, {"filter": selection}, format="json")
    assert response.status_code == 400
    assert field in response.json()["filter"]


def test_a_filter_that_selects_over_10000_videos_is_a_400_with_a_sentence(api, db):
    make_videos(10_001)
    response = api.post(BULK, {"filter": {"status": "wanted"}}, format="json")
    assert response.status_code == 400
    assert "more than 10,000 videos" in response.json()["detail"]
    assert not Job.objects.exists()


def test_over_10000_video_ids_is_a_400_with_a_sentence(api, db):
    response = api.post(BULK, {"video_ids": list(range(1, 10_002))}, format="json")
    assert response.status_code == 400
    assert response.json()["video_ids"] == [
        "A bulk download takes at most 10,000 videos; download the rest in a second bulk."
    ]


def test_a_bulk_of_10000_videos_is_one_job_counting_them_with_50_items_shown(api, db):
    make_videos(10_000)
    response = api.post(BULK, {"filter": {"status": "wanted"}}, format="json")
    assert response.status_code == 202
    bulk = response.json()
    assert bulk["counts"] == {
        "queued": 10_000,
        "running": 0,
        "completed": 0,
        "failed": 0,
        "cancelled": 0,
    }
    assert len(bulk["items"]) == 50
    assert bulk["title"] == "10000 videos"


@pytest.mark.django_db(transaction=True)
def test_a_big_bulks_messages_are_all_sent_once_it_commits(client_for, alice, redis_client):
    videos = make_videos(1_001)  # over the 1,000 messages sent in one round trip
    response = client_for(alice).post(BULK, {"video_ids": [v.pk for v in videos]}, format="json")
    assert response.status_code == 202
    items = Job.objects.filter(parent_id=response.json()["id"])
    queued = {m.decode() for m in redis_client.lrange("mvidarr:bulk", 0, -1)}
    sent = {
        Message.decode(data).message_id: Message.decode(data).args
        for data in redis_client.hmget("mvidarr:bulk.msgs", list(queued))
    }
    assert sent == {job.message_id: (job.pk,) for job in items}
    assert len(sent) == 1_001


def test_downloading_all_wanted_goes_through_the_same_bulk_service(boss, db):
    make_videos(3)
    bulk = wanted_download_submit(user=boss)
    assert bulk.kind == Job.Kind.BULK_VIDEO_DOWNLOAD
    assert bulk.item_counts["queued"] == 3
    assert bulk.options["requested"] == 3


# --- GET /api/jobs/<id>/items/ ----------------------------------------------------------------
@pytest.fixture
def bulk(db, alice):
    videos = make_videos(7)
    job = Job.objects.create(kind=Job.Kind.BULK_VIDEO_DOWNLOAD, user=alice, status="processing")
    items = Job.objects.bulk_create(
        Job(kind=Job.Kind.VIDEO_DOWNLOAD, video=video, parent=job, user=alice) for video in videos
    )
    Job.objects.filter(pk=job.pk).update(items_queued=len(items))
    return job


def items_url(job_id: int, query: str = "") -> str:
    return f"/api/jobs/{job_id}/items/{query}"


def test_the_items_list_pages_through_every_item_in_the_order_they_were_added(
    api, bulk, monkeypatch
):
    monkeypatch.setattr(api_settings.DEFAULT_PAGINATION_CLASS, "page_size", 3)
    pages, url = [], items_url(bulk.pk)
    while url:
        body = api.get(url).json()
        pages.append([item["id"] for item in body["results"]])
        url = body["next"]
    assert [len(page) for page in pages] == [3, 3, 1]
    assert [i for page in pages for i in page] == sorted(bulk.children.values_list("id", flat=True))
    assert body["count"] == 7


def test_the_items_list_narrows_to_a_status(api, bulk):
    first = bulk.children.order_by("id").first()
    item = job_claim(job_id=first.pk, worker_id="test")
    job_finish(job=item, status="failed", message="Failed", error="Gone.")
    body = api.get(items_url(bulk.pk, "?status=failed")).json()
    assert [item["id"] for item in body["results"]] == [first.pk]


def test_the_items_list_needs_a_signed_in_user(client_for, bulk):
    assert client_for(None).get(items_url(bulk.pk)).status_code == 401


def test_another_users_bulk_job_is_a_403(client_for, bob, bulk):
    response = client_for(bob).get(items_url(bulk.pk))
    assert response.status_code == 403
    assert response.json()["detail"] == "This is another user's job; you can list only yours."


def test_staff_list_anyones_items(client_for, boss, bulk):
    assert client_for(boss).get(items_url(bulk.pk)).json()["count"] == 7


@pytest.mark.parametrize("which", ["missing", "not a bulk job"])
def test_no_such_bulk_job_is_a_404(api, bulk, which):
    job_id = 9001 if which == "missing" else bulk.children.first().pk
    assert api.get(items_url(job_id)).status_code == 404


@pytest.mark.parametrize("query", ["?status=lost", "?page=0", "?page=x"])
def test_a_bad_status_or_page_is_refused(api, bulk, query):
    assert api.get(items_url(bulk.pk, query)).status_code in (400, 404)


# --- the same counts and items over REST and the WebSocket -------------------------------------
@pytest.mark.django_db(transaction=True)
def test_rest_and_the_websockets_snapshot_show_a_bulk_job_alike(client_for, alice):
    videos = make_videos(60)
    response = client_for(alice).post(BULK, {"video_ids": [v.pk for v in videos]}, format="json")
    bulk_id = response.json()["id"]
    first = Job.objects.filter(parent_id=bulk_id).order_by("id").first()
    job_finish(job=job_claim(job_id=first.pk, worker_id="test"), status="completed", message="Done")
    rest = client_for(alice).get(f"/api/jobs/{bulk_id}/").json()

    headers = headers_for(alice)

    async def snapshot():
        communicator = feed(headers)
        message = await connect(communicator)
        await communicator.disconnect()
        return message

    sent = next(job for job in async_to_sync(snapshot)()["jobs"] if job["id"] == bulk_id)
    assert sent["counts"] == rest["counts"]
    assert sent["counts"]["completed"] == 1
    assert [item["id"] for item in sent["items"]] == [item["id"] for item in rest["items"]]
    assert len(rest["items"]) == 50


def test_a_bulk_by_the_librarys_new_filters_downloads_what_the_list_shows(api, db):
    hd = QualityProfile.objects.create(
        name="HD", qualities=["1080p", "480p"], cutoff="1080p", upgrade_allowed=True
    )
    bjork = Artist.objects.create(name="Björk", sort_name="Björk", quality_profile=hd)
    low, full = make_videos(2, prefix="Low", artist=bjork, status=Video.Status.DOWNLOADED)
    VideoFile.objects.create(video=low, path="low.mp4", height=480, video_codec="h264")
    VideoFile.objects.create(video=full, path="full.mp4", height=1080, video_codec="h264")
    live = make_videos(2, prefix="Live", video_type="live", extractor="vimeo")
    make_videos(1, prefix="Other", video_type="live", extractor="youtube")

    below = {"filter": {"quality": "below_cutoff"}, "force_redownload": True}
    response = api.post(BULK, below, format="json")
    assert response.status_code == 202
    assert chosen(response) == [low.pk]
    assert response.json()["options"]["filter"] == {"quality": "below_cutoff"}
    by_type = {"filter": {"video_type": "live", "source": "vimeo"}}
    response = api.post(BULK, by_type, format="json")
    assert chosen(response) == sorted(v.pk for v in live)
    refused = api.post(BULK, {"filter": {"source": "myspace"}}, format="json")
    assert refused.status_code == 400 and "source" in refused.json()["filter"]

"""/api/sources/: everyone signed in reads the sources, staff add, change and delete them."""

from __future__ import annotations

import pytest

from jobs.models import Job
from tests.api.test_schema import assert_matches
from videos.models import Source, Video

CHANNEL = "UCuAXFkgsw1L7xaCfnd5JJOw"
URL = f"https://www.youtube.com/channel/{CHANNEL}"


@pytest.fixture
def staff(client_for, boss):
    return client_for(boss)


@pytest.fixture
def source(db) -> Source:
    return Source.objects.create(url="https://example.com/feed.xml", monitored=False)


def test_staff_add_a_source_with_every_field_and_get_it_back(staff, make_artist, settings):
    settings.YOUTUBE_FEED_BASE_URL = "http://feeds.example/videos.xml"
    artist = make_artist("Björk")
    body = {
        "url": URL,
        "artist": artist.pk,
        "auto_download": True,
        "index_interval_minutes": 60,
        "title_include": "official",
        "title_exclude": "live|acoustic",
        "min_duration": 60,
        "max_duration": 900,
        "published_after": "2020-01-31",
    }

    response = staff.post("/api/sources/", body, "json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert {key: data[key] for key in body} == {
        **body,
        "artist": {"id": artist.pk, "name": "Björk"},
    }
    assert data["monitored"] is True
    assert data["next_index_at"] is not None
    assert data["feed_url"] == f"http://feeds.example/videos.xml?channel_id={CHANNEL}"
    assert (data["title"], data["channel_id"], data["last_error"]) == ("", "", "")
    assert (data["failures"], data["last_counts"], data["video_count"]) == (0, {}, 0)
    assert data["last_indexed_at"] is data["last_full_index_at"] is None
    assert staff.get(f"/api/sources/{data['id']}/").json() == data


def test_every_signed_in_user_reads_sources_filtered_by_artist_and_monitoring(
    api, make_artist, source
):
    artist = make_artist("Björk")
    mine = Source.objects.create(url=URL, artist=artist, monitored=True)
    Video.objects.create(source_url="https://e.com/1", indexed_from=mine)

    listed = api.get("/api/sources/").json()
    assert [s["url"] for s in listed["results"]] == [source.url, URL]
    assert [s["video_count"] for s in listed["results"]] == [0, 1]
    assert listed["results"][0]["feed_url"] is None  # not YouTube: no fast index

    by_artist = api.get(f"/api/sources/?artist={artist.pk}").json()["results"]
    assert [s["id"] for s in by_artist] == [mine.pk]
    unmonitored = api.get("/api/sources/?monitored=false").json()["results"]
    assert [s["id"] for s in unmonitored] == [source.pk]
    monitored = api.get("/api/sources/?monitored=true").json()["results"]
    assert [s["id"] for s in monitored] == [mine.pk]


def test_staff_change_a_source_and_monitoring_it_schedules_it(staff, source):
    response = staff.patch(
        f"/api/sources/{source.pk}/", {"monitored": True, "title_exclude": "live"}, "json"
    )
    assert response.status_code == 200
    assert response.json()["next_index_at"] is not None
    source.refresh_from_db()
    assert (source.monitored, source.title_exclude, source.index_interval_minutes) == (
        True,
        "live",
        360,  # a partial change leaves the rest alone
    )


def test_staff_delete_a_source_and_its_videos_stay(staff, source):
    video = Video.objects.create(source_url="https://e.com/1", indexed_from=source)
    assert staff.delete(f"/api/sources/{source.pk}/").status_code == 204
    assert not Source.objects.exists()
    assert Video.objects.filter(pk=video.pk).exists()


def test_a_url_already_a_source_is_a_409_naming_it(staff, source):
    response = staff.post("/api/sources/", {"url": source.url}, "json")
    assert response.status_code == 409
    assert response.json()["source"] == source.pk
    assert f"#{source.pk}" in response.json()["detail"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "url"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": URL, "index_interval_minutes": 5}, "index_interval_minutes"),
        ({"url": URL, "title_include": "(unclosed"}, "title_include"),
        ({"url": URL, "title_exclude": "[a-"}, "title_exclude"),
        ({"url": URL, "min_duration": 100, "max_duration": 10}, "max_duration"),
        ({"url": URL, "min_duration": -1}, "min_duration"),
        ({"url": URL, "artist": 99999}, "artist"),
        ({"url": URL, "published_after": "yesterday"}, "published_after"),
    ],
)
def test_bad_input_to_add_a_source_is_a_400_on_the_field(staff, body, field):
    response = staff.post("/api/sources/", body, "json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Source.objects.exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"url": "ftp://example.com/x"}, "url"),
        ({"index_interval_minutes": 9}, "index_interval_minutes"),
        ({"title_include": "*"}, "title_include"),
        ({"monitored": "perhaps"}, "monitored"),
    ],
)
def test_bad_input_to_change_a_source_is_a_400_and_changes_nothing(staff, source, body, field):
    response = staff.patch(f"/api/sources/{source.pk}/", body, "json")
    assert response.status_code == 400
    assert field in response.json()
    assert Source.objects.get(pk=source.pk).url == source.url


@pytest.mark.parametrize("query", ["artist=x", "monitored=perhaps", "artist=0"])
def test_a_bad_filter_is_a_400(api, query):
    assert api.get(f"/api/sources/?{query}").status_code == 400


def test_anonymous_requests_are_401_everywhere(client_for, source):
    anonymous = client_for()
    detail = f"/api/sources/{source.pk}/"
    for response in (
        anonymous.get("/api/sources/"),
        anonymous.post("/api/sources/", {"url": URL}, "json"),
        anonymous.get(detail),
        anonymous.patch(detail, {"monitored": True}, "json"),
        anonymous.delete(detail),
    ):
        assert response.status_code == 401


def test_a_user_who_is_not_staff_may_read_but_not_write(api, source):
    detail = f"/api/sources/{source.pk}/"
    assert api.get(detail).status_code == 200
    for response in (
        api.post("/api/sources/", {"url": URL}, "json"),
        api.patch(detail, {"monitored": True}, "json"),
        api.delete(detail),
    ):
        assert response.status_code == 403
        assert response.json()["detail"] == "Only staff can add, change, delete or index sources."
    assert Source.objects.get(pk=source.pk).monitored is False


def test_an_unknown_source_is_a_404(staff):
    assert staff.get("/api/sources/999999/").status_code == 404
    assert staff.patch("/api/sources/999999/", {}, "json").status_code == 404


def test_the_answers_match_the_documented_shapes(api, staff, source):
    schema = api.get("/api/schema/?format=json").json()
    detail = f"/api/sources/{source.pk}/"
    checks = [
        ("/api/sources/", "get", api.get("/api/sources/")),
        ("/api/sources/", "post", staff.post("/api/sources/", {"url": URL}, "json")),
        ("/api/sources/", "post", staff.post("/api/sources/", {"url": URL}, "json")),
        ("/api/sources/", "post", staff.post("/api/sources/", {"url": "x"}, "json")),
        ("/api/sources/", "post", api.post("/api/sources/", {"url": URL}, "json")),
        ("/api/sources/{source_id}/", "get", api.get(detail)),
        ("/api/sources/{source_id}/", "patch", staff.patch(detail, {"monitored": True}, "json")),
        ("/api/sources/{source_id}/", "get", api.get("/api/sources/999999/")),
    ]
    for path, method, response in checks:
        assert_matches(schema, path, method, response)
    assert [response.status_code for *_, response in checks] == [
        200, 201, 409, 400, 403, 200, 200, 404
    ]  # fmt: skip


# --- index now ------------------------------------------------------------------------------
def test_staff_index_a_source_now_and_get_the_job_as_the_jobs_api_shows_it(staff, source, boss):
    response = staff.post(f"/api/sources/{source.pk}/index", {}, "json")

    assert response.status_code == 202
    job = Job.objects.get()
    assert (job.kind, job.origin, job.user, job.options["source"]) == (
        "source_index",
        "user",
        boss,
        source.pk,
    )
    assert response.json() == staff.get(f"/api/jobs/{job.pk}/").json()
    assert response.json()["status"] == "queued"


def test_a_full_index_can_be_asked_for(staff, source):
    response = staff.post(f"/api/sources/{source.pk}/index", {"full": True}, "json")
    assert response.status_code == 202
    assert Job.objects.get().options["full"] is True


def test_indexing_a_source_whose_index_is_queued_is_a_409_and_starts_nothing(staff, source):
    first = staff.post(f"/api/sources/{source.pk}/index", {}, "json").json()

    response = staff.post(f"/api/sources/{source.pk}/index/", {}, "json")

    assert response.status_code == 409
    assert f"job #{first['id']}" in response.json()["detail"]
    assert Job.objects.count() == 1


def test_index_now_refuses_the_anonymous_the_non_staff_bad_input_and_unknown_sources(
    client_for, api, staff, source
):
    path = f"/api/sources/{source.pk}/index"
    assert client_for().post(path, {}, "json").status_code == 401
    assert api.post(path, {}, "json").status_code == 403
    assert staff.post(path, {"full": "perhaps"}, "json").status_code == 400
    assert staff.post("/api/sources/999999/index", {}, "json").status_code == 404
    assert not Job.objects.exists()


def test_the_index_answers_match_the_documented_shapes(api, staff, source):
    schema = api.get("/api/schema/?format=json").json()
    path = f"/api/sources/{source.pk}/index"
    checks = [
        staff.post(path, {}, "json"),
        staff.post(path, {}, "json"),
        staff.post(path, {"full": 3}, "json"),
        api.post(path, {}, "json"),
    ]
    for response in checks:
        assert_matches(schema, "/api/sources/{source_id}/index", "post", response)
    assert [response.status_code for response in checks] == [202, 409, 400, 403]

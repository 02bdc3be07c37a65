"""The metadata pages: searching IMVDb and adding an artist or a video from the results,
"Refresh metadata" on a video, an artist and the library, and the providers' settings with
their Test — against the fake IMVDb (tests/providers/fakes.py)."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.core.cache import cache

from jobs.models import HistoryEvent, Job
from jobs.progress import DirectPublisher
from jobs.worker import RunContext
from jobs.worker.artist_import import run_artist_import
from jobs.worker.metadata import run_metadata_refresh
from jobs.worker.video_import import run_video_import
from preferences.selectors import setting_get
from preferences.services import setting_set
from tests.providers.fakes import IMVDB_KEY, YOUTUBE_PRIMARY, FakeImvdb, FakeMusicBrainz
from videos.models import Artist, Video
from videos.provider_views import IMAGE_SALT
from videos.services import ytdlp_config

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()


@pytest.fixture
def imvdb(monkeypatch):
    """The fake IMVDb, with MVidarr's settings pointing at it (the key through the store,
    so that the settings page may change it)."""
    server = FakeImvdb().start()
    monkeypatch.setenv("IMVDB_API_URL", server.url)
    monkeypatch.setenv("MVIDARR_IMVDB_RATE", "100")
    setting_set("providers.imvdb.api_key", IMVDB_KEY, user=None)
    yield server
    server.stop()


@pytest.fixture
def musicbrainz(monkeypatch):
    server = FakeMusicBrainz().start()
    monkeypatch.setenv("MUSICBRAINZ_API_URL", server.url)
    monkeypatch.setenv("MVIDARR_MUSICBRAINZ_RATE", "100")
    yield server
    server.stop()


def body(response) -> str:
    return unescape(response.content.decode())


def job_from(response) -> Job:
    query = parse_qs(urlsplit(response["Location"]).query)
    return Job.objects.get(pk=int(query["job"][0]))


def run_until_done(job, runner, context):
    for _ in range(20):
        job.refresh_from_db()
        if job.status != Job.Status.QUEUED:
            return job
        runner(job.pk, context=context)
    raise AssertionError(f"job {job.pk} still queued")


@pytest.fixture
def context(transactional_db, fast_jobs):
    """A run context for calling a runner directly."""
    return RunContext(publisher=DirectPublisher(), worker_id="test", base_config=ytdlp_config())


# --- who may --------------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/imvdb/", "/settings/providers/"])
def test_an_anonymous_visitor_is_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "method,url",
    [
        ("post", "/imvdb/artists/add/"),
        ("post", "/imvdb/videos/add/"),
        ("post", "/library/refresh-metadata/"),
        ("get", "/settings/providers/"),
        ("post", "/settings/providers/"),
        ("post", "/settings/providers/imvdb/test/"),
    ],
)
def test_a_user_who_is_not_staff_is_refused(logged_in, alice, method, url):
    response = getattr(logged_in(alice), method)(url, {"id": "100", "q": "x"})
    assert response.status_code == 403
    assert not Job.objects.exists()


def test_refreshing_a_video_or_an_artist_is_for_staff(logged_in, alice, make_video):
    video = make_video(artist="Nightfall Choir")
    client = logged_in(alice)
    for url in (
        f"/videos/{video.pk}/refresh-metadata/",
        f"/artists/{video.artist_id}/refresh-metadata/",
    ):
        assert client.post(url).status_code == 403
    assert not Job.objects.exists()
    assert "Refresh metadata" not in body(client.get(f"/videos/{video.pk}/"))
    assert "Refresh metadata" not in body(client.get(f"/artists/{video.artist_id}/"))


# --- IMVDb search -------------------------------------------------------------------------
def test_without_a_key_the_page_says_where_to_set_it(logged_in, boss, alice):
    page = body(logged_in(boss).get("/imvdb/?q=nightfall"))
    assert "IMVDb is not set up" in page
    assert 'href="/settings/providers/"' in page and "Provider settings" in page
    assert "Ask a staff member" in body(logged_in(alice).get("/imvdb/"))


def test_artists_are_found_with_their_picture_and_count_and_staff_may_add_them(
    logged_in, boss, alice, imvdb
):
    page = body(logged_in(boss).get("/imvdb/?q=nightfall&type=artists"))
    assert "Nightfall Choir" in page and "Nightfall Orchestra" in page
    assert "7 videos" in page
    assert 'action="/imvdb/artists/add/"' in page and "Add artist" in page
    # The picture comes through MVidarr (the pages' CSP allows no other site's images).
    assert re.search(r'<img src="/imvdb/image\?u=[^"]+"', page)
    assert "https://s3.imvdb.example" not in re.sub(r'/imvdb/image\?u=[^"]+', "", page)
    seen = body(logged_in(alice).get("/imvdb/?q=nightfall&type=artists"))
    assert "Nightfall Choir" in seen and "/imvdb/artists/add/" not in seen


def test_videos_are_found_with_their_year(logged_in, boss, imvdb):
    page = body(logged_in(boss).get("/imvdb/?q=lanterns&type=videos"))
    assert "Lanterns" in page and "Nightfall Choir" in page and "2019" in page
    assert 'action="/imvdb/videos/add/"' in page and "Add video" in page


def test_an_empty_search_asks_for_words(logged_in, boss, imvdb):
    response = logged_in(boss).get("/imvdb/?q=")
    assert response.status_code == 400
    assert "Write an artist's name or a video's title" in body(response)


def test_when_imvdb_is_down_the_page_says_so(logged_in, boss, imvdb):
    imvdb.fail_next(500, times=20)
    response = logged_in(boss).get("/imvdb/?q=nightfall")
    assert response.status_code == 200
    assert "IMVDb cannot be reached right now; search again in a few minutes." in body(response)


def test_a_refused_key_is_told_with_a_link_to_the_settings(logged_in, boss, imvdb):
    setting_set("providers.imvdb.api_key", "wrong", user=boss)
    page = body(logged_in(boss).get("/imvdb/?q=nightfall"))
    assert "the API key is missing or wrong" in page
    assert 'href="/settings/providers/"' in page


def test_a_picture_is_served_only_for_an_address_the_page_signed(
    logged_in, boss, media_server, media_clips
):
    client = logged_in(boss)
    url = media_server.url(media_clips["cover_jpg"])
    assert client.get("/imvdb/image", {"u": url}).status_code == 404
    signed = signing.Signer(salt=IMAGE_SALT).sign(url)
    response = client.get("/imvdb/image", {"u": signed})
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response.content[:2] == b"\xff\xd8"


def test_a_picture_that_cannot_be_fetched_is_the_placeholder_not_a_broken_image(
    logged_in, boss, media_server
):
    signed = signing.Signer(salt=IMAGE_SALT).sign(media_server.url("no-such-cover.jpg"))
    response = logged_in(boss).get("/imvdb/image", {"u": signed})
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert "\u266a" in response.content.decode()


def test_adding_an_artist_starts_the_import_and_the_page_links_the_artist(
    logged_in, boss, imvdb, context
):
    client = logged_in(boss)
    response = client.post(
        "/imvdb/artists/add/", {"id": "100", "q": "nightfall", "type": "artists"}
    )
    assert response.status_code == 302
    job = job_from(response)
    assert job.kind == "artist_import" and job.options["provider_id"] == "100"
    assert "q=nightfall" in response["Location"]
    queued = body(client.get(response["Location"]))
    assert f'data-job-id="{job.pk}" data-job-field="status"' in queued
    assert 'data-refresh-for="kind:artist_import"' in queued

    run_until_done(job, run_artist_import, context)
    artist = Artist.objects.get(name="Nightfall Choir")
    assert Video.objects.filter(artist=artist).count() == 7
    done = body(client.get(response["Location"]))
    assert f'href="/artists/{artist.pk}/"' in done and "Open Nightfall Choir (7 videos)" in done
    # The search now says the library has it.
    assert f'data-in-library href="/artists/{artist.pk}/"' in body(
        client.get("/imvdb/?q=nightfall")
    )


def test_adding_a_video_adds_it_with_its_metadata_and_imvdbs_primary_source(
    logged_in, boss, imvdb, context
):
    client = logged_in(boss)
    response = client.post("/imvdb/videos/add/", {"id": "1001", "q": "lanterns", "type": "videos"})
    job = run_until_done(job_from(response), run_video_import, context)
    assert job.kind == "video_import" and job.status == "completed", job.error
    video = Video.objects.get()
    assert video.title == "Lanterns" and video.artist.name == "Nightfall Choir"
    assert video.source_id == YOUTUBE_PRIMARY and video.status == Video.Status.WANTED
    assert video.year == 2019 and video.provider_ids["imvdb"] == "1001"
    assert HistoryEvent.objects.filter(event="added", video=video).count() == 1
    done = body(client.get(response["Location"]))
    assert f'href="/videos/{video.pk}/"' in done and "Open “Lanterns”" in done

    again = run_until_done(
        job_from(client.post("/imvdb/videos/add/", {"id": "1001"})), run_video_import, context
    )
    assert "already in the library" in again.message and Video.objects.count() == 1


def test_a_video_without_a_source_on_imvdb_needs_one(logged_in, boss, imvdb, context):
    response = logged_in(boss).post("/imvdb/videos/add/", {"id": "1002"})
    run_until_done(job_from(response), run_video_import, context)
    video = Video.objects.get()
    assert video.title == "Paper Moons" and video.status == Video.Status.NEEDS_SOURCE


def test_adding_with_a_bad_id_is_refused_with_a_sentence(logged_in, boss, imvdb):
    response = logged_in(boss).post("/imvdb/artists/add/", {"id": "abc"})
    assert response.status_code == 400
    assert "Give the IMVDb id (digits)." in body(response)
    assert not Job.objects.exists()


def test_adding_the_same_artist_twice_at_once_says_it_is_running(logged_in, boss, imvdb):
    client = logged_in(boss)
    first = job_from(client.post("/imvdb/artists/add/", {"id": "100"}))
    response = client.post("/imvdb/artists/add/", {"id": "100"}, follow=True)
    assert f"Adding this artist is already queued or running (job #{first.pk})." in body(response)
    assert Job.objects.count() == 1


def test_imvdb_search_is_reached_from_the_artists_and_add_pages(logged_in, alice):
    client = logged_in(alice)
    for url in ("/artists/", "/videos/add/"):
        assert 'href="/imvdb/"' in body(client.get(url))


# --- refresh metadata ---------------------------------------------------------------------
def test_refreshing_a_video_shows_the_job_and_then_how_many_fields_changed(
    logged_in, boss, imvdb, musicbrainz, make_video, context
):
    video = make_video(title="Lanterns", artist="Nightfall Choir")
    client = logged_in(boss)
    response = client.post(f"/videos/{video.pk}/refresh-metadata/")
    assert response.status_code == 302 and response["Location"].endswith("#metadata-refresh")
    job = Job.objects.get(kind="metadata_refresh")
    assert job.options["scope"] == "video" and job.video_id == video.pk
    page = body(client.get(f"/videos/{video.pk}/"))
    assert f'data-job-id="{job.pk}" data-job-field="status"' in page
    assert 'data-refresh-for="kind:metadata_refresh"' in page

    run_until_done(job, run_metadata_refresh, context)
    page = body(client.get(f"/videos/{video.pk}/"))
    outcome = re.search(r"<p data-refresh-outcome><strong>(.*?)</strong>", page)[1]
    assert re.fullmatch(r"\d+ fields? changed: .*year.*\.", outcome), outcome


def test_refreshing_an_artist_and_the_library_start_their_jobs(logged_in, boss, make_video):
    video = make_video(artist="Nightfall Choir")
    client = logged_in(boss)
    client.post(f"/artists/{video.artist_id}/refresh-metadata/")
    client.post("/library/refresh-metadata/")
    scopes = {(job.options["scope"], job.options["target"]) for job in Job.objects.all()}
    assert scopes == {("artist", video.artist_id), ("library", None)}
    assert "Refresh metadata" in body(client.get(f"/artists/{video.artist_id}/"))
    assert 'action="/library/refresh-metadata/"' in body(client.get("/"))


def test_a_second_refresh_while_one_waits_is_refused_with_a_sentence(logged_in, boss):
    client = logged_in(boss)
    client.post("/library/refresh-metadata/")
    page = body(client.post("/library/refresh-metadata/", follow=True))
    assert "A metadata refresh of the same videos is already queued or running" in page
    assert Job.objects.count() == 1


def test_a_refresh_that_changed_nothing_says_so(
    logged_in, boss, imvdb, musicbrainz, make_video, context
):
    video = make_video(title="Not On Imvdb", artist="Somebody Else")
    client = logged_in(boss)
    client.post(f"/videos/{video.pk}/refresh-metadata/")
    job = run_until_done(Job.objects.get(kind="metadata_refresh"), run_metadata_refresh, context)
    assert job.status == "completed", job.error
    assert "No field changed: the providers had nothing new." in body(
        client.get(f"/videos/{video.pk}/")
    )


def test_a_failed_refresh_shows_why(logged_in, boss, imvdb, musicbrainz, make_video, context):
    video = make_video(title="Lanterns", artist="Nightfall Choir")
    setting_set("providers.imvdb.api_key", "wrong", user=boss)
    client = logged_in(boss)
    client.post(f"/videos/{video.pk}/refresh-metadata/")
    job = run_until_done(Job.objects.get(kind="metadata_refresh"), run_metadata_refresh, context)
    assert job.status == "failed"
    page = body(client.get(f"/videos/{video.pk}/"))
    assert "the API key is missing or wrong" in page and "Nothing was changed." in page


# --- provider settings --------------------------------------------------------------------
def test_the_settings_page_shows_whether_a_key_is_set_but_never_the_key(logged_in, boss):
    client = logged_in(boss)
    page = body(client.get("/settings/providers/"))
    assert 'data-key-state="not set"' in page
    assert "IMVDb API address" in page and "MusicBrainz requests a second" in page
    setting_set("providers.imvdb.api_key", "very-secret-key", user=boss)
    page = body(client.get("/settings/providers/"))
    assert 'data-key-state="set"' in page and "very-secret-key" not in page


def test_saving_keeps_the_key_when_none_is_written_and_sets_the_rest(logged_in, boss):
    setting_set("providers.imvdb.api_key", "kept-key", user=boss)
    client = logged_in(boss)
    form = {
        "providers.imvdb.api_url": "https://imvdb.example/api/v1/",
        "providers.imvdb.api_key": "",
        "providers.imvdb.rate": "0.5",
        "providers.musicbrainz.api_url": "https://mb.example/ws/2",
        "providers.musicbrainz.rate": "1",
        "providers.musicbrainz.contact": "https://example.org/me",
        "providers.cache_ttl": "3600",
    }
    response = client.post("/settings/providers/", _with_defaults(form))
    assert response.status_code == 302, body(response)
    assert setting_get("providers.imvdb.api_key") == "kept-key"
    assert setting_get("providers.imvdb.api_url") == "https://imvdb.example/api/v1"
    assert setting_get("providers.imvdb.rate") == 0.5
    assert setting_get("providers.cache_ttl") == 3600

    client.post("/settings/providers/", _with_defaults({**form, "providers.imvdb.api_key": "new"}))
    assert setting_get("providers.imvdb.api_key") == "new"
    client.post(
        "/settings/providers/", _with_defaults({**form, "providers.imvdb.api_key.remove": "on"})
    )
    assert setting_get("providers.imvdb.api_key") == ""


def test_every_wrong_field_says_why_and_nothing_is_saved(logged_in, boss):
    response = logged_in(boss).post(
        "/settings/providers/",
        _with_defaults(
            {
                "providers.imvdb.api_url": "ftp://imvdb.example",
                "providers.imvdb.rate": "0",
                "providers.cache_ttl": "soon",
                "providers.imvdb.api_key": "not-saved",
            }
        ),
    )
    assert response.status_code == 400
    page = body(response)
    assert "Write an http:// or https:// address." in page
    assert "Write a rate above 0 and at most 100 a second." in page
    assert "Write a whole number." in page
    assert setting_get("providers.imvdb.api_key") == ""
    assert setting_get("providers.imvdb.api_url") == "https://imvdb.com/api/v1"


def test_a_setting_from_the_environment_is_shown_and_not_changed(logged_in, boss, monkeypatch):
    monkeypatch.setenv("MVIDARR_MUSICBRAINZ_RATE", "2")
    client = logged_in(boss)
    page = body(client.get("/settings/providers/"))
    assert "Set in the environment (MVIDARR_MUSICBRAINZ_RATE): change it there." in page
    response = client.post(
        "/settings/providers/", _with_defaults({"providers.musicbrainz.rate": "5"})
    )
    assert response.status_code == 302
    assert setting_get("providers.musicbrainz.rate") == 2.0


def test_test_shows_the_providers_answer_inline(logged_in, boss, imvdb):
    client = logged_in(boss)
    page = body(client.post("/settings/providers/imvdb/test/"))
    assert 'data-test-result="ok"' in page and "IMVDb answered:" in page
    setting_set("providers.imvdb.api_key", "wrong", user=boss)
    page = body(client.post("/settings/providers/imvdb/test/"))
    assert 'data-test-result="failed"' in page and "the API key is missing or wrong" in page
    assert client.post("/settings/providers/nobody/test/").status_code == 404


def test_provider_settings_sit_beside_the_connections(logged_in, boss):
    assert 'href="/settings/providers/"' in body(logged_in(boss).get("/connections/"))


def _with_defaults(values: dict) -> dict:
    """The form as the page posts it: every field, the defaults where not given."""
    defaults = {
        "providers.imvdb.api_url": "https://imvdb.com/api/v1",
        "providers.imvdb.api_key": "",
        "providers.imvdb.rate": "1.0",
        "providers.musicbrainz.api_url": "https://musicbrainz.org/ws/2",
        "providers.musicbrainz.rate": "1.0",
        "providers.musicbrainz.contact": "https://github.com/mvidarr/mvidarr",
        "providers.cache_ttl": "604800",
    }
    return {**defaults, **values}

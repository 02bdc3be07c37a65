"""The sources in the pages: a Sources page lists every source (artist, last and next index,
last error, failures); staff index, change and delete a source there and on its artist's
page, with the refusals of ``videos.sources`` next to the field they concern."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from videos.models import Artist, Source, Video


@pytest.fixture
def bjork(make_artist) -> Artist:
    return make_artist("Björk")


@pytest.fixture
def channel(bjork, make_video) -> Source:
    source = Source.objects.create(
        url="https://example.com/channel/bjork",
        title="Björk's channel",
        artist=bjork,
        last_indexed_at=timezone.now() - datetime.timedelta(hours=1),
        next_index_at=timezone.now() + datetime.timedelta(hours=5),
    )
    make_video("Army of Me", artist=bjork, indexed_from=source)
    return source


@pytest.fixture
def failing(db) -> Source:
    """A source without an artist that never indexed: three failures in a row."""
    return Source.objects.create(
        url="https://example.com/playlist/broken",
        last_error="The site answered 404: the playlist is gone.",
        failures=3,
        next_index_at=timezone.now() + datetime.timedelta(hours=12),
    )


EDIT = {
    "url": "https://example.com/playlist/bjork-live",
    "artist_name": "",
    "auto_download": "on",
    "index_interval_minutes": "30",
    "title_include": "live",
    "title_exclude": "remix",
    "min_duration": "60",
    "max_duration": "600",
    "published_after": "2021-02-03",
    "next": "/sources/",
}


def _row(body: str, source: Source) -> str:
    return body.split(f'data-source="{source.pk}"', 1)[1].split("</tr>", 1)[0]


# --- the Sources page ------------------------------------------------------------------------
def test_an_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get("/sources/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/sources/"


def test_the_navigation_leads_to_the_sources(logged_in, alice):
    assert '<a href="/sources/">Sources</a>' in logged_in(alice).get("/").content.decode()


def test_everyone_sees_every_source_with_its_artist_and_indexes(logged_in, alice, channel, failing):
    body = logged_in(alice).get("/sources/").content.decode()
    row = _row(body, channel)
    assert "Björk&#x27;s channel" in row and f'href="/artists/{channel.artist_id}/"' in row
    assert "https://example.com/channel/bjork" in row
    assert channel.last_indexed_at.strftime("%H:%M") in row
    assert "The site answered 404: the playlist is gone." in _row(body, failing)
    # The page follows every source's index live.
    assert f'data-refresh-for="source:{channel.pk} source:{failing.pk}"' in body or (
        f'data-refresh-for="source:{failing.pk} source:{channel.pk}"' in body
    )
    assert "/edit/" not in body and "/delete/" not in body and "Index now" not in body


def test_staff_get_index_now_edit_and_delete_for_each_source(logged_in, boss, channel):
    body = logged_in(boss).get("/sources/").content.decode()
    row = _row(body, channel)
    assert f'action="/sources/{channel.pk}/index/"' in row
    assert f'href="/sources/{channel.pk}/edit/?next=/sources/"' in row
    assert f'action="/sources/{channel.pk}/delete/"' in row
    assert "data-confirm=" in row and "mvidarr/js/confirm.js" in body


def test_a_failing_source_says_why_how_often_and_when_it_is_tried_again(logged_in, alice, failing):
    row = _row(logged_in(alice).get("/sources/").content.decode(), failing)
    assert "The site answered 404: the playlist is gone." in row
    assert "Failed 3 times in a row." in row
    next_try = timezone.localtime(failing.next_index_at).strftime("%H:%M")
    assert "Next try at" in row and next_try in row
    assert "(backing off after 3 failures)" in row


def test_a_long_source_url_is_cut_with_the_whole_of_it_in_its_title(logged_in, alice, db):
    url = "https://example.com/playlist?list=" + "x" * 120
    source = Source.objects.create(url=url)
    row = _row(logged_in(alice).get("/sources/").content.decode(), source)
    assert f'<span class="long-url source-url" title="{url}">{url}</span>' in row


# --- editing -----------------------------------------------------------------------------
def test_the_artist_page_offers_staff_edit_and_delete_of_its_sources(logged_in, boss, channel):
    body = logged_in(boss).get(f"/artists/{channel.artist_id}/").content.decode()
    row = _row(body, channel)
    next_url = f"/artists/{channel.artist_id}/"
    assert f'href="/sources/{channel.pk}/edit/?next={next_url}"' in row
    assert f'action="/sources/{channel.pk}/delete/"' in row and "mvidarr/js/confirm.js" in body


def test_the_edit_form_starts_from_the_source(logged_in, boss, channel):
    body = logged_in(boss).get(f"/sources/{channel.pk}/edit/").content.decode()
    assert 'value="https://example.com/channel/bjork"' in body
    artist = body.split('name="artist_name"', 1)[1].split(">", 1)[0]
    assert 'value="Björk"' in artist and "data-artist-suggest" in artist
    assert '<select name="artist"' not in body
    assert 'name="index_interval_minutes" value="360"' in body


def test_staff_change_every_field_of_a_source(logged_in, boss, channel):
    response = logged_in(boss).post(f"/sources/{channel.pk}/edit/", EDIT)
    assert response.status_code == 302 and response["Location"] == "/sources/"
    channel.refresh_from_db()
    assert (channel.url, channel.artist, channel.monitored, channel.auto_download) == (
        EDIT["url"],
        None,
        False,
        True,
    )
    assert (channel.index_interval_minutes, channel.title_include, channel.title_exclude) == (
        30,
        "live",
        "remix",
    )
    assert (channel.min_duration, channel.max_duration, channel.published_after) == (
        60,
        600,
        datetime.date(2021, 2, 3),
    )
    assert channel.next_index_at is None  # not monitored: not scheduled (the service's rule)


@pytest.mark.parametrize(
    ("change", "field", "error"),
    [
        (
            {"index_interval_minutes": "5"},
            "index_interval_minutes",
            "A source is indexed every 10 minutes at most often",
        ),
        ({"url": "ftp://example.com/x"}, "url", "starts with http:// or https://"),
        ({"title_exclude": "(unclosed"}, "title_exclude", "is not a valid regular expression"),
        ({"min_duration": "900", "max_duration": "60"}, "max_duration", "no video could pass"),
    ],
)
def test_a_change_that_is_refused_is_a_400_that_says_why_next_to_the_field(
    logged_in, boss, channel, change, field, error
):
    response = logged_in(boss).post(f"/sources/{channel.pk}/edit/", {**EDIT, **change})
    assert response.status_code == 400
    errors = response.content.decode().split(f'id="id_{field}-errors"', 1)[1].split("</ul>")[0]
    assert error in errors
    channel.refresh_from_db()
    assert channel.url == "https://example.com/channel/bjork"


def test_a_url_that_is_already_a_source_links_to_that_source(logged_in, boss, channel, failing):
    response = logged_in(boss).post(f"/sources/{failing.pk}/edit/", {**EDIT, "url": channel.url})
    assert response.status_code == 400
    body = response.content.decode()
    errors = body.split('id="id_url-errors"', 1)[1].split("</ul>")[0]
    assert "This URL is already a source" in errors
    assert f'<a href="/sources/{channel.pk}/edit/">Change source #{channel.pk} instead</a>' in body


def test_adding_a_url_that_is_already_a_source_links_to_that_source(logged_in, boss, channel):
    response = logged_in(boss).post(
        f"/artists/{channel.artist_id}/sources/add/",
        {"url": channel.url, "index_interval_minutes": "60"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert f'<a href="/sources/{channel.pk}/edit/">Change source #{channel.pk} instead</a>' in body


def test_adding_a_source_too_often_says_the_services_sentence(logged_in, boss, bjork):
    response = logged_in(boss).post(
        f"/artists/{bjork.pk}/sources/add/",
        {"url": "https://example.com/c/new", "index_interval_minutes": "5"},
    )
    assert response.status_code == 400
    errors = response.content.decode().split('id="id_index_interval_minutes-errors"', 1)[1]
    assert "A source is indexed every 10 minutes at most often" in errors.split("</ul>")[0]


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_non_staff_user_may_not_edit_a_source(logged_in, alice, channel, method):
    response = getattr(logged_in(alice), method)(f"/sources/{channel.pk}/edit/", EDIT)
    assert response.status_code == 403
    channel.refresh_from_db()
    assert channel.url == "https://example.com/channel/bjork"


def test_an_anonymous_visitor_is_sent_to_log_in_before_editing(client, channel):
    url = f"/sources/{channel.pk}/edit/"
    response = client.post(url, EDIT)
    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={url}"


def test_editing_or_deleting_an_unknown_source_is_404(logged_in, boss):
    client = logged_in(boss)
    assert client.get("/sources/987654/edit/").status_code == 404
    assert client.post("/sources/987654/delete/").status_code == 404


def test_an_outside_next_is_not_followed(logged_in, boss, channel):
    response = logged_in(boss).post(
        f"/sources/{channel.pk}/edit/", {**EDIT, "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/sources/"


# --- deleting ----------------------------------------------------------------------------
def test_staff_delete_a_source_and_its_videos_stay(logged_in, boss, channel):
    next_url = f"/artists/{channel.artist_id}/"
    response = logged_in(boss).post(f"/sources/{channel.pk}/delete/", {"next": next_url})
    assert response.status_code == 302 and response["Location"] == next_url
    assert not Source.objects.exists()
    assert Video.objects.filter(title="Army of Me").exists()


def test_a_non_staff_user_may_not_delete_a_source(logged_in, alice, channel):
    assert logged_in(alice).post(f"/sources/{channel.pk}/delete/").status_code == 403
    assert Source.objects.filter(pk=channel.pk).exists()


def test_an_anonymous_visitor_may_not_delete_a_source(client, channel):
    response = client.post(f"/sources/{channel.pk}/delete/")
    assert response.status_code == 302
    assert Source.objects.filter(pk=channel.pk).exists()


def test_indexing_from_the_sources_page_comes_back_to_it_and_says_where_to_look(
    logged_in, boss, failing
):
    client = logged_in(boss)
    response = client.post(f"/sources/{failing.pk}/index/", {"next": "/sources/"})
    assert response.status_code == 302 and response["Location"] == "/sources/"
    body = client.get("/sources/").content.decode()
    assert f"Indexing “{failing.url}”: its row below shows how it goes." in body

"""An artist's sources on its page: everyone sees them (what they are, when they were and
will be indexed, their last error, how many videos they added); staff add one."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from jobs.models import Job
from videos.models import Artist, Source


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
        last_error="The site answered 429: too many requests; trying again later.",
    )
    make_video("Army of Me", artist=bjork, indexed_from=source)
    return source


FORM = {
    "url": "https://example.com/playlist/bjork",
    "monitored": "on",
    "index_interval_minutes": "60",
    "title_include": "official",
    "title_exclude": "live|remix",
    "min_duration": "60",
    "max_duration": "900",
    "published_after": "2020-01-31",
}


def test_everyone_sees_an_artists_sources_and_their_last_error(logged_in, alice, bjork, channel):
    body = logged_in(alice).get(f"/artists/{bjork.pk}/").content.decode()
    assert "Björk&#x27;s channel" in body and "https://example.com/channel/bjork" in body
    assert "The site answered 429: too many requests; trying again later." in body
    assert f'data-source-id="{channel.pk}" data-source-field="index"' in body
    assert f'id="artist-sources" data-refresh-for="source:{channel.pk}"' in body
    assert f'data-refresh-for="source:{channel.pk} video:' in body  # the videos follow it too


def test_a_non_staff_user_sees_no_form_to_add_a_source(logged_in, alice, bjork):
    body = logged_in(alice).get(f"/artists/{bjork.pk}/").content.decode()
    assert "sources/add/" not in body


def test_staff_add_a_source_to_an_artist(logged_in, boss, bjork):
    client = logged_in(boss)
    assert (
        f'action="/artists/{bjork.pk}/sources/add/"'
        in client.get(f"/artists/{bjork.pk}/").content.decode()
    )

    response = client.post(f"/artists/{bjork.pk}/sources/add/", FORM)

    assert response.status_code == 302
    assert response["Location"] == f"/artists/{bjork.pk}/#sources"
    source = Source.objects.get()
    assert (source.url, source.artist, source.monitored, source.auto_download) == (
        FORM["url"],
        bjork,
        True,
        False,
    )
    assert (source.index_interval_minutes, source.title_include, source.title_exclude) == (
        60,
        "official",
        "live|remix",
    )
    assert (source.min_duration, source.max_duration) == (60, 900)
    assert source.published_after == datetime.date(2020, 1, 31)
    assert source.next_index_at is not None  # monitored: due at once
    body = client.get(f"/artists/{bjork.pk}/").content.decode()
    assert "Added the source" in body and FORM["url"] in body


def test_a_non_staff_user_may_not_add_a_source(logged_in, alice, bjork):
    response = logged_in(alice).post(f"/artists/{bjork.pk}/sources/add/", FORM)
    assert response.status_code == 403
    assert not Source.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in_before_adding_a_source(client, bjork):
    url = f"/artists/{bjork.pk}/sources/add/"
    response = client.post(url, FORM)
    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={url}"
    assert not Source.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "error"),
    [
        (
            {"url": "javascript:alert(1)"},
            "url",
            "Enter a web address that starts with http:// or https://.",
        ),
        ({"index_interval_minutes": "5"}, "index_interval_minutes", "every 10 minutes at most"),
        ({"title_include": "(unclosed"}, "title_include", "is not a valid regular expression"),
        ({"min_duration": "900", "max_duration": "60"}, "max_duration", "no video could pass"),
        ({"url": "https://example.com/channel/bjork"}, "url", "This URL is already a source"),
    ],
)
def test_a_source_that_cannot_be_added_is_a_400_that_says_why_next_to_the_field(
    logged_in, boss, bjork, channel, change, field, error
):
    response = logged_in(boss).post(f"/artists/{bjork.pk}/sources/add/", {**FORM, **change})
    assert response.status_code == 400
    body = response.content.decode()
    errors = body.split(f'id="id_{field}-errors"', 1)[1].split("</ul>", 1)[0]
    assert error in errors
    assert "The source was not added; see the form below." in body
    assert '<details class="add-source" open>' in body
    assert Source.objects.count() == 1


def test_staff_index_a_source_now_and_the_page_shows_the_index_waiting(
    logged_in, boss, bjork, channel
):
    client = logged_in(boss)
    next_url = f"/artists/{bjork.pk}/"
    response = client.post(f"/sources/{channel.pk}/index/", {"next": next_url})

    assert response.status_code == 302 and response["Location"] == next_url
    job = Job.objects.get(kind="source_index")
    assert (job.status, job.options["source"], job.user) == ("queued", channel.pk, boss)
    body = client.get(next_url).content.decode()
    assert "Indexing “Björk&#x27;s channel”" in body
    status = body.split(f'data-source-id="{channel.pk}" data-source-field="index"', 1)[1]
    assert status.split("</span>", 1)[0].endswith(">Queued: Waiting for a worker")

    again = client.post(f"/sources/{channel.pk}/index/", {"next": next_url}, follow=True)
    assert "already being indexed" in again.content.decode()
    assert Job.objects.filter(kind="source_index").count() == 1


def test_a_non_staff_user_may_not_index_a_source(logged_in, alice, channel):
    response = logged_in(alice).post(f"/sources/{channel.pk}/index/")
    assert response.status_code == 403
    assert not Job.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in_before_indexing(client, channel):
    url = f"/sources/{channel.pk}/index/"
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={url}"


def test_a_non_staff_user_sees_no_index_now_button(logged_in, alice, bjork, channel):
    assert "Index now" not in logged_in(alice).get(f"/artists/{bjork.pk}/").content.decode()

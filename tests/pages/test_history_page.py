"""The history page: what happened to the library, newest first, filtered by event, artist
or source, a page at a time; every signed-in user reads it."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from jobs.models import HistoryEvent, Job
from videos.models import Source


@pytest.fixture
def events(make_video, make_artist, boss):
    bjork = make_artist("Björk")
    channel = Source.objects.create(url="https://example.com/c", title="Björk VEVO", artist=bjork)
    video = make_video("Army of Me", artist=bjork)
    now = timezone.now()

    def at(minutes_ago: int, **fields) -> HistoryEvent:
        created = now - datetime.timedelta(minutes=minutes_ago)
        return HistoryEvent.objects.create(created_at=created, **fields)

    return {
        "indexed": at(
            3,
            event="indexed",
            artist=bjork,
            source=channel,
            origin=Job.Origin.SCHEDULE,
            data={"found": 12, "added": 3},
        ),
        "failed": at(
            2,
            event="failed",
            video=video,
            title="Army of Me",
            artist=bjork,
            user=boss,
            data={"reason": "The site answered 404: the video is gone."},
        ),
        "added": at(1, event="added", title="Teardrop", user=boss),
    }


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/history/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/history/"


def test_everyone_signed_in_reads_the_history_newest_first_with_who_and_why(
    logged_in, alice, events
):
    body = logged_in(alice).get("/history/").content.decode()
    rows = [body.index(f'data-history="{events[name].pk}"') for name in ("added", "failed")]
    assert rows == sorted(rows)
    assert body.index(f'data-history="{events["failed"].pk}"') < body.index(
        f'data-history="{events["indexed"].pk}"'
    )
    assert "The site answered 404: the video is gone." in body
    assert "found 12 · added 3" in body and "Björk VEVO" in body
    assert "boss" in body and "Schedule" in body
    assert f'href="/videos/{events["failed"].video_id}/"' in body


@pytest.mark.parametrize(
    ("filters", "shown"),
    [
        ({"event": "failed"}, {"failed"}),
        ({"artist": "{artist}"}, {"failed", "indexed"}),
        ({"source": "{source}"}, {"indexed"}),
        ({"video": "{video}"}, {"failed"}),
    ],
)
def test_filters_narrow_the_history(logged_in, alice, events, filters, shown):
    indexed = events["indexed"]
    params = {
        key: value.format(
            artist=indexed.artist_id, source=indexed.source_id, video=events["failed"].video_id
        )
        for key, value in filters.items()
    }
    body = logged_in(alice).get("/history/", params).content.decode()
    assert {name for name, row in events.items() if f'data-history="{row.pk}"' in body} == shown


def test_a_long_history_comes_a_page_at_a_time(logged_in, alice, db):
    HistoryEvent.objects.bulk_create(
        HistoryEvent(event="added", title=f"Video {n}") for n in range(55)
    )
    client = logged_in(alice)
    first = client.get("/history/").content.decode()
    assert first.count("data-history=") == 50 and "Page 1 of 2" in first
    assert client.get("/history/", {"page": 2}).content.decode().count("data-history=") == 5


def test_an_empty_history_says_what_will_appear(logged_in, alice):
    assert "Nothing has happened yet." in logged_in(alice).get("/history/").content.decode()


def test_the_navigation_leads_to_the_history(logged_in, alice):
    assert '<a href="/history/">History</a>' in logged_in(alice).get("/").content.decode()


def test_an_unknown_event_is_a_400_that_says_so_and_shows_no_rows(logged_in, alice, events):
    response = logged_in(alice).get("/history/", {"event": "nonsense"})
    assert response.status_code == 400  # as the API answers
    body = response.content.decode()
    assert "data-history=" not in body
    assert "Select a valid choice. nonsense is not one of the available choices." not in body
    assert "Unknown event “nonsense”; choose one of added, indexed, grabbed" in body


def test_the_history_of_one_video_names_it_with_a_way_back_to_all(logged_in, alice, events):
    video = events["failed"].video_id
    body = logged_in(alice).get("/history/", {"video": video, "event": "failed"}).content.decode()
    assert f'Only the history of “<a href="/videos/{video}/">Army of Me</a>”.' in body
    assert 'href="/history/?event=failed">Show every video' in body
    assert f'<input type="hidden" name="video" value="{video}"' in body  # filtering keeps it


def test_the_history_of_an_unknown_video_says_so_and_shows_no_rows(logged_in, alice, events):
    response = logged_in(alice).get("/history/", {"video": 987654})
    assert response.status_code == 400
    body = response.content.decode()
    assert "data-history=" not in body
    assert "There is no video #987654; it may have been deleted." in body


def test_a_download_says_its_quality_and_container_in_words_not_ytdlp_format_ids(
    logged_in, alice, db
):
    row = HistoryEvent.objects.create(
        event="downloaded",
        title="Teardrop",
        data={"quality": None, "profile": "Any", "height": 360, "format": "400 (mp4)"},
    )
    body = logged_in(alice).get("/history/").content.decode()
    details = body.split(f'data-history="{row.pk}"')[1].split('class="details">')[1]
    details = details.split("</td>")[0]
    assert details == "360p MP4 · profile Any"


def test_the_job_and_who_columns_never_break_inside_a_word(logged_in, alice, boss, db):
    job = Job.objects.create(kind="video_download", user=boss)
    HistoryEvent.objects.create(event="added", title="Teardrop", job=job, user=boss)
    body = logged_in(alice).get("/history/").content.decode()
    assert f'<td class="nowrap">#{job.pk}</td>' in body
    assert '<td class="nowrap">boss</td>' in body

"""Editing the library's chosen videos at once: set their artist (anyone signed in), ignore,
delete or refresh their metadata (staff); what was done and each refusal said."""

from __future__ import annotations

import html

import pytest

from jobs.models import Job
from videos.models import IgnoredEntry, Video


@pytest.fixture
def three(make_video) -> list[Video]:
    titles = ("Jóga", "Hunter", "Bachelorette")
    return [make_video(title, source_url=f"https://videos.example/{title}") for title in titles]


def edit(client, videos, action: str, **fields):
    return client.post(
        "/videos/bulk/edit/",
        {"video_ids": [video.pk for video in videos], "action": action, "next": "/", **fields},
        follow=True,
    )


def told(response) -> str:
    return html.unescape(response.content.decode())


def test_the_grid_offers_to_edit_the_chosen_videos(logged_in, alice, boss, three):
    body = logged_in(alice).get("/").content.decode()
    assert 'formaction="/videos/bulk/edit/"' in body and 'value="set_artist"' in body
    assert 'value="delete"' not in body  # staff only
    body = logged_in(boss).get("/").content.decode()
    for action in ("ignore", "delete", "refresh_metadata"):
        assert f'name="action" value="{action}"' in body


def test_anyone_signed_in_sets_the_artist_of_the_chosen_videos(logged_in, alice, three):
    response = edit(logged_in(alice), three[:2], "set_artist", artist="Björk")
    assert "Set the artist of 2 videos." in told(response)
    for video in three[:2]:
        video.refresh_from_db()
        assert (video.artist.name, video.field_sources["artist"]) == ("Björk", "user")
    three[2].refresh_from_db()
    assert three[2].artist is None


def test_staff_ignore_the_chosen_videos_with_a_reason(logged_in, boss, three):
    response = edit(logged_in(boss), three, "ignore", reason="Not music")
    assert "Ignored 3 videos." in told(response)
    assert set(IgnoredEntry.objects.values_list("reason", flat=True)) == {"Not music"}
    assert set(Video.objects.values_list("status", flat=True)) == {"ignored"}


def test_a_video_being_downloaded_is_refused_and_the_others_are_deleted(
    logged_in, boss, three, make_job
):
    busy = make_job(boss, "processing").video
    response = edit(logged_in(boss), [*three, busy], "delete")
    body = told(response)
    assert "Deleted 3 videos." in body
    assert f"“{busy}”: This video is being downloaded; cancel the download, then delete it." in body
    assert list(Video.objects.all()) == [busy]


def test_staff_refresh_the_metadata_of_the_chosen_videos(logged_in, boss, three):
    response = edit(logged_in(boss), three[:2], "refresh_metadata")
    assert "Refreshing the metadata of 2 videos." in told(response)
    jobs = Job.objects.filter(kind="metadata_refresh")
    assert {job.video_id for job in jobs} == {three[0].pk, three[1].pk}


@pytest.mark.parametrize("action", ["ignore", "delete", "refresh_metadata"])
def test_staff_actions_are_refused_to_others(logged_in, alice, three, action):
    response = edit(logged_in(alice), three, action)
    assert "Only staff can ignore, delete or refresh videos." in told(response)
    assert Video.objects.count() == 3
    assert not IgnoredEntry.objects.exists() and not Job.objects.exists()


def test_nothing_chosen_or_an_unknown_action_is_said(logged_in, boss, three):
    assert "Choose at least one video to edit." in told(edit(logged_in(boss), [], "delete"))
    body = told(edit(logged_in(boss), three, "explode"))
    assert "Choose what to do with the chosen videos." in body
    assert Video.objects.count() == 3


def test_anonymous_people_are_sent_to_log_in(client, three):
    response = client.post("/videos/bulk/edit/", {"video_ids": [three[0].pk], "action": "delete"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Video.objects.count() == 3

"""The ignore list page: everyone signed in reads it (title, key, reason, who, when); staff
take an entry off the list, and the video it kept gets its status back."""

from __future__ import annotations

import pytest

from videos.models import IgnoredEntry, Video


@pytest.fixture
def ignored(make_video, boss) -> IgnoredEntry:
    video = make_video(
        "Army of Me", artist="Björk", status="ignored", extractor="youtube", source_id="abc123"
    )
    return IgnoredEntry.objects.create(
        extractor="youtube",
        source_id="abc123",
        url=video.source_url,
        title=video.title,
        artist=video.artist,
        video=video,
        reason="A live version",
        user=boss,
    )


@pytest.fixture
def gone(db) -> IgnoredEntry:
    return IgnoredEntry.objects.create(url="https://example.com/gone", title="Gone Video")


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/ignored/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/ignored/"


def test_everyone_signed_in_sees_what_is_ignored_by_whom_and_why(logged_in, alice, ignored, gone):
    body = logged_in(alice).get("/ignored/").content.decode()
    assert "Army of Me" in body and "Björk" in body
    assert "youtube abc123" in body and "https://example.com/gone" in body
    assert "A live version" in body and "boss" in body
    assert f'href="/videos/{ignored.video_id}/"' in body
    assert "/remove/" not in body


def test_an_entry_shows_its_title_and_url_as_a_link_and_its_key_only_as_a_detail(
    logged_in, alice, ignored, gone
):
    body = logged_in(alice).get("/ignored/").content.decode()
    assert ">Key</th>" not in body  # "generic url-05334de2" means nothing to a person
    for entry in (ignored, gone):
        row = body.split(f'data-ignored="{entry.pk}"')[1].split("</tr>")[0]
        assert entry.title in row
        assert f'href="{entry.url}"' in row and f'title="{entry.url}"' in row
    row = body.split(f'data-ignored="{ignored.pk}"')[1].split("</tr>")[0]
    assert '<small class="muted ignore-key">Matched by youtube abc123</small>' in row


def test_search_narrows_the_ignore_list(logged_in, alice, ignored, gone):
    body = logged_in(alice).get("/ignored/", {"q": "gone"}).content.decode()
    assert "Gone Video" in body and "Army of Me" not in body


def test_a_non_staff_user_may_not_take_an_entry_off_the_list(logged_in, alice, ignored):
    response = logged_in(alice).post(f"/ignored/{ignored.pk}/remove/")
    assert response.status_code == 403
    assert IgnoredEntry.objects.filter(pk=ignored.pk).exists()


def test_an_anonymous_visitor_may_not_take_an_entry_off_the_list(client, ignored):
    url = f"/ignored/{ignored.pk}/remove/"
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={url}"
    assert IgnoredEntry.objects.filter(pk=ignored.pk).exists()


def test_staff_remove_an_entry_and_its_video_is_wanted_again(logged_in, boss, ignored):
    client = logged_in(boss)
    assert f'action="/ignored/{ignored.pk}/remove/"' in client.get("/ignored/").content.decode()

    response = client.post(f"/ignored/{ignored.pk}/remove/", follow=True)

    assert "is off the ignore list" in response.content.decode()
    assert not IgnoredEntry.objects.filter(pk=ignored.pk).exists()
    assert Video.objects.get(pk=ignored.video_id).status == "wanted"


def test_removing_an_unknown_entry_is_404(logged_in, boss):
    assert logged_in(boss).post("/ignored/999/remove/").status_code == 404


def test_the_navigation_leads_to_the_ignore_list(logged_in, alice):
    assert '<a href="/ignored/">Ignored</a>' in logged_in(alice).get("/").content.decode()

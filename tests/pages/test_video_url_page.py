"""The video page after a failed probe: why it failed, and a form to correct the link."""

from __future__ import annotations

import pytest

from jobs.models import Job

PROBE = Job.Kind.METADATA_PROBE
ERROR = "The site answered 404 for this link: the video is not there."
LOOKING_UP = "Looking up the video\N{RIGHT SINGLE QUOTATION MARK}s details…"


@pytest.fixture
def typo(make_video, make_job, alice):
    """A video Alice added whose probe failed."""
    video = make_video("", source_url="https://videos.example/watch/typo")
    make_job(alice, "failed", kind=PROBE, video=video, error=ERROR)
    return video


def test_a_failed_probe_is_explained_on_the_video_page(logged_in, alice, typo):
    body = logged_in(alice).get(f"/videos/{typo.pk}/").content.decode()
    assert f"Looking up this video failed: {ERROR}" in body
    assert "Correct the link" in body and f'action="/videos/{typo.pk}/url/"' in body


def test_a_probe_under_way_is_said_and_a_finished_one_is_silent(logged_in, alice, make_video):
    video = make_video("Hunter")
    probe = Job.objects.create(user=alice, kind=PROBE, video=video)
    assert LOOKING_UP in logged_in(alice).get(f"/videos/{video.pk}/").content.decode()
    Job.objects.filter(pk=probe.pk).update(status="completed", message="Found “Hunter”")
    body = logged_in(alice).get(f"/videos/{video.pk}/").content.decode()
    assert "Looking up" not in body


def test_someone_who_did_not_add_the_video_sees_why_but_gets_no_form(logged_in, bob, typo):
    body = logged_in(bob).get(f"/videos/{typo.pk}/").content.decode()
    assert ERROR in body
    assert "Correct the link" not in body


def test_correcting_the_link_saves_it_and_looks_the_video_up_again(logged_in, alice, typo):
    response = logged_in(alice).post(
        f"/videos/{typo.pk}/url/", {"url": "https://videos.example/watch/right"}, follow=True
    )
    assert response.redirect_chain == [(f"/videos/{typo.pk}/", 302)]
    typo.refresh_from_db()
    assert typo.source_url == "https://videos.example/watch/right"
    probe = Job.objects.filter(video=typo, kind=PROBE).latest("id")
    assert (probe.status, probe.user) == ("queued", alice)
    body = response.content.decode()
    assert "Link saved: looking the video up again." in body
    assert LOOKING_UP in body and ERROR not in body


def test_a_link_that_is_not_http_is_refused_with_a_sentence(logged_in, alice, typo):
    response = logged_in(alice).post(f"/videos/{typo.pk}/url/", {"url": "ftp://videos.example/v"})
    assert response.status_code == 400
    assert "Enter a web address that starts with http:// or https://." in response.content.decode()
    typo.refresh_from_db()
    assert typo.source_url == "https://videos.example/watch/typo"


def test_someone_else_cannot_change_the_link_by_posting_either(logged_in, bob, typo):
    response = logged_in(bob).post(
        f"/videos/{typo.pk}/url/", {"url": "https://videos.example/b"}, follow=True
    )
    assert response.redirect_chain == [(f"/videos/{typo.pk}/", 302)]
    assert (
        "Only staff, or whoever added this video, can change its link." in response.content.decode()
    )
    typo.refresh_from_db()
    assert typo.source_url == "https://videos.example/watch/typo"


def test_the_parts_that_follow_finished_jobs_say_when_they_were_rendered(logged_in, alice, typo):
    body = logged_in(alice).get(f"/videos/{typo.pk}/").content.decode()
    for part in ("download-form", "file-panel", "about-panel"):
        assert f'id="{part}" data-refresh-for="video:{typo.pk}" data-rendered-at="' in body
    library = logged_in(alice).get("/").content.decode()
    assert 'id="library-videos" data-refresh-for="import" data-rendered-at="' in library

"""Videos known by artist and title on the pages: adding one, its page while it needs a
source (the candidates, their scores and reasons, "Use this" and "Look again"), choosing."""

from __future__ import annotations

import pytest

from jobs import kinds
from jobs.models import Job
from jobs.services import video_add_by_name
from videos.models import Video

CANDIDATES = [
    {
        "url": "https://v.test/live",
        "title": "Björk - Army of Me (Live)",
        "channel": "björk",
        "duration": 245.0,
        "score": 0.45,
        "reasons": ["It looks like a live version, which the wanted title is not."],
    },
    {
        "url": "javascript:alert(1)",
        "title": "A hostile candidate",
        "channel": "",
        "duration": None,
        "score": 0.1,
        "reasons": [],
    },
]


@pytest.fixture
def needing(alice) -> Video:
    """Army of Me, added by Alice by name; its search ended below the threshold."""
    video, job = video_add_by_name(artist_name="Björk", title="Army of Me", user=alice)
    Job.objects.filter(pk=job.pk).update(status="completed")
    note = "No candidate scored 0.70 or more: the best, “Björk - Army of Me (Live)”, scored 0.45."
    Video.objects.filter(pk=video.pk).update(source_candidates=CANDIDATES, source_note=note)
    video.refresh_from_db()
    return video


def test_adding_a_video_by_artist_and_title_looks_for_its_source(logged_in, alice):
    response = logged_in(alice).post(
        "/videos/add/", {"url": "", "artist": "Björk", "title": "Army of Me"}, follow=True
    )
    video = Video.objects.get()
    assert response.redirect_chain[-1][0] == f"/videos/{video.pk}/"
    assert (video.status, video.source_url, video.artist.name) == ("needs_source", "", "Björk")
    job = Job.objects.get()
    assert (job.kind, job.user) == (kinds.SOURCE_RESOLVE, alice)
    body = response.content.decode()
    assert "Video added: its source is being looked for." in body
    assert "Looking for a source…" in body


def test_adding_without_a_url_needs_the_artist_and_the_title(logged_in, alice):
    response = logged_in(alice).post("/videos/add/", {"url": "", "artist": "", "title": "X"})
    assert response.status_code == 400
    assert "Give the video&#x27;s artist, or its URL." in response.content.decode()
    assert not Video.objects.exists()


def test_the_same_artist_and_title_again_is_named_next_to_the_title(logged_in, alice, needing):
    response = logged_in(alice).post(
        "/videos/add/", {"url": "", "artist": "björk", "title": "army of me"}
    )
    assert response.status_code == 400
    assert f"is already in the library as video #{needing.pk}." in response.content.decode()
    assert Video.objects.count() == 1


def test_the_page_of_a_video_without_a_source_shows_the_candidates_and_why(
    logged_in, alice, needing
):
    body = logged_in(alice).get(f"/videos/{needing.pk}/").content.decode()
    assert 'data-video-field="status">Needs a source</span>' in body
    assert "No candidate scored 0.70 or more" in body
    assert '<a href="https://v.test/live" rel="noreferrer noopener"' in body
    assert "0.45" in body and "björk · 4:05" in body
    assert "It looks like a live version, which the wanted title is not." in body
    assert body.count(">Use this</button>") == 1  # none for a link that is not http(s)
    assert "javascript:" not in body
    assert "Look again" in body
    assert 'id="download-form"' in body and "hidden>" in body.split('id="download-form"')[1][:400]


def test_only_staff_and_whoever_added_it_see_the_buttons(logged_in, bob, boss, needing):
    assert "Use this" not in logged_in(bob).get(f"/videos/{needing.pk}/").content.decode()
    assert "Look again" not in logged_in(bob).get(f"/videos/{needing.pk}/").content.decode()
    assert "Use this" in logged_in(boss).get(f"/videos/{needing.pk}/").content.decode()


def test_use_this_chooses_the_source_and_starts_its_download(logged_in, alice, needing):
    response = logged_in(alice).post(
        f"/videos/{needing.pk}/source/", {"url": "https://v.test/live"}, follow=True
    )
    assert "Source chosen: downloading it." in response.content.decode()
    needing.refresh_from_db()
    assert (needing.source_url, needing.status) == ("https://v.test/live", "queued")
    assert Job.objects.get(video=needing, kind=kinds.VIDEO_DOWNLOAD).user == alice


def test_another_user_cannot_choose_nor_look_again(logged_in, bob, needing):
    client = logged_in(bob)
    chosen = client.post(
        f"/videos/{needing.pk}/source/", {"url": "https://v.test/live"}, follow=True
    )
    assert "Only staff, or whoever added this video, can choose its source." in (
        chosen.content.decode()
    )
    again = client.post(f"/videos/{needing.pk}/resolve/", follow=True)
    assert "Only staff, or whoever added this video, can look for its source." in (
        again.content.decode()
    )
    needing.refresh_from_db()
    assert needing.source_url == ""
    assert Job.objects.filter(video=needing).count() == 1


def test_a_bad_chosen_link_is_said_and_changes_nothing(logged_in, alice, needing):
    response = logged_in(alice).post(
        f"/videos/{needing.pk}/source/", {"url": "javascript:alert(1)"}, follow=True
    )
    assert "Enter a web address that starts with http:// or https://." in (
        response.content.decode()
    )
    needing.refresh_from_db()
    assert needing.source_url == ""


def test_look_again_starts_a_new_search(logged_in, alice, needing):
    response = logged_in(alice).post(f"/videos/{needing.pk}/resolve/", follow=True)
    assert "Looking for its source: the candidates appear here." in response.content.decode()
    assert (
        Job.objects.filter(video=needing, kind=kinds.SOURCE_RESOLVE, status="queued").count() == 1
    )
    twice = logged_in(alice).post(f"/videos/{needing.pk}/resolve/", follow=True)
    assert "A source is already being looked for" in twice.content.decode()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(document.cookie)"])
def test_a_javascript_link_is_refused_with_one_sentence_wherever_it_is_given(
    logged_in, alice, needing, url
):
    client = logged_in(alice)
    said = "Enter a web address that starts with http:// or https://."
    for path, form in (
        ("/videos/add/", {"url": url, "artist": "", "title": ""}),
        (f"/videos/{needing.pk}/source/", {"url": url}),
        (f"/videos/{needing.pk}/url/", {"url": url}),
    ):
        body = client.post(path, form, follow=True).content.decode()
        assert body.count(said) == 1, path
        assert "Enter a valid URL." not in body, path
    needing.refresh_from_db()
    assert needing.source_url == ""


def test_a_video_with_a_file_but_no_link_is_not_said_to_need_a_source(logged_in, alice, make_video):
    """Imported from a folder: it has a file and no link, and needs none."""
    video = make_video(
        "Jóga", source_url="", added_without_url=True, status="downloaded", file_path="B/J.mp4"
    )
    html = logged_in(alice).get(f"/videos/{video.pk}/").content.decode()
    panel = html.split('id="source-panel"', 1)[1].split(">", 1)[0]
    assert " hidden" in panel

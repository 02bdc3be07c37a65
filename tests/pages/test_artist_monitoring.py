"""Monitoring artists from the pages: the artists list's completeness and toggle, the artist
page's completeness and monitoring settings (staff change them; everyone sees them)."""

from __future__ import annotations

import pytest

from videos.models import Artist, QualityProfile


@pytest.fixture
def bjork(make_video, make_artist) -> Artist:
    hd = QualityProfile.objects.create(name="HD", qualities=["1080p", "720p"], cutoff="1080p")
    artist = make_artist("Björk", quality_profile=hd)
    make_video("Army of Me", artist=artist, status="downloaded", file_path="a.mp4", height=720)
    make_video("Hyperballad", artist=artist, status="downloaded", file_path="b.mp4", height=1080)
    make_video("Joga", artist=artist, status="wanted")
    make_video("Venus as a Boy", artist=artist, status="ignored")
    return artist


def test_the_artists_list_shows_each_artists_completeness(logged_in, alice, bjork):
    body = logged_in(alice).get("/artists/").content.decode()
    assert "2 of 4 downloaded · 1 below cutoff · 1 ignored" in body


def test_the_artists_list_counts_completeness_without_a_query_per_artist(
    logged_in, alice, make_video, django_assert_max_num_queries
):
    for n in range(30):
        make_video(f"Song {n}", artist=f"Artist {n}", status="downloaded")
    client = logged_in(alice)
    with django_assert_max_num_queries(12):
        body = client.get("/artists/").content.decode()
    assert body.count("1 of 1 downloaded") == 30


def test_a_non_staff_user_sees_whether_an_artist_is_monitored_but_no_toggle(
    logged_in, alice, bjork
):
    body = logged_in(alice).get("/artists/").content.decode()
    assert "Not monitored" in body
    assert f"/artists/{bjork.pk}/monitor/" not in body


def test_staff_monitor_an_artist_from_the_list_and_come_back_to_it(logged_in, boss, bjork):
    client = logged_in(boss)
    assert f'action="/artists/{bjork.pk}/monitor/"' in client.get("/artists/").content.decode()

    response = client.post(
        f"/artists/{bjork.pk}/monitor/", {"monitored": "true", "next": "/artists/?page=1"}
    )

    assert response.status_code == 302 and response["Location"] == "/artists/?page=1"
    bjork.refresh_from_db()
    assert bjork.monitored and bjork.monitored_since is not None
    body = client.get("/artists/").content.decode()
    assert "Stop monitoring" in body
    assert "Monitoring “Björk”" in body

    client.post(f"/artists/{bjork.pk}/monitor/", {"monitored": "false"})
    bjork.refresh_from_db()
    assert (bjork.monitored, bjork.monitored_since) == (False, None)


@pytest.mark.parametrize("action", ["monitor", "monitoring"])
def test_a_non_staff_user_may_not_change_monitoring(logged_in, alice, bjork, action):
    data = {"monitored": "true", "monitor_new": "none"}
    response = logged_in(alice).post(f"/artists/{bjork.pk}/{action}/", data)
    assert response.status_code == 403
    bjork.refresh_from_db()
    assert (bjork.monitored, bjork.monitor_new) == (False, "all")


@pytest.mark.parametrize("action", ["monitor", "monitoring"])
def test_an_anonymous_visitor_is_sent_to_log_in_before_changing_monitoring(client, bjork, action):
    url = f"/artists/{bjork.pk}/{action}/"
    response = client.post(url, {"monitored": "true", "monitor_new": "all"})
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"
    assert not Artist.objects.get(pk=bjork.pk).monitored


def test_the_artist_page_shows_completeness_and_monitoring_to_everyone(logged_in, alice, bjork):
    body = logged_in(alice).get(f"/artists/{bjork.pk}/").content.decode()
    assert "2 of 4 downloaded · 1 below cutoff · 1 ignored" in body
    assert "All videos found" in body and "HD" in body
    assert f"/artists/{bjork.pk}/monitoring/" not in body


def test_staff_change_an_artists_monitoring_settings(logged_in, boss, bjork, default_profile):
    client = logged_in(boss)
    body = client.get(f"/artists/{bjork.pk}/").content.decode()
    assert f'action="/artists/{bjork.pk}/monitoring/"' in body
    # The two choices that download in "Any" today say how they differ tomorrow.
    assert ">Follow the default (currently Any)</option>" in body
    assert ">Any (always, even if the default changes)</option>" in body

    response = client.post(
        f"/artists/{bjork.pk}/monitoring/",
        {"monitored": "on", "monitor_new": "new", "quality_profile": ""},
    )

    assert response.status_code == 302 and response["Location"] == f"/artists/{bjork.pk}/"
    bjork.refresh_from_db()
    assert (bjork.monitored, bjork.monitor_new, bjork.quality_profile) == (True, "new", None)
    assert bjork.monitored_since is not None


def test_a_bad_monitoring_choice_is_a_400_shown_next_to_its_field(logged_in, boss, bjork):
    response = logged_in(boss).post(
        f"/artists/{bjork.pk}/monitoring/",
        {"monitored": "on", "monitor_new": "sometimes", "quality_profile": "9999"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose what to do with newly found videos." in body
    assert "Choose one of the quality profiles." in body
    bjork.refresh_from_db()
    assert not bjork.monitored

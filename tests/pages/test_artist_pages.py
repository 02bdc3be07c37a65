"""Renaming and deleting an artist from its page: staff only, and hidden from everyone else."""

from __future__ import annotations

import pytest

from videos.models import Artist, Video


@pytest.fixture
def bjork(make_video) -> Artist:
    return make_video("Army of Me", artist="Björk").artist


def test_a_non_staff_user_sees_no_rename_or_delete_controls(logged_in, alice, bjork):
    body = logged_in(alice).get(f"/artists/{bjork.pk}/").content.decode()
    assert "Army of Me" in body
    assert "Rename artist" not in body and "Delete artist" not in body
    assert f"/artists/{bjork.pk}/rename/" not in body and f"/artists/{bjork.pk}/delete/" not in body


def test_staff_see_the_rename_and_delete_controls(logged_in, boss, bjork):
    body = logged_in(boss).get(f"/artists/{bjork.pk}/").content.decode()
    assert f'action="/artists/{bjork.pk}/rename/"' in body
    assert f'action="/artists/{bjork.pk}/delete/"' in body
    assert 'value="Björk"' in body


@pytest.mark.parametrize("action", ["rename", "delete"])
def test_an_anonymous_visitor_is_sent_to_log_in(client, bjork, action):
    url = f"/artists/{bjork.pk}/{action}/"
    response = client.post(url, {"name": "Someone Else"})
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"
    assert Artist.objects.get(pk=bjork.pk).name == "Björk"


@pytest.mark.parametrize("action", ["rename", "delete"])
def test_a_non_staff_user_may_not_rename_or_delete_an_artist(logged_in, alice, bjork, action):
    response = logged_in(alice).post(f"/artists/{bjork.pk}/{action}/", {"name": "Someone Else"})
    assert response.status_code == 403
    assert Artist.objects.get(pk=bjork.pk).name == "Björk"


def test_staff_rename_an_artist(logged_in, boss, bjork):
    response = logged_in(boss).post(f"/artists/{bjork.pk}/rename/", {"name": "  The  Sugarcubes "})
    assert response.status_code == 302
    assert response["Location"] == f"/artists/{bjork.pk}/"
    bjork.refresh_from_db()
    assert (bjork.name, bjork.sort_name) == ("The Sugarcubes", "Sugarcubes, The")


@pytest.mark.parametrize(
    ("name", "error"),
    [("", "Enter the artist&#x27;s new name."), ("Portishead", "is already in the library")],
)
def test_a_bad_new_name_is_a_400_that_says_why(logged_in, boss, bjork, make_video, name, error):
    make_video("Glory Box", artist="Portishead")
    response = logged_in(boss).post(f"/artists/{bjork.pk}/rename/", {"name": name})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert Artist.objects.get(pk=bjork.pk).name == "Björk"


def test_staff_delete_an_artist_and_its_videos_stay(logged_in, boss, bjork):
    response = logged_in(boss).post(f"/artists/{bjork.pk}/delete/")
    assert response.status_code == 302
    assert response["Location"] == "/artists/"
    assert not Artist.objects.filter(pk=bjork.pk).exists()
    assert Video.objects.get(title="Army of Me").artist is None


def test_renaming_or_deleting_an_unknown_artist_is_404(logged_in, boss):
    client = logged_in(boss)
    assert client.post("/artists/999/rename/", {"name": "X"}).status_code == 404
    assert client.post("/artists/999/delete/").status_code == 404


def test_the_artist_pages_videos_are_refreshed_when_a_job_of_one_of_them_ends(
    logged_in, alice, bjork, make_video
):
    other = make_video("Hyperballad", artist=bjork)
    body = logged_in(alice).get(f"/artists/{bjork.pk}/").content.decode()
    army = Video.objects.get(title="Army of Me")
    assert f'id="artist-videos" data-refresh-for="video:{other.pk} video:{army.pk}"' in body
    assert "data-rendered-at=" in body

"""Merging an artist into another from its page: staff only; the artist is named as the
library spells it (names suggested as one types)."""

from __future__ import annotations

import html

import pytest

from videos.models import Artist, Video


@pytest.fixture
def misspelt(make_video) -> Artist:
    return make_video("Army of Me", artist="Bjork").artist


@pytest.fixture
def bjork(make_artist) -> Artist:
    return make_artist("Björk")


def test_staff_see_the_merge_form_with_name_suggestions(logged_in, boss, alice, misspelt):
    body = logged_in(boss).get(f"/artists/{misspelt.pk}/").content.decode()
    assert f'action="/artists/{misspelt.pk}/merge/"' in body
    assert "data-artist-suggest" in body and "artist-suggest.js" in body
    body = logged_in(alice).get(f"/artists/{misspelt.pk}/").content.decode()
    assert "/merge/" not in body


def test_staff_merge_an_artist_into_another(logged_in, boss, misspelt, bjork):
    response = logged_in(boss).post(
        f"/artists/{misspelt.pk}/merge/", {"into": "BJÖRK"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/artists/{bjork.pk}/"
    body = html.unescape(response.content.decode())
    assert "Merged “Bjork” into “Björk”: 1 video and 0 sources moved." in body
    assert Video.objects.get().artist == bjork
    assert not Artist.objects.filter(pk=misspelt.pk).exists()


@pytest.mark.parametrize(
    ("into", "error"),
    [
        ("", "Name the artist to merge this one into."),
        ("Nobody", "There is no artist called “Nobody”; choose one of the list."),
        ("Bjork", "An artist cannot be merged into itself; choose the other artist."),
    ],
)
def test_a_bad_target_is_a_400_that_says_why(logged_in, boss, misspelt, into, error):
    response = logged_in(boss).post(f"/artists/{misspelt.pk}/merge/", {"into": into})
    assert response.status_code == 400
    assert error in html.unescape(response.content.decode())
    assert Artist.objects.filter(pk=misspelt.pk).exists()


def test_a_non_staff_user_may_not_merge(logged_in, alice, misspelt, bjork):
    response = logged_in(alice).post(f"/artists/{misspelt.pk}/merge/", {"into": "Björk"})
    assert response.status_code == 403
    assert Artist.objects.filter(pk=misspelt.pk).exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, misspelt, bjork):
    url = f"/artists/{misspelt.pk}/merge/"
    response = client.post(url, {"into": "Björk"})
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"
    assert Artist.objects.filter(pk=misspelt.pk).exists()


def test_an_unknown_artist_is_a_404(logged_in, boss):
    assert logged_in(boss).post("/artists/999999/merge/", {"into": "Björk"}).status_code == 404

"""Inline editing on a video's page: the About box's title and artist, saved by the API's
PATCH from the page's session (with its CSRF token), each then set by hand."""

from __future__ import annotations

import json
import re

from django.test import Client

from tests.support import password_of


def test_the_about_box_offers_to_edit_the_title_and_artist_inline(logged_in, alice, make_video):
    video = make_video("Army of Me", artist="Björk")
    body = logged_in(alice).get(f"/videos/{video.pk}/").content.decode()
    assert f'data-inline-edit-url="/api/videos/{video.pk}/"' in body
    assert 'aria-label="Edit the title"' in body and 'aria-label="Edit the artist"' in body
    assert re.search(r'<input id="inline-title" name="title" value="Army of Me"', body)
    assert re.search(
        r'<input id="inline-artist" name="artist" value="Björk"[^>]*data-artist-suggest', body
    )
    assert "inline-edit.js" in body and "artist-suggest.js" in body


def session_with_csrf(user, video) -> tuple[Client, str]:
    """A browser-like client that checks CSRF, logged in, and the token of the inline form
    on ``video``'s page (what inline-edit.js sends)."""
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=user.username, password=password_of(user.username))
    body = client.get(f"/videos/{video.pk}/").content.decode()
    form = body[body.index('data-inline-form="title"') :]
    return client, re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)


def patch(client, video, data: dict, **headers):
    return client.patch(
        f"/api/videos/{video.pk}/", json.dumps(data), content_type="application/json", **headers
    )


def test_the_page_session_saves_a_title_and_an_artist_set_by_hand(alice, make_video):
    video = make_video("Army of Me", field_sources={"title": "site"})
    client, token = session_with_csrf(alice, video)
    response = patch(client, video, {"title": "Army of Me (remix)"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Army of Me (remix)"
    response = patch(client, video, {"artist": "Björk"}, HTTP_X_CSRFTOKEN=token)
    body = response.json()
    assert (body["artist"], body["field_sources"]["artist"]) == ("Björk", "user")
    video.refresh_from_db()
    assert (video.title, video.artist.name) == ("Army of Me (remix)", "Björk")
    assert video.field_sources["title"] == "user"


def test_without_the_pages_token_nothing_is_saved(alice, make_video):
    video = make_video("Army of Me")
    client, _token = session_with_csrf(alice, video)
    assert patch(client, video, {"title": "Changed"}).status_code == 403
    video.refresh_from_db()
    assert video.title == "Army of Me"


def test_an_artist_search_suggests_names(logged_in, alice, make_artist):
    make_artist("Björk")
    make_artist("Portishead")
    response = logged_in(alice).get("/api/artists/", {"search": "bjö"})
    assert [artist["name"] for artist in response.json()["results"]] == ["Björk"]

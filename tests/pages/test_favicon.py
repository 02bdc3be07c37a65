"""Every page names a small favicon, and /favicon.ico (what browsers ask for by themselves)
answers it to anyone instead of filling the logs with 404s."""

from __future__ import annotations


def test_every_page_links_the_favicon(logged_in, alice):
    body = logged_in(alice).get("/").content.decode()
    assert '<link rel="icon" href="/static/mvidarr/img/favicon.svg" type="image/svg+xml">' in body


def test_favicon_ico_answers_the_svg_icon_without_signing_in(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    icon = client.get("/static/mvidarr/img/favicon.svg")
    assert response.content == b"".join(icon.streaming_content)
    assert b"<svg" in response.content


def test_favicon_ico_answers_a_head_request_and_refuses_a_post(client, db):
    assert client.head("/favicon.ico").status_code == 200
    assert client.post("/favicon.ico").status_code == 405

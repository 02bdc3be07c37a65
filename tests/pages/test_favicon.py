"""Every page names a small favicon, and /favicon.ico (what browsers ask for by themselves)
leads to it instead of filling the logs with 404s."""

from __future__ import annotations


def test_every_page_links_the_favicon(logged_in, alice):
    body = logged_in(alice).get("/").content.decode()
    assert '<link rel="icon" href="/static/mvidarr/img/favicon.svg" type="image/svg+xml">' in body


def test_favicon_ico_leads_to_the_svg_icon_without_signing_in(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/mvidarr/img/favicon.svg"
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content)

"""Titles and artist names are stored without bidirectional controls, wherever they come from,
so no page, API answer or file name shows text that reads differently from what it is."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.support import make_user
from videos import ytdlp
from videos.library.naming import safe_component, without_bidi_controls
from videos.models import Video
from videos.services import video_apply_probe, video_import_entry

# "Army of Me" with its last word reversed on screen, and an isolate around a fake extension.
TRICKY = "Army of \u202eeM\u202c \u2066.mp4\u2069 \u202a\u202b\u202d\u2067\u2068x"


def test_every_bidi_embedding_override_and_isolate_is_removed():
    assert without_bidi_controls(TRICKY) == "Army of eM .mp4 x"
    assert without_bidi_controls("עברית and English") == "עברית and English"


def test_file_names_follow_the_same_rule():
    assert safe_component(TRICKY, fallback="x") == "Army of eM .mp4 x"


@pytest.fixture
def api(db) -> APIClient:
    client = APIClient()
    client.force_authenticate(make_user("alice"))
    return client


def test_a_title_and_artist_from_the_api_are_stored_clean(api):
    created = api.post(
        "/api/videos/",
        {"url": "https://videos.example/watch?v=bidi", "title": TRICKY, "artist": "Bj\u202eörk"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["title"] == "Army of eM .mp4 x"
    video = Video.objects.get(pk=created.json()["id"])
    assert video.title == "Army of eM .mp4 x"
    assert video.artist.name == "Björk"
    changed = api.patch(f"/api/videos/{video.pk}/", {"title": "New \u202eeltit"}, format="json")
    assert changed.json()["title"] == "New eltit"


def test_the_page_shows_the_clean_title(api, client):
    created = api.post(
        "/api/videos/", {"url": "https://videos.example/watch?v=p", "title": TRICKY}, format="json"
    )
    client.force_login(make_user("bob"))
    page = client.get(reverse("video-detail", args=[created.json()["id"]]))
    html = page.content.decode()
    assert "Army of eM .mp4 x" in html
    assert not any(
        char in html for char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    )


def test_titles_found_by_a_probe_or_an_import_are_stored_clean(db):
    video = Video.objects.create(source_url="https://videos.example/watch?v=probe")
    probe = ytdlp.ProbeResult(
        url=video.source_url,
        extractor="generic",
        source_id="probe",
        title=TRICKY,
        artist="\u2067Sigur Rós\u2069",
        duration=None,
        thumbnail_url=None,
        upload_date=None,
        heights=[],
        webpage_url=video.source_url,
        raw={},
    )
    video = video_apply_probe(video=video, result=probe)
    assert (video.title, video.artist.name) == ("Army of eM .mp4 x", "Sigur Rós")
    entry = ytdlp.PlaylistEntry(
        url="https://videos.example/watch?v=entry", title=TRICKY, extractor="generic", source_id="e"
    )
    imported, created = video_import_entry(entry=entry)
    assert created and imported.title == "Army of eM .mp4 x"

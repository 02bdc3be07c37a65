"""A video's source address is http(s), whoever gives it; pages link only to such addresses."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.media.server import HOSTILE_LINKS
from tests.support import make_user
from videos import ytdlp
from videos.models import Video, is_http_url
from videos.services import (
    InvalidSourceUrl,
    video_apply_probe,
    video_create,
    video_import_entry,
)

NOT_WEB_ADDRESSES = [
    *HOSTILE_LINKS,
    "java\tscript:alert(1)",
    " javascript:alert(1)",
    "vbscript:msgbox(1)",
    "ftp://example.com/clip.mp4",
    "//example.com/clip.mp4",
    "http://",
    "http:///clip.mp4",
    "http://[::1/clip.mp4",
    "http://example.com/a b",
    "",
]


@pytest.mark.parametrize(
    "url",
    ["http://example.com/x", "HTTPS://Example.com/watch?v=1", "http://127.0.0.1:8000/a.mp4"],
)
def test_http_and_https_addresses_are_web_addresses(url):
    assert is_http_url(url)


@pytest.mark.parametrize("url", NOT_WEB_ADDRESSES)
def test_other_schemes_and_malformed_addresses_are_not(url):
    assert not is_http_url(url)


@pytest.mark.parametrize("url", HOSTILE_LINKS)
def test_the_service_refuses_to_store_another_scheme_with_a_sentence(db, url):
    with pytest.raises(InvalidSourceUrl, match="is not a web address that starts with http://"):
        video_create(url=url)
    assert not Video.objects.exists()


@pytest.mark.parametrize("url", HOSTILE_LINKS)
def test_an_imported_entry_of_another_scheme_is_refused(db, url):
    entry = ytdlp.PlaylistEntry(url=url, title="Evil", extractor="generic", source_id="")
    with pytest.raises(InvalidSourceUrl):
        video_import_entry(entry=entry)
    assert not Video.objects.exists()


def test_a_probe_keeps_no_thumbnail_that_is_not_http(db):
    video = video_create(url="https://example.com/watch?v=1")
    result = ytdlp.ProbeResult(
        url=video.source_url,
        extractor="generic",
        source_id="1",
        title="Army of Me",
        artist=None,
        duration=None,
        thumbnail_url="javascript:alert(1)",
        upload_date=None,
        heights=[],
        webpage_url=video.source_url,
        raw={},
    )
    video_apply_probe(video=video, result=result)
    video.refresh_from_db()
    assert video.thumbnail_url == ""


@pytest.mark.parametrize("url", HOSTILE_LINKS)
def test_the_api_answers_400_and_the_page_refuses_another_scheme(db, url):
    user = make_user("alice")
    api = APIClient()
    api.force_authenticate(user)
    assert api.post("/api/videos/", {"url": url}, format="json").status_code == 400
    assert api.post("/api/videos/import", {"url": url}, format="json").status_code == 400
    page = Client()
    page.force_login(user)
    assert page.post("/videos/add/", {"url": url}).status_code == 400
    assert page.post("/videos/import/", {"url": url}).status_code == 400
    assert not Video.objects.exists()


def test_a_source_link_is_rendered_only_for_http_and_a_thumbnail_never_hot_linked(db):
    # Rows stored before the rule (the migration clears them; this is the page's own guard).
    evil = Video.objects.create(
        title="Evil", source_url="javascript:alert(1)", thumbnail_url="data:image/svg+xml,<svg/>"
    )
    good = Video.objects.create(
        title="Good",
        source_url="https://example.com/watch?v=1",
        thumbnail_url="https://example.com/thumb.jpg",
    )
    assert evil.source_link == "" and good.source_link == good.source_url
    client = Client()
    client.force_login(make_user("alice"))
    evil_page = client.get(f"/videos/{evil.pk}/").content.decode()
    assert 'href="javascript:' not in evil_page
    good_page = client.get(f"/videos/{good.pk}/").content.decode()
    assert 'href="https://example.com/watch?v=1"' in good_page
    grid = client.get("/").content.decode()
    assert 'src="data:' not in grid
    # The pages show MVidarr's own copy of the artwork (made by a job), never the site's.
    assert "https://example.com/thumb.jpg" not in grid and "https://example.com/thumb.jpg" not in (
        good_page
    )

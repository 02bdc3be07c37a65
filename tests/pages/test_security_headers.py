"""Security headers: a CSP that allows our own script files only, HSTS and Secure cookies on
HTTPS (directly or through a trusted proxy), Referrer-Policy, and API docs served locally."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.support import password_of

TEMPLATES = Path(settings.BASE_DIR, "templates")
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
HANDLER_ATTRIBUTE = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
URL_ATTRIBUTE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def inline_scripts(html: str) -> list[str]:
    """Script tags that would run inline code (not a src, not a JSON data block)."""
    return [
        tag
        for tag in SCRIPT_TAG.findall(html)
        if "src=" not in tag and 'type="application/json"' not in tag
    ]


def test_no_template_has_an_inline_script_or_handler_attribute():
    offenders = {}
    for template in TEMPLATES.rglob("*.html"):
        html = template.read_text()
        found = inline_scripts(html) + HANDLER_ATTRIBUTE.findall(html)
        if found:
            offenders[str(template.relative_to(TEMPLATES))] = found
    assert offenders == {}


@pytest.fixture
def pages(root, make_video, make_job, library_root):
    video = make_video("Army of Me", artist="Björk", status="downloaded", file_path="a.mp4")
    (library_root / "a.mp4").write_bytes(b"\0" * 100)
    job = make_job(root, "failed", video=video)
    return [
        reverse("home"),
        reverse("video-detail", args=[video.pk]),
        reverse("video-add"),
        reverse("artist-list"),
        reverse("artist-detail", args=[video.artist_id]),
        reverse("source-list"),
        reverse("job-dashboard"),
        reverse("ops"),
        reverse("admin:index"),
        reverse("admin:jobs_job_changelist"),
        reverse("admin:jobs_job_change", args=[job.pk]),
        reverse("admin:videos_video_changelist"),
        "/api/videos/",
    ]


def test_every_page_says_scripts_come_from_this_site_only_and_has_none_inline(
    logged_in, root, pages
):
    client = logged_in(root)
    for path in pages:
        response = client.get(path, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, path
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy, path
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        html = response.content.decode()
        assert inline_scripts(html) == [], path
        assert HANDLER_ATTRIBUTE.findall(html) == [], path


def test_the_login_page_has_the_policy_too(client, db):
    response = client.get(reverse("login"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"


def test_the_api_docs_reference_no_other_host_and_run_no_inline_script(logged_in, alice):
    client = logged_in(alice)
    response = client.get("/api/docs/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    html = response.content.decode()
    assert inline_scripts(html) == []
    urls = URL_ATTRIBUTE.findall(html)
    assert any("swagger-ui-bundle.js" in url for url in urls)
    for url in urls:
        parts = urlsplit(url.replace("&amp;", "&"))
        assert not parts.scheme and not parts.netloc, f"{url} is on another host"
        answer = client.get(url.replace("&amp;", "&"))
        assert answer.status_code == 200, url
    # The start-up script comes from ?script, as JavaScript from this site.
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


def login(client: Client, user, **extra):
    return client.post(
        reverse("login"),
        {"username": user.username, "password": password_of(user.username)},
        **extra,
    )


def test_https_requests_get_hsts_and_secure_cookies(alice):
    client = Client()
    response = login(client, alice, secure=True)
    assert response.status_code == 302
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response.cookies[settings.SESSION_COOKIE_NAME]["secure"] is True
    page = client.get(reverse("login"), secure=True)
    assert page.cookies[settings.CSRF_COOKIE_NAME]["secure"] is True


def test_plain_http_gets_neither_so_a_laptop_keeps_working(alice):
    client = Client()
    response = login(client, alice)
    assert response.status_code == 302
    assert "Strict-Transport-Security" not in response
    assert not response.cookies[settings.SESSION_COOKIE_NAME]["secure"]


def test_a_trusted_proxy_that_says_https_counts_as_https(alice, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # BEHIND_PROXY
    response = login(Client(), alice, HTTP_X_FORWARDED_PROTO="https")
    assert "Strict-Transport-Security" in response
    assert response.cookies[settings.SESSION_COOKIE_NAME]["secure"] is True


def test_a_forwarded_proto_header_counts_for_nothing_when_no_proxy_is_trusted(alice, settings):
    assert getattr(settings, "SECURE_PROXY_SSL_HEADER", None) is None
    response = login(Client(), alice, HTTP_X_FORWARDED_PROTO="https")
    assert "Strict-Transport-Security" not in response
    assert not response.cookies[settings.SESSION_COOKIE_NAME]["secure"]

"""The video page asks before deleting, from a script file (the CSP forbids inline handlers)."""

from __future__ import annotations

import shutil

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import sync_playwright

from tests.support import make_user
from videos.models import Video

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def test_deleting_a_video_asks_first_and_no_keeps_it(live_server, transactional_db):
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed")
    video = Video.objects.create(source_url="https://videos.example/keep", title="Keep me")
    client = Client()
    client.force_login(make_user("boss", is_staff=True))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    questions = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(base_url=live_server.url)
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        page = context.new_page()

        def answer_no(dialog) -> None:
            questions.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", answer_no)
        page.goto(f"/videos/{video.pk}/")
        page.get_by_role("button", name="Delete video").click()
        page.wait_for_timeout(300)  # a submitted form would be navigating by now
        url = page.url
        browser.close()
    assert questions == ["Delete this video from the library?"]
    assert url.endswith(f"/videos/{video.pk}/")
    assert Video.objects.filter(pk=video.pk).exists()

"""The video page asks before deleting, from a script file (the CSP forbids inline handlers)."""

from __future__ import annotations

import pytest

from tests.browser import signed_in_page
from tests.support import make_user
from videos.models import Video

pytestmark = pytest.mark.browser


def test_deleting_a_video_asks_first_and_no_keeps_it(live_server, transactional_db):
    video = Video.objects.create(source_url="https://videos.example/keep", title="Keep me")
    user = make_user("boss", is_staff=True)
    questions = []
    with signed_in_page(live_server.url, user) as page:

        def answer_no(dialog) -> None:
            questions.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", answer_no)
        page.goto(f"/videos/{video.pk}/")
        page.get_by_role("button", name="Delete video").click()
        page.wait_for_timeout(300)  # a submitted form would be navigating by now
        url = page.url
    assert questions == ["Delete this video from the library?"]
    assert url.endswith(f"/videos/{video.pk}/")
    assert Video.objects.filter(pk=video.pk).exists()

"""A probe with real yt-dlp fills the descriptive fields a music page gives (JSON-LD on the
test media server), marks them "site", and never overwrites what a person set."""

from __future__ import annotations

import datetime

from jobs.services import probe_submit
from tests.jobs.conftest import wait_for_job
from videos.services import video_update


def test_a_probe_fills_year_premiered_and_type_from_the_page(worker, alice, make_video):
    video = make_video(clip="musicvideo/army-of-me")
    job = wait_for_job(probe_submit(user=alice, video=video))
    assert job.status == "completed", job.error
    video.refresh_from_db()
    assert video.title == "Army of Me (Official Music Video)"
    assert video.artist.name == "Björk"
    assert (video.year, video.premiered) == (1995, datetime.date(1995, 4, 10))
    assert video.video_type == "official"
    assert video.field_sources == {
        "title": "site",
        "artist": "site",
        "year": "site",
        "premiered": "site",
        "video_type": "site",
    }


def test_a_second_probe_keeps_what_a_person_set(worker, alice, make_video):
    video = make_video(clip="musicvideo/army-of-me")
    assert wait_for_job(probe_submit(user=alice, video=video)).status == "completed"
    video.refresh_from_db()
    video_update(video=video, data={"year": 1996, "video_type": "live", "album": "Post"})

    assert wait_for_job(probe_submit(user=alice, video=video)).status == "completed"
    video.refresh_from_db()
    assert (video.year, video.video_type, video.album) == (1996, "live", "Post")
    assert video.premiered == datetime.date(1995, 4, 10)
    assert [video.field_sources[name] for name in ("year", "video_type", "album", "premiered")] == [
        "user",
        "user",
        "user",
        "site",
    ]


def test_a_page_without_details_fills_nothing_but_title_and_artist(worker, alice, make_video):
    video = make_video(clip="musicvideo/plain")
    assert wait_for_job(probe_submit(user=alice, video=video)).status == "completed"
    video.refresh_from_db()
    assert (video.year, video.premiered, video.video_type) == (None, None, "")
    assert video.field_sources == {"title": "site", "artist": "site"}

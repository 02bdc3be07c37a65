"""A feed is written by whoever publishes it: only its http(s) entries enter the library."""

from jobs.services import probe_submit
from tests.jobs.conftest import wait_for_job
from videos.models import Video


def test_importing_a_feed_refuses_entries_that_are_not_http_addresses(worker, alice, media_server):
    job = wait_for_job(probe_submit(user=alice, url=media_server.url("feed/hostile.xml")))
    assert job.status == "completed", job.error
    assert job.message == "Added 1 video, refused 4 whose addresses are not http:// or https://"
    assert job.options["refused"] == 4
    assert list(Video.objects.values_list("title", "source_url")) == [
        ("Entry 1", media_server.url("clips/360p.mp4"))
    ]

"""A job's title and link, one for every page and the API: a download is its video's, a
bulk download counts its videos, an index is its source's (title, else URL) and leads to
the source's artist (else the Sources page), never "Job #27"."""

from __future__ import annotations

import pytest

from jobs.models import Job
from jobs.services.sources import source_index_submit
from videos.models import Source


@pytest.fixture
def titled(make_artist) -> Source:
    artist = make_artist("Björk")
    return Source.objects.create(
        url="https://example.com/channel/bjork", title="Björk VEVO", artist=artist
    )


@pytest.fixture
def untitled(db) -> Source:
    return Source.objects.create(url="https://example.com/playlist/mixed")


def test_an_index_is_titled_with_its_source_and_leads_to_its_artist(client_for, boss, titled):
    job = source_index_submit(source=titled, user=boss)
    data = client_for(boss).get(f"/api/jobs/{job.pk}/").json()
    assert (data["title"], data["link"]) == ("Björk VEVO", f"/artists/{titled.artist_id}/#sources")


def test_an_index_of_a_source_without_title_or_artist_is_its_url_on_the_sources_page(
    client_for, boss, untitled
):
    job = source_index_submit(source=untitled, user=boss)
    data = client_for(boss).get(f"/api/jobs/{job.pk}/").json()
    assert (data["title"], data["link"]) == (untitled.url, f"/sources/#source-{untitled.pk}")


def test_downloads_are_their_videos_and_a_bulk_download_counts_them(client_for, alice, make_job):
    download = make_job(alice, "completed")
    bulk = make_job(
        alice, "completed", kind=Job.Kind.BULK_VIDEO_DOWNLOAD, options={"video_ids": [1, 2]}
    )
    client = client_for(alice)
    data = client.get(f"/api/jobs/{download.pk}/").json()
    assert (data["title"], data["link"]) == (download.video.title, f"/videos/{download.video_id}/")
    data = client.get(f"/api/jobs/{bulk.pk}/").json()
    assert (data["title"], data["link"]) == ("2 videos", None)

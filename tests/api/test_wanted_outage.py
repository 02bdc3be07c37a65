"""Downloading the wanted videos and checking for upgrades while Redis is down: a 503 with a
sentence, and nothing written (no job, no video marked as checked). Redis is the test's own
(``own_redis``), stopped by the test."""

from __future__ import annotations

import pytest

from jobs.models import Job
from videos.models import QualityProfile, Video


@pytest.fixture
def fresh_throttles():
    """The test's own Redis starts empty, and may be stopped when the test ends."""
    yield


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/wanted/download", {}),
        ("/api/wanted/cutoff/check", {}),
        ("/api/wanted/cutoff/check", {"video": "{low}"}),
    ],
)
def test_what_starts_jobs_from_the_wanted_pages_answers_503_and_writes_nothing(
    own_redis, client_for, boss, make_video, make_artist, path, body
):
    hd = QualityProfile.objects.create(
        name="HD", qualities=["720p", "360p"], cutoff="720p", upgrade_allowed=True
    )
    artist = make_artist("Björk", quality_profile=hd)
    make_video("Wanted", artist=artist)
    low = make_video("Low", artist=artist, status="downloaded", file_path="l", height=360)
    if body.get("video"):
        body = {"video": low.pk}
    own_redis.stop()

    response = client_for(boss).post(path, body, format="json")

    assert response.status_code == 503, response.content
    assert response.json()["detail"].startswith("The job queue (Redis) is not reachable")
    assert not Job.objects.exists()
    assert Video.objects.get(pk=low.pk).upgrade_checked_at is None
    assert Video.objects.get(title="Wanted").status == Video.Status.WANTED

"""A signed-in user's link to an internal service is refused end to end, through the API."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from jobs.models import Job
from tests.api.test_with_worker import wait_for_api_job


@pytest.mark.parametrize("via_redirect", [False, True], ids=["direct", "redirect"])
def test_a_link_to_an_internal_service_fails_at_once_and_stores_nothing(
    worker, api, media_server, library_root, internal_service, via_redirect
):
    target = f"http://127.0.0.1:{internal_service.server_address[1]}/config.mp4"
    url = media_server.url(f"redirect?to={quote(target, safe='')}") if via_redirect else target
    added = api.post("/api/videos/", {"url": url}, format="json").json()
    probe = wait_for_api_job(api, added["probe_job"]["id"])
    assert probe["status"] == "failed"
    assert "MVIDARR_ALLOWED_PRIVATE_HOSTS" in probe["error"]

    submitted = api.post(f"/api/videos/{added['id']}/download", {}, format="json")
    job = wait_for_api_job(api, submitted.json()["id"])

    assert job["status"] == "failed"
    assert "loopback address" in job["error"] and "links may only point at public" in job["error"]
    assert Job.objects.get(pk=job["id"]).attempts == 1  # permanent: no retry
    assert internal_service.hits == []
    assert [p for p in library_root.rglob("*") if p.is_file()] == []

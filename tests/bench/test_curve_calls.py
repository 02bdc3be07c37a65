"""Every call of the library-size curve (bench/scenarios/curve.py) answers 200 on a small
seeded library, so a scenario of many minutes does not stop at a path that changed."""

from __future__ import annotations

import pytest
from django.test import Client

from bench.scenarios.curve import ENDPOINTS
from bench.seed import seed_library
from videos.models import Artist

pytestmark = pytest.mark.django_db


def test_every_call_of_the_curve_answers(boss):
    seed_library(videos=60, artists=6, jobs_per_video=1, user=boss)
    artist = Artist.objects.filter(videos__isnull=False).order_by("id").first()
    client = Client()
    client.force_login(boss)
    client.get("/")  # a session's first page also looks for a one-time password
    for name, _, path in ENDPOINTS:
        url = path.format(artist=artist.pk, deep_page=2)
        response = client.get(url, headers={"accept": "application/json"})
        assert response.status_code == 200, f"{name}: {url} answered {response.status_code}"

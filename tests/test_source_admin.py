"""The Source admin: lists sources, and adds and changes them through the services."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job
from videos.models import Source

URL = "https://www.youtube.com/channel/UCuAXFkgsw1L7xaCfnd5JJOw"


@pytest.fixture
def source(db) -> Source:
    return Source.objects.create(
        url="https://example.com/feed.xml",
        title="A feed",
        last_error="The feed is gone (404).",
        next_index_at=timezone.now(),
    )


def form(**fields) -> dict:
    return {"url": URL, "index_interval_minutes": 360, "monitored": "on", **fields}


def test_the_changelist_shows_each_source_with_its_last_error_and_searches(admin_client, source):
    changelist = reverse("admin:videos_source_changelist")
    body = admin_client.get(changelist).content.decode()
    assert "A feed" in body
    assert "The feed is gone (404)." in body
    assert "A feed" not in admin_client.get(f"{changelist}?q=youtube").content.decode()
    assert admin_client.get(f"{changelist}?monitored__exact=1").status_code == 200


def test_the_change_page_renders(admin_client, source):
    response = admin_client.get(reverse("admin:videos_source_change", args=[source.pk]))
    assert response.status_code == 200


def test_a_source_added_in_the_admin_is_scheduled_by_the_service(admin_client, db):
    response = admin_client.post(reverse("admin:videos_source_add"), form())
    assert response.status_code == 302
    assert Source.objects.get(url=URL).next_index_at is not None


def test_a_bad_pattern_is_shown_next_to_its_field_and_nothing_is_saved(admin_client, db):
    response = admin_client.post(reverse("admin:videos_source_add"), form(title_exclude="(live"))
    assert response.status_code == 200
    assert "The title exclude pattern “(live” is not a valid regular expression" in (
        response.content.decode()
    )
    assert not Source.objects.exists()


def test_a_url_already_a_source_names_that_source(admin_client, source):
    response = admin_client.post(reverse("admin:videos_source_add"), form(url=source.url))
    assert response.status_code == 200
    assert f"This URL is already a source (#{source.pk}, A feed)" in response.content.decode()
    assert Source.objects.count() == 1


def test_unmonitoring_in_the_admin_unschedules_the_source(admin_client, source):
    url = reverse("admin:videos_source_change", args=[source.pk])
    response = admin_client.post(url, form(url=source.url, monitored=""))
    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.monitored, source.next_index_at) == (False, None)


def test_index_now_starts_one_index_per_source_and_says_which_already_runs(admin_client, source):
    other = Source.objects.create(url=URL, title="A channel")
    changelist = reverse("admin:videos_source_changelist")
    admin_client.post(changelist, {"action": "index_now", "_selected_action": [source.pk]})

    response = admin_client.post(
        changelist,
        {"action": "index_now", "_selected_action": [source.pk, other.pk]},
        follow=True,
    )

    body = response.content.decode()
    assert "Started indexing 1 source." in body
    assert "“A feed”: This source is already being indexed" in body
    assert sorted(job.options["source"] for job in Job.objects.all()) == [source.pk, other.pk]

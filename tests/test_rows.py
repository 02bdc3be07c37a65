"""mvidarr.rows: thousands of rows written without a model instance each read back as
bulk_create's would, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from django.utils import timezone

from jobs.models import Job
from mvidarr.rows import rows_insert
from videos.models import Video


def test_rows_read_back_with_their_values_the_shared_ones_and_the_defaults(db, alice):
    videos = Video.objects.bulk_create(
        Video(source_url=f"https://example.com/{n}", title=f"Clip {n}") for n in range(3)
    )
    plan = {"quality": "720p", "force": False}  # one object shared by every row
    before = timezone.now()
    written = rows_insert(
        Job,
        [{"video_id": v.pk, "options": plan, "message_id": f"m{v.pk}"} for v in videos],
        common={"kind": Job.Kind.VIDEO_DOWNLOAD, "user_id": alice.pk, "message": "Waiting"},
    )
    assert written == 3
    rows = list(Job.objects.order_by("video_id"))
    assert [(j.video_id, j.message_id) for j in rows] == [(v.pk, f"m{v.pk}") for v in videos]
    assert {(j.kind, j.user_id, j.message, j.status, j.origin) for j in rows} == {
        ("video_download", alice.pk, "Waiting", "queued", "user")
    }
    assert all(j.options == plan for j in rows)
    assert all(j.attempts == 0 and j.parent_id is None and j.error == "" for j in rows)
    assert all(before <= j.created_at <= timezone.now() for j in rows)  # auto_now_add


def test_a_json_value_is_written_as_json_even_when_it_is_a_string(db):
    video = Video.objects.create(source_url="https://example.com/1")
    rows_insert(Job, [{"video_id": video.pk, "options": "text"}], common={"kind": "video_probe"})
    assert Job.objects.get().options == "text"


def test_every_row_names_the_same_fields_and_only_fields_the_model_has(db):
    with pytest.raises(ValueError, match="the fields"):
        rows_insert(Job, [{"message": "a"}, {"error": "b"}], common={"kind": "video_probe"})
    with pytest.raises(ValueError, match="no field"):
        rows_insert(Job, [{"colour": "red"}], common={})
    assert not Job.objects.exists()

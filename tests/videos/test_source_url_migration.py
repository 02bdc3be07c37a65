"""videos 0002: rows stored before the http(s) rule lose their hostile addresses."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("videos", "0001_initial")]
AFTER = [("videos", "0002_source_url_http_only")]


def test_the_migration_clears_and_fails_sources_that_are_not_http(migrator):
    Video = migrator.loader.project_state(BEFORE).apps.get_model("videos", "Video")
    script = Video.objects.create(title="Script", source_url="javascript:alert(1)")
    data = Video.objects.create(
        title="Data", source_url="data:video/mp4;base64,AAAA", status="downloaded"
    )
    local = Video.objects.create(title="File", source_url="FILE:///etc/passwd")
    good = Video.objects.create(
        title="Good",
        source_url="https://example.com/watch?v=1",
        thumbnail_url="javascript:alert(2)",
        metadata={"probe": {"id": "1"}},
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    Video = executor.loader.project_state(AFTER).apps.get_model("videos", "Video")
    rows = {video.pk: video for video in Video.objects.all()}
    for pk, scheme in [(script.pk, "javascript:"), (local.pk, "file:")]:
        assert rows[pk].source_url == ""
        assert rows[pk].status == "failed"
        assert (
            rows[pk]
            .metadata["source_url_refused"]
            .startswith(f"Its source address was removed: a {scheme} address is not a web page.")
        )
    # A downloaded video keeps its file and status; only the address goes.
    assert (rows[data.pk].source_url, rows[data.pk].status) == ("", "downloaded")
    assert "data:" in rows[data.pk].metadata["source_url_refused"]
    # An http(s) video keeps its address and status; only a hostile thumbnail goes.
    assert rows[good.pk].source_url == "https://example.com/watch?v=1"
    assert (rows[good.pk].status, rows[good.pk].thumbnail_url) == ("wanted", "")
    assert rows[good.pk].metadata == {"probe": {"id": "1"}}


def test_a_video_page_says_why_its_source_was_removed(migrator, client, django_user_model):
    Video = migrator.loader.project_state(BEFORE).apps.get_model("videos", "Video")
    video = Video.objects.create(title="Script", source_url="javascript:alert(1)")
    # The page is today's code: the database goes through 0002 to the latest migrations.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    client.force_login(django_user_model.objects.create_user("alice", password="pw-alice-123"))
    body = client.get(f"/videos/{video.pk}/").content.decode()
    assert "Its source address was removed: a javascript: address is not a web page." in body
    assert "javascript:alert" not in body

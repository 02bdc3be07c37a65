"""videos 0004/0005: a video's file columns become its VideoFile, and back."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("videos", "0003_titles_without_bidi_controls")]
AFTER = [("videos", "0005_video_file_columns_removed")]


def test_the_file_columns_of_each_downloaded_video_move_into_its_file_record(migrator):
    Video = migrator.loader.project_state(BEFORE).apps.get_model("videos", "Video")
    downloaded = Video.objects.create(
        source_url="https://videos.example/a",
        status="downloaded",
        file_path="Björk/Army of Me [x1].MP4",
        file_size=2048,
        width=1280,
        height=720,
        format="137+140 (mp4)",
    )
    wanted = Video.objects.create(source_url="https://videos.example/b")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    new = executor.loader.project_state(AFTER).apps
    files = list(new.get_model("videos", "VideoFile").objects.values())
    assert len(files) == 1
    file = files[0]
    assert file["video_id"] == downloaded.pk
    assert (file["path"], file["size"], file["width"], file["height"]) == (
        "Björk/Army of Me [x1].MP4",
        2048,
        1280,
        720,
    )
    assert (file["format"], file["container"], file["sidecars"]) == ("137+140 (mp4)", "mp4", [])
    assert new.get_model("videos", "Video").objects.get(pk=wanted.pk).status == "wanted"


def test_migrating_back_puts_the_file_record_into_the_video_columns(migrator):
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    video = apps.get_model("videos", "Video").objects.create(source_url="https://videos.example/a")
    apps.get_model("videos", "VideoFile").objects.create(
        video_id=video.pk, path="A/b.webm", size=10, width=640, height=360, format="243 (webm)"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)

    Video = executor.loader.project_state(BEFORE).apps.get_model("videos", "Video")
    row = Video.objects.values("file_path", "file_size", "width", "height", "format").get()
    assert row == {
        "file_path": "A/b.webm",
        "file_size": 10,
        "width": 640,
        "height": 360,
        "format": "243 (webm)",
    }

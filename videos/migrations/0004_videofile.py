"""A video's file becomes a record of its own: ``VideoFile``, with what the video held.

Every video with a ``file_path`` gets a ``VideoFile`` with the same path, size, picture size
and format, and its container read from the path's extension (codecs are unknown for files
stored before: the next download fills them). 0005 then removes the video's columns.
"""

from pathlib import PurePosixPath

import django.db.models.deletion
from django.db import migrations, models

BATCH = 500


def files_from_video_columns(apps, schema_editor):
    Video = apps.get_model("videos", "Video")
    VideoFile = apps.get_model("videos", "VideoFile")
    batch = []
    rows = Video.objects.exclude(file_path="").values_list(
        "id", "file_path", "file_size", "width", "height", "format"
    )
    for video_id, path, size, width, height, format_ in rows.order_by("id").iterator():
        container = PurePosixPath(path).suffix.lstrip(".").lower()[:16]
        batch.append(
            VideoFile(
                video_id=video_id,
                path=path,
                size=size,
                width=width,
                height=height,
                format=format_,
                container=container,
            )
        )
        if len(batch) >= BATCH:
            VideoFile.objects.bulk_create(batch)
            batch = []
    VideoFile.objects.bulk_create(batch)


def video_columns_from_files(apps, schema_editor):
    Video = apps.get_model("videos", "Video")
    VideoFile = apps.get_model("videos", "VideoFile")
    for file in VideoFile.objects.order_by("id").iterator():
        Video.objects.filter(pk=file.video_id).update(
            file_path=file.path,
            file_size=file.size,
            width=file.width,
            height=file.height,
            format=file.format,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("videos", "0003_titles_without_bidi_controls"),
    ]

    operations = [
        migrations.CreateModel(
            name="VideoFile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("path", models.CharField(max_length=1024)),
                ("size", models.BigIntegerField(blank=True, null=True)),
                ("width", models.PositiveIntegerField(blank=True, null=True)),
                ("height", models.PositiveIntegerField(blank=True, null=True)),
                ("video_codec", models.CharField(blank=True, max_length=64)),
                ("audio_codec", models.CharField(blank=True, max_length=64)),
                ("container", models.CharField(blank=True, max_length=16)),
                ("format", models.CharField(blank=True, max_length=255)),
                ("sidecars", models.JSONField(blank=True, default=list)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "video",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="file",
                        to="videos.video",
                    ),
                ),
            ],
        ),
        migrations.RunPython(files_from_video_columns, video_columns_from_files),
    ]

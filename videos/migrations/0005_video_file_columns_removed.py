"""The video's file columns go: ``VideoFile`` holds them since 0004.

A migration of its own: PostgreSQL refuses to alter a table in the transaction that just
wrote rows pointing at it (deferred foreign-key checks are pending).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("videos", "0004_videofile"),
    ]

    operations = [
        migrations.RemoveField(model_name="video", name="file_path"),
        migrations.RemoveField(model_name="video", name="file_size"),
        migrations.RemoveField(model_name="video", name="format"),
        migrations.RemoveField(model_name="video", name="height"),
        migrations.RemoveField(model_name="video", name="width"),
    ]

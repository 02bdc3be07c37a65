"""Upgrading starts no download: existing artists stop being monitored; the "Any" profile
becomes the default; every video already marked ignored gets its ignore-list entry."""

from django.db import migrations

VIDEO_QUALITIES = ["2160p", "1440p", "1080p", "720p", "480p", "360p"]


def forwards(apps, schema_editor):
    Artist = apps.get_model("videos", "Artist")
    QualityProfile = apps.get_model("videos", "QualityProfile")
    Video = apps.get_model("videos", "Video")
    IgnoredEntry = apps.get_model("videos", "IgnoredEntry")

    Artist.objects.update(monitored=False, monitored_since=None)
    if not QualityProfile.objects.filter(is_default=True).exists():
        QualityProfile.objects.create(
            name="Any", qualities=VIDEO_QUALITIES, cutoff="", container="any", is_default=True
        )
    for video in Video.objects.filter(status="ignored").iterator():
        keyed = bool(video.extractor and video.source_id)
        IgnoredEntry.objects.get_or_create(
            video=video,
            defaults={
                "extractor": video.extractor if keyed else "",
                "source_id": video.source_id if keyed else "",
                "url": "" if keyed else video.source_url,
                "title": video.title,
                "artist_id": video.artist_id,
                "reason": "Marked ignored before the ignore list existed",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("videos", "0006_profiles_sources_ignore_list")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""The library's lists read in their order from an index: videos newest first (whole, by
status, by artist: the status index becomes the first part of its ordered one) and artists by
sort name. At 100,000 videos a page was a sort of the whole library."""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('videos', '0013_title_search'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='video',
            name='videos_vide_status_107761_idx',
        ),
        migrations.AddIndex(
            model_name='artist',
            index=models.Index(django.db.models.functions.text.Lower('sort_name'), django.db.models.functions.text.Lower('name'), models.F('id'), name='artist_sort_order'),
        ),
        migrations.AddIndex(
            model_name='video',
            index=models.Index(fields=['created_at', 'id'], name='video_newest'),
        ),
        migrations.AddIndex(
            model_name='video',
            index=models.Index(fields=['status', 'created_at', 'id'], name='video_status_newest'),
        ),
        migrations.AddIndex(
            model_name='video',
            index=models.Index(fields=['artist', 'created_at', 'id'], name='video_artist_newest'),
        ),
    ]

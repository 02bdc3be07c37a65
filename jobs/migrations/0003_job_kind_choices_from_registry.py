# The kind column's choices and the one-active-download constraint, from jobs/kinds.py.

import jobs.kinds
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        # Only jobs 0002: a test that migrates videos back must not take this one with it.
        ('jobs', '0002_rename_downloadjob_to_job'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='job',
            name='one_active_download_per_video',
        ),
        migrations.AlterField(
            model_name='job',
            name='kind',
            field=models.CharField(choices=jobs.kinds.choices, max_length=32),
        ),
        migrations.AddConstraint(
            model_name='job',
            constraint=models.UniqueConstraint(condition=models.Q(('kind__in', ['video_download']), ('status__in', ['queued', 'processing'])), fields=('video',), name='one_active_download_per_video'),
        ),
    ]

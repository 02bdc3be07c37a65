# Who started a job: a user, the scheduler or MVidarr itself; existing rows were a user's.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('jobs', '0003_job_kind_choices_from_registry'),
    ]

    operations = [
        migrations.AddField(
            model_name='job',
            name='origin',
            field=models.CharField(choices=[('user', 'User'), ('schedule', 'Schedule'), ('system', 'System')], default='user', max_length=16),
        ),
    ]

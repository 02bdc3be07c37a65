"""DownloadJob becomes Job: most of the kinds to come download nothing.

The rows stay (the table is renamed), the content type is renamed by Django's
contenttypes (it follows RenameModel), and the permissions move to the new codenames
so that groups and users keep what they were granted.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

ACTIONS = ("add", "change", "delete", "view")


def rename_permissions(apps, schema_editor, old="downloadjob", new="job", label="job"):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    # `manage.py migrate` renames the content type itself right after RenameModel; a
    # migration run by other means (MigrationExecutor) does not, so do it here when needed.
    if not ContentType.objects.filter(app_label="jobs", model=new).exists():
        ContentType.objects.filter(app_label="jobs", model=old).update(model=new)
    content_type = ContentType.objects.filter(app_label="jobs", model=new).first()
    if content_type is None:  # a new database: post_migrate creates them
        return
    for action in ACTIONS:
        Permission.objects.filter(content_type=content_type, codename=f"{action}_{old}").update(
            codename=f"{action}_{new}", name=f"Can {action} {label}"
        )


def restore_permissions(apps, schema_editor):
    rename_permissions(apps, schema_editor, old="job", new="downloadjob", label="download job")


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel(old_name="DownloadJob", new_name="Job"),
        migrations.RenameIndex(
            model_name="job",
            new_name="jobs_job_user_id_ec4047_idx",
            old_name="jobs_downlo_user_id_9a0b99_idx",
        ),
        migrations.RenameIndex(
            model_name="job",
            new_name="jobs_job_status_84c7a0_idx",
            old_name="jobs_downlo_status_b9cdaf_idx",
        ),
        migrations.AlterField(
            model_name="job",
            name="user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="jobs",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="job",
            name="parent",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="children",
                to="jobs.job",
            ),
        ),
        migrations.RunPython(rename_permissions, restore_permissions),
    ]

"""The newest job of one kind is read from an index on (kind, id): the library's and an
artist's "Refresh metadata" panel looked for the last metadata_refresh by reading every job
backwards, half a second at a million job rows."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("jobs", "0011_item_counts")]

    operations = [
        migrations.AddIndex(
            model_name="job",
            index=models.Index(fields=["kind", "id"], name="job_kind_newest"),
        ),
    ]

"""PostgreSQL reads the library's newest-first year and longest-first duration sorts from an
index too (``videos.listing``: what a video lacks comes last, ``DESC NULLS LAST``).

A plain B-tree index read backwards gives ``DESC NULLS FIRST`` on PostgreSQL, so those two
sorts sorted the whole library (80-100 ms a page at 100,000 videos); SQLite's NULLs sort
first, and its ``video_year_order`` read backwards already is ``DESC NULLS LAST``. SQLite has
no ``NULLS LAST`` in an index, hence only on PostgreSQL, as raw SQL (the models do not know
these indexes, as they do not know the search's in 0013).
"""

from django.db import migrations

INDEXES = (
    ("video_year_newest", "year"),
    ("video_duration_longest", "duration"),
)


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "videos_video" '
            f'("{column}" DESC NULLS LAST, "id" DESC)'
        )


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("videos", "0016_title_order_index")]

    operations = [migrations.RunPython(create, drop)]

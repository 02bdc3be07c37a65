"""The library's title and artist search gets an index that serves a substring search.

A search matches when its key (``videos.name_keys``) is part of a video's ``title_key`` or of
its artist's ``name_key`` (``videos.search``). ``LIKE '%…%'`` reads every row; a trigram index
finds the rows that hold each run of three characters of the query instead:

- SQLite: FTS5 tables with the ``trigram`` tokenizer (SQLite 3.34+), case-sensitive since the
  keys are already case-folded, whose content is the key column itself (``content=``: the
  text is not stored twice). Triggers keep them in step with every insert, key change and
  delete, whoever writes the row.
- PostgreSQL: ``pg_trgm`` GIN indexes on the key columns, which serve ``LIKE '%…%'``.

Caution (SQLite): a later migration that makes Django remake ``videos_video`` or
``videos_artist`` (an altered column) drops their triggers with the old table;
``tests/videos/test_search.py`` fails then, and that migration must create them again (``sqlite_triggers`` here)
again and rebuild the index.
"""

from django.db import migrations

# (table, key column, index table)
SEARCHED = (
    ("videos_video", "title_key", "videos_video_search"),
    ("videos_artist", "name_key", "videos_artist_search"),
)


def sqlite_create(table: str, column: str, index: str) -> list[str]:
    return [
        f"CREATE VIRTUAL TABLE {index} USING fts5({column}, content='{table}', "
        f"content_rowid='id', tokenize='trigram case_sensitive 1')",
        *sqlite_triggers(table, column, index),
        f"INSERT INTO {index}({index}) VALUES ('rebuild')",
    ]


def sqlite_triggers(table: str, column: str, index: str) -> list[str]:
    remove = f"INSERT INTO {index}({index}, rowid, {column}) VALUES ('delete', old.id, old.{column});"
    add = f"INSERT INTO {index}(rowid, {column}) VALUES (new.id, new.{column});"
    return [
        f"CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN {add} END",
        f"CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN {remove} END",
        f"CREATE TRIGGER {index}_update AFTER UPDATE OF {column} ON {table} "
        f"WHEN old.{column} IS NOT new.{column} BEGIN {remove} {add} END",
    ]


def sqlite_drop(table: str, column: str, index: str) -> list[str]:
    return [
        *(f"DROP TRIGGER IF EXISTS {index}_{event}" for event in ("insert", "delete", "update")),
        f"DROP TABLE IF EXISTS {index}",
    ]


def postgresql_create(table: str, column: str, index: str) -> list[str]:
    return [f"CREATE INDEX {index}_trgm ON {table} USING gin ({column} gin_trgm_ops)"]


def postgresql_drop(table: str, column: str, index: str) -> list[str]:
    return [f"DROP INDEX IF EXISTS {index}_trgm"]


def _run(schema_editor, statements) -> None:
    for statement in statements:
        schema_editor.execute(statement, params=None)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, ["CREATE EXTENSION IF NOT EXISTS pg_trgm"])
    for searched in SEARCHED:
        if vendor == "sqlite":
            _run(schema_editor, sqlite_create(*searched))
        elif vendor == "postgresql":
            _run(schema_editor, postgresql_create(*searched))


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for searched in SEARCHED:
        if vendor == "sqlite":
            _run(schema_editor, sqlite_drop(*searched))
        elif vendor == "postgresql":
            _run(schema_editor, postgresql_drop(*searched))


class Migration(migrations.Migration):
    dependencies = [("videos", "0012_name_keys")]

    operations = [migrations.RunPython(create, drop, elidable=False)]

"""videos 0011: existing artists and videos get their name keys; artists that only the old,
ASCII-only rule told apart are kept, the later one renamed; and the migration goes back."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("videos", "0011_artist_image_url")]
AFTER = [("videos", "0012_name_keys")]


def test_existing_rows_get_their_keys_and_a_case_duplicate_is_renamed_not_lost(migrator):
    apps = migrator.loader.project_state(BEFORE).apps
    Artist, Video = apps.get_model("videos", "Artist"), apps.get_model("videos", "Video")
    bjork = Artist.objects.create(name="Björk")
    # Straße and STRASSE differ for LOWER() on SQLite and PostgreSQL alike.
    strasse = Artist.objects.create(name="Straße")
    shouting = Artist.objects.create(name="STRASSE")
    video = Video.objects.create(title="Army  of ME", artist=bjork)
    other = Video.objects.create(title="Blaue Straße", artist=shouting)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    apps = executor.loader.project_state(AFTER).apps
    Artist, Video = apps.get_model("videos", "Artist"), apps.get_model("videos", "Video")
    keys = dict(Artist.objects.values_list("pk", "name_key"))
    assert keys[bjork.pk] == "björk"
    assert keys[strasse.pk] == "strasse"
    renamed = Artist.objects.get(pk=shouting.pk)
    assert (renamed.name, renamed.name_key) == (
        f"STRASSE (#{shouting.pk})",
        f"strasse (#{shouting.pk})",
    )
    assert Video.objects.get(pk=video.pk).title_key == "army of me"
    assert Video.objects.get(pk=other.pk).artist_id == shouting.pk

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # back: the keys go, the old constraint returns
    apps = executor.loader.project_state(BEFORE).apps
    assert apps.get_model("videos", "Artist").objects.count() == 3

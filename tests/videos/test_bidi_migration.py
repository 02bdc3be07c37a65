"""videos 0003: titles and names stored before the bidi rule lose their bidi controls."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("videos", "0002_source_url_http_only")]
AFTER = [("videos", "0003_titles_without_bidi_controls")]


def test_stored_titles_and_names_lose_their_bidi_controls_and_nothing_else(migrator):
    apps = migrator.loader.project_state(BEFORE).apps
    Artist, Video = apps.get_model("videos", "Artist"), apps.get_model("videos", "Video")
    artist = Artist.objects.create(name="Ev\u202eil", sort_name="\u2066Evil\u2069")
    hostile = Video.objects.create(title="clip\u202e4pm.exe", artist=artist)
    plain = Video.objects.create(title="Hyperballad \u00e9\u200d", artist=artist)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    apps = executor.loader.project_state(AFTER).apps
    Artist, Video = apps.get_model("videos", "Artist"), apps.get_model("videos", "Video")
    assert Video.objects.get(pk=hostile.pk).title == "clip4pm.exe"
    assert Video.objects.get(pk=plain.pk).title == "Hyperballad \u00e9\u200d"
    artist = Artist.objects.get(pk=artist.pk)
    assert (artist.name, artist.sort_name) == ("Evil", "Evil")

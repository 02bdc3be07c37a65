"""Upgrading to monitored artists starts no download: existing artists stop being monitored,
the "Any" profile becomes the default, and videos marked ignored join the ignore list."""

from __future__ import annotations

from django.core.management import call_command

BEFORE = [("videos", "0005_video_file_columns_removed")]
AFTER = [("videos", "0007_unmonitor_artists_default_profile_ignored")]


def test_the_upgrade_leaves_existing_artists_unmonitored(migrator):
    old = migrator.loader.project_state(BEFORE).apps
    Artist = old.get_model("videos", "Artist")
    Artist.objects.create(name="Björk", monitored=True)
    Artist.objects.create(name="Robyn", monitored=False)

    call_command("migrate", "videos", AFTER[0][1], verbosity=0)

    new = migrator.loader.project_state(AFTER).apps
    artists = new.get_model("videos", "Artist").objects.order_by("name")
    assert [(a.name, a.monitored, a.monitored_since) for a in artists] == [
        ("Björk", False, None),
        ("Robyn", False, None),
    ]


def test_the_upgrade_makes_any_the_default_profile(migrator):
    call_command("migrate", "videos", AFTER[0][1], verbosity=0)

    new = migrator.loader.project_state(AFTER).apps
    profile = new.get_model("videos", "QualityProfile").objects.get(is_default=True)
    assert (profile.name, profile.cutoff, profile.container) == ("Any", "", "any")
    assert profile.qualities == ["2160p", "1440p", "1080p", "720p", "480p", "360p"]


def test_videos_marked_ignored_before_get_ignore_entries(migrator):
    old = migrator.loader.project_state(BEFORE).apps
    Video = old.get_model("videos", "Video")
    keyed = Video.objects.create(
        source_url="https://example.com/a", extractor="youtube", source_id="abc", status="ignored"
    )
    unkeyed = Video.objects.create(source_url="https://example.com/b", status="ignored")
    Video.objects.create(source_url="https://example.com/c", status="wanted")

    call_command("migrate", "videos", AFTER[0][1], verbosity=0)

    new = migrator.loader.project_state(AFTER).apps
    entries = new.get_model("videos", "IgnoredEntry").objects.order_by("video_id")
    assert [(e.video_id, e.extractor, e.source_id, e.url) for e in entries] == [
        (keyed.pk, "youtube", "abc", ""),
        (unkeyed.pk, "", "", "https://example.com/b"),
    ]

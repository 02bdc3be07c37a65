"""Migration 0011 counts the items of the bulk jobs that exist, by status."""

from __future__ import annotations

from django.core.management import call_command

BEFORE = [("jobs", "0010_history_metadata_changed")]
AFTER = [("jobs", "0011_item_counts")]
ITEMS = {"queued": 2, "processing": 1, "completed": 3, "failed": 1, "cancelled": 2}


def test_the_migration_counts_each_bulk_jobs_items_by_status(migrator):
    old = migrator.loader.project_state(BEFORE).apps.get_model("jobs", "Job")
    bulk = old.objects.create(kind="bulk_video_download", status="processing")
    empty = old.objects.create(kind="bulk_video_download", status="completed")
    for status, count in ITEMS.items():
        for _ in range(count):
            old.objects.create(kind="video_download", status=status, parent=bulk)

    call_command("migrate", "jobs", AFTER[0][1], verbosity=0)

    new = migrator.loader.project_state(AFTER).apps.get_model("jobs", "Job")
    counts = new.objects.values(
        "items_queued", "items_running", "items_completed", "items_failed", "items_cancelled"
    )
    assert counts.get(pk=bulk.pk) == {
        "items_queued": 2,
        "items_running": 1,
        "items_completed": 3,
        "items_failed": 1,
        "items_cancelled": 2,
    }
    assert set(counts.get(pk=empty.pk).values()) == {0}

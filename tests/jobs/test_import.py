"""Manual import: a scan lists each file with its match and problems and changes nothing;
applying rows makes videos with their files, named by the templates, never twice; a file
is imported whole or left untouched.

The jobs' messages run inline (the runner called until the job ends).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from jobs.models import HistoryEvent, ImportRow
from tests.jobs.import_folder import apply, make_import_folder, scan, snapshot
from videos.models import Artist, Video, VideoFile


@pytest.fixture
def clip(media_root, media_clips) -> Path:
    return media_root / media_clips["240p"]


@pytest.fixture
def import_root(settings, tmp_path) -> Path:
    root = tmp_path / "old-collection"
    root.mkdir()
    settings.IMPORT_ROOTS = [str(root), str(tmp_path / "not-there")]
    return root


@pytest.fixture
def folder(import_root, clip, tmp_path) -> dict[str, Path]:
    return make_import_folder(import_root, clip, tmp_path / "outside")


def table_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count() for model in (Video, VideoFile, Artist, HistoryEvent)
    }


def importable(rows: dict[str, ImportRow]) -> list[int]:
    return sorted(row.index for row in rows.values() if not row.problems)


def test_a_scan_lists_each_file_with_its_match_and_problems_and_changes_nothing(
    context, settings, library_root, folder, import_root, tmp_path, boss
):
    settings.IMPORT_PAGE_SIZE = 2  # several pages, each its own message
    army = Video.objects.create(
        source_url="https://videos.example/army", title="Army of Me", source_id="arMy0fMe01"
    )
    Video.objects.create(
        source_url="https://videos.example/glory", title="Glory Box", source_id="nfoGloryBox"
    )
    before, counts = snapshot(import_root, tmp_path / "outside", library_root), table_counts()

    job, rows = scan(import_root, "copy", context, boss)

    assert snapshot(import_root, tmp_path / "outside", library_root) == before
    assert table_counts() == counts
    assert sorted(row.index for row in rows.values()) == list(range(8))
    assert job.message == "Found 8 files (3 with problems)"
    named, by_id, nfo = (
        rows["Portishead - Roads.mp4"],
        rows[folder["id"].name],
        rows["described.mp4"],
    )
    assert (named.artist, named.title, named.source, named.problems) == (
        "Portishead",
        "Roads",
        "name",
        [],
    )
    assert (by_id.matched_video_id, by_id.source, by_id.title) == (army.pk, "name_id", "Army of Me")
    assert (nfo.artist, nfo.title, nfo.source, nfo.confidence) == (
        "Portishead",
        "Glory Box",
        "nfo",
        1.0,
    )
    assert nfo.matched_video.title == "Glory Box"
    tagged = rows["tagged.mp4"]
    assert (tagged.artist, tagged.title, tagged.source) == (
        "Massive Attack",
        "Unfinished Sympathy",
        "tags",
    )
    nested = rows["Teardrop.mkv"]
    assert (nested.artist, nested.title, nested.problems) == ("Massive Attack", "Teardrop", [])
    assert rows["notes.txt"].problems == [
        "not a video (ffmpeg cannot read notes.txt as audio or video: "
        "Invalid data found when processing input)"
    ]
    assert rows["Broken - Cut Short.mp4"].problems[0].startswith("truncated")
    assert "outside the folders an import may read" in rows["escape.mp4"].problems[0]


def test_applying_rows_imports_each_file_named_by_the_templates_and_twice_changes_nothing(
    context, library_root, folder, import_root, boss
):
    job, rows = scan(import_root, "copy", context, boss)
    good = importable(rows)
    assert len(good) == 5

    done = apply(job, good, context, boss)

    assert done.status == "completed", done.error
    assert done.message == "Imported 5 files"
    files = {f.path: f for f in VideoFile.objects.select_related("video__artist")}
    roads = next(f for f in files.values() if f.video.title == "Roads")
    assert roads.path == f"Portishead/Roads [{roads.video_id}].mp4"
    assert (roads.height, roads.width, roads.container) == (240, 426, "mp4")
    assert roads.video.status == "downloaded" and roads.video.artist.name == "Portishead"
    assert (library_root / roads.path).read_bytes() == folder["named"].read_bytes()
    assert "Massive Attack/Teardrop [" in " ".join(files)
    assert "Army of Me [arMy0fMe01].mp4" in " ".join(files)
    assert HistoryEvent.objects.filter(event="imported").count() == 5
    assert folder["named"].exists()  # copied, not moved

    before, counts = snapshot(library_root, import_root), table_counts()
    again = apply(job, good, context, boss)

    assert again.status == "completed"
    assert again.message.startswith("Imported 0 files, skipped 5")
    assert (snapshot(library_root, import_root), table_counts()) == (before, counts)
    _, rescanned = scan(import_root, "copy", context, boss)
    assert rescanned["Portishead - Roads.mp4"].problems == [
        f"already in the library as #{roads.video_id}"
    ]


def test_a_row_whose_video_has_a_file_by_now_is_skipped_with_the_reason(
    context, library_root, folder, import_root, boss
):
    job, rows = scan(import_root, "copy", context, boss)
    named = rows["Portishead - Roads.mp4"]
    other, _ = scan(import_root, "copy", context, boss)
    apply(other, [named.index], context, boss)
    counts = table_counts()

    done = apply(job, [named.index], context, boss)

    assert done.message.startswith("Imported 0 files, skipped 1 (row")
    assert "already in the library as #" in done.message
    assert table_counts() == counts


def test_move_takes_the_file_away_and_hardlink_shares_it(
    context, library_root, folder, import_root, boss
):
    job, rows = scan(import_root, "move", context, boss)
    apply(job, [rows["Portishead - Roads.mp4"].index], context, boss)
    linked, rows = scan(import_root, "hardlink", context, boss)
    apply(linked, [rows["Teardrop.mkv"].index], context, boss)

    assert not folder["named"].exists()
    moved = VideoFile.objects.get(video__title="Roads")
    assert (library_root / moved.path).is_file()
    teardrop = VideoFile.objects.get(video__title="Teardrop")
    assert os.path.samefile(library_root / teardrop.path, folder["nested"])
    assert teardrop.container == "mkv"


def test_in_place_renames_a_loose_library_file_and_is_refused_outside_the_library(
    context, library_root, clip, import_root, boss
):
    loose = library_root / "unsorted" / "Björk - Hyperballad.mp4"
    loose.parent.mkdir()
    shutil.copyfile(clip, loose)
    job, rows = scan(library_root / "unsorted", "in_place", context, boss)

    apply(job, [rows[loose.name].index], context, boss)

    video_file = VideoFile.objects.get(video__title="Hyperballad")
    assert video_file.path == f"Björk/Hyperballad [{video_file.video_id}].mp4"
    assert not loose.exists() and (library_root / video_file.path).is_file()


def test_a_failure_half_way_leaves_the_file_untouched_and_no_video(
    context, library_root, folder, import_root, boss
):
    job, rows = scan(import_root, "move", context, boss)
    before, counts = snapshot(import_root), table_counts()
    (library_root / ".incoming").write_text("in the way: no staging folder can be made")

    done = apply(job, [rows["Portishead - Roads.mp4"].index], context, boss)

    assert done.message.startswith("Imported 0 files, skipped 1")
    assert (snapshot(import_root), table_counts()) == (before, counts)
    assert (
        ImportRow.objects.get(job=job, index=rows["Portishead - Roads.mp4"].index).applied is False
    )


def test_a_row_with_a_problem_is_not_imported(context, library_root, folder, import_root, boss):
    job, rows = scan(import_root, "copy", context, boss)
    bad = [rows[name].index for name in ("notes.txt", "Broken - Cut Short.mp4", "escape.mp4")]
    counts = table_counts()

    done = apply(job, bad, context, boss)

    assert done.message.startswith("Imported 0 files, skipped 3")
    assert table_counts() == counts

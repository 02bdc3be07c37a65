"""The library rename job: every file of a bundle moves or none does, a second run changes
nothing, no other file is ever overwritten, and nothing outside the library is touched.

The job's messages run inline (``rename_to_the_end``: the runner called until the job ends).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jobs.models import HistoryEvent, Job
from jobs.services.control import job_retry
from jobs.services.rename import LibraryRenameRunning, library_rename_submit
from jobs.worker.rename import run_rename
from tests.support import frozen
from videos.library.rename import rename_preview
from videos.library.templates import DEFAULT_TEMPLATE, PRESETS, NamingTemplate
from videos.models import Artist, Video, VideoFile

JELLYFIN = next(preset.template for preset in PRESETS if preset.name == "jellyfin")


def rename_to_the_end(context, template: NamingTemplate = JELLYFIN, *, user=None) -> Job:
    """Start a rename and run its messages inline until it ends."""
    job = library_rename_submit(template=template, user=user, origin=Job.Origin.SYSTEM)
    return run_to_the_end(job, context)


def run_to_the_end(job: Job, context) -> Job:
    for _ in range(100):
        run_rename(job.pk, context=context)
        job.refresh_from_db()
        if job.status in Job.FINISHED_STATUSES:
            return job
    raise AssertionError(f"job {job.pk} did not end: {job.status} {job.message}")


def in_library(root: Path, artist: str, title: str, source_id: str, *, sidecars=True):
    """A video whose file (and, with ``sidecars``, its .nfo and -thumb.jpg) is in the
    library under today's default name."""
    artist_row, _ = Artist.objects.get_or_create(name=artist, defaults={"folder_name": artist})
    video = Video.objects.create(
        source_url=f"https://videos.example/{source_id}",
        title=title,
        source_id=source_id,
        artist=artist_row,
    )
    path = f"{artist}/{title} [{source_id}].mp4"
    suffixes = [".nfo", "-thumb.jpg"] if sidecars else []
    (root / artist).mkdir(exist_ok=True)
    (root / path).write_bytes(f"media of {title}".encode())
    for suffix in suffixes:
        (root / path).with_name(f"{title} [{source_id}]{suffix}").write_bytes(
            f"{suffix} of {title}".encode()
        )
    VideoFile.objects.create(video=video, path=path, container="mp4", sidecars=suffixes)
    return video


def files_in(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".trash" not in p.parts
    }


def test_each_bundle_moves_to_its_new_name_with_a_history_row_per_video(context, library_root):
    army = in_library(library_root, "Björk", "Army of Me", "x1")
    Video.objects.filter(pk=army.pk).update(title="Army of Me")
    in_library(library_root, "Portishead", "Roads", "x2", sidecars=False)

    job = rename_to_the_end(context, NamingTemplate("{artist}", "{title}"))

    assert job.status == "completed", job.error
    assert job.message == "Renamed 2 files"
    assert files_in(library_root) == {
        "Björk/Army of Me.mp4": b"media of Army of Me",
        "Björk/Army of Me.nfo": b".nfo of Army of Me",
        "Björk/Army of Me-thumb.jpg": b"-thumb.jpg of Army of Me",
        "Portishead/Roads.mp4": b"media of Roads",
    }
    assert sorted(VideoFile.objects.values_list("path", flat=True)) == [
        "Björk/Army of Me.mp4",
        "Portishead/Roads.mp4",
    ]
    renamed = HistoryEvent.objects.filter(event="renamed", video=army).get()
    assert renamed.data == {"old": "Björk/Army of Me [x1].mp4", "new": "Björk/Army of Me.mp4"}
    assert renamed.job_id == job.pk


def test_a_second_run_changes_nothing(context, library_root):
    for number in range(3):
        in_library(library_root, "Björk", "Army of Me", f"x{number}")  # three of one name
    first = rename_to_the_end(context, NamingTemplate("{artist}", "{title}"))
    after_first = files_in(library_root)

    second = rename_to_the_end(context, NamingTemplate("{artist}", "{title}"))

    assert (first.status, second.status) == ("completed", "completed")
    assert set(after_first) == {
        "Björk/Army of Me (2).mp4",
        "Björk/Army of Me (2).nfo",
        "Björk/Army of Me (2)-thumb.jpg",
        "Björk/Army of Me (3).mp4",
        "Björk/Army of Me (3).nfo",
        "Björk/Army of Me (3)-thumb.jpg",
        "Björk/Army of Me.mp4",
        "Björk/Army of Me.nfo",
        "Björk/Army of Me-thumb.jpg",
    }
    assert files_in(library_root) == after_first
    assert second.message == "Renamed 0 files"
    assert HistoryEvent.objects.filter(event="renamed", job=second).count() == 0


def test_the_default_template_renames_nothing_in_a_library_named_as_before(context, library_root):
    in_library(library_root, "Björk", "Army of Me", "x1")
    before = files_in(library_root)
    job = rename_to_the_end(context, DEFAULT_TEMPLATE)
    assert (job.status, job.message) == ("completed", "Renamed 0 files")
    assert files_in(library_root) == before


def test_a_read_only_folder_half_way_leaves_its_files_their_old_names(context, library_root, boss):
    in_library(library_root, "Air", "Sexy Boy", "x1")
    in_library(library_root, "Björk", "Army of Me", "x2")
    in_library(library_root, "Cure", "Lullaby", "x3")
    before = files_in(library_root)

    with frozen(library_root / "Björk"):
        job = rename_to_the_end(context, NamingTemplate("{artist}", "{title}"))

    assert job.status == "failed"
    assert "Renamed 2 files; 1 could not be renamed and keep their names" in job.error
    assert "Björk/Army of Me [x2].mp4" in job.error
    after = files_in(library_root)
    assert {path: data for path, data in after.items() if path.startswith("Björk/")} == {
        path: data for path, data in before.items() if path.startswith("Björk/")
    }
    assert "Air/Sexy Boy.mp4" in after and "Cure/Lullaby-thumb.jpg" in after
    assert VideoFile.objects.get(video__title="Army of Me").path == "Björk/Army of Me [x2].mp4"
    assert not HistoryEvent.objects.filter(event="renamed", video__title="Army of Me").exists()

    retried = run_to_the_end(job_retry(job=job, user=boss), context)  # the folder is writable again

    assert retried.status == "completed", retried.error
    assert "Björk/Army of Me.nfo" in files_in(library_root)


def test_a_sidecar_that_cannot_move_puts_the_media_file_back(context, library_root):
    in_library(library_root, "Björk", "Army of Me", "x1")
    before = files_in(library_root)

    with frozen(library_root / "Björk" / "Army of Me [x1]-thumb.jpg"):
        job = rename_to_the_end(context, NamingTemplate("{artist}", "{title}"))

    assert job.status == "failed"
    assert files_in(library_root) == before  # the media file had moved: it is back
    assert VideoFile.objects.get().path == "Björk/Army of Me [x1].mp4"


def test_a_rename_never_overwrites_another_videos_file_or_a_stray_file(context, library_root):
    in_library(library_root, "Band", "Song", "a")
    keeper = in_library(library_root, "Band", "Other", "b", sidecars=False)
    VideoFile.objects.filter(video=keeper).update(path="Band/Song.mkv")  # another video's
    os.replace(library_root / "Band/Other [b].mp4", library_root / "Band/Song.mkv")
    Video.objects.filter(pk=keeper.pk).update(title="Song")
    in_library(library_root, "Band", "Third", "c")
    (library_root / "Band/Third.nfo").write_bytes(b"a stray file")  # in a sidecar's way

    job = rename_to_the_end(context, NamingTemplate("{artist}", "{title}"))

    assert job.status == "completed", job.error
    after = files_in(library_root)
    assert after["Band/Song.mkv"] == b"media of Other"
    assert after["Band/Song (2).mp4"] == b"media of Song"
    assert after["Band/Song (2).nfo"] == b".nfo of Song"
    assert after["Band/Third.nfo"] == b"a stray file"
    assert after["Band/Third (2).nfo"] == b".nfo of Third"


def test_a_name_freed_later_in_the_run_is_taken_in_a_second_round(context, library_root):
    first = in_library(library_root, "Band", "Song", "a", sidecars=False)
    second = in_library(library_root, "Band", "Song", "b", sidecars=False)
    # The second video holds the first's new name now, and moves away from it.
    VideoFile.objects.filter(video=second).update(path="Band/Song.mp4")
    os.replace(library_root / "Band/Song [b].mp4", library_root / "Band/Song.mp4")
    Video.objects.filter(pk=second.pk).update(title="Another")
    template = NamingTemplate("{artist}", "{title}")

    job = rename_to_the_end(context, template)
    again = rename_to_the_end(context, template)

    assert sorted(files_in(library_root)) == ["Band/Another.mp4", "Band/Song.mp4"]
    assert VideoFile.objects.get(video=first).path == "Band/Song.mp4"
    assert VideoFile.objects.get(video=second).path == "Band/Another.mp4"
    assert (job.status, again.message) == ("completed", "Renamed 0 files")


def test_a_move_cut_short_by_a_crash_is_put_back_and_done_again(context, library_root):
    in_library(library_root, "Björk", "Army of Me", "x1")
    job = library_rename_submit(
        template=NamingTemplate("{artist}", "{title}"), user=None, origin=Job.Origin.SYSTEM
    )
    # The worker died after moving the media file, before its sidecars and the commit.
    os.replace(library_root / "Björk/Army of Me [x1].mp4", library_root / "Björk/Army of Me.mp4")
    note = {
        "old": "Björk/Army of Me [x1].mp4",
        "new": "Björk/Army of Me.mp4",
        "sidecars": [".nfo", "-thumb.jpg"],
    }
    Job.objects.filter(pk=job.pk).update(options={**job.options, "moving": note})

    job = run_to_the_end(job, context)

    assert job.status == "completed", job.error
    assert files_in(library_root) == {
        "Björk/Army of Me.mp4": b"media of Army of Me",
        "Björk/Army of Me.nfo": b".nfo of Army of Me",
        "Björk/Army of Me-thumb.jpg": b"-thumb.jpg of Army of Me",
    }
    assert VideoFile.objects.get().path == "Björk/Army of Me.mp4"
    assert "moving" not in job.options


def test_a_file_recorded_outside_the_library_is_left_alone(context, library_root):
    outside = library_root.parent / "outside.mp4"
    outside.write_bytes(b"not ours")
    video = Video.objects.create(source_url="https://videos.example/o", title="Outside")
    VideoFile.objects.create(video=video, path="../outside.mp4")

    job = rename_to_the_end(context, NamingTemplate("{artist}", "{title}"))

    assert job.status == "completed", job.error
    assert outside.read_bytes() == b"not ours"
    assert VideoFile.objects.get().path == "../outside.mp4"


def test_a_folder_a_rename_empties_is_removed(context, library_root):
    in_library(library_root, "Björk", "Army of Me", "x1")
    job = rename_to_the_end(context, NamingTemplate("", "{artist} - {title}"))
    assert job.status == "completed", job.error
    assert sorted(p.name for p in library_root.iterdir() if p.name != ".trash") == [
        "Björk - Army of Me-thumb.jpg",
        "Björk - Army of Me.mp4",
        "Björk - Army of Me.nfo",
    ]


def test_one_rename_at_a_time(transactional_db, library_root):
    library_rename_submit(template=JELLYFIN, user=None, origin=Job.Origin.SYSTEM)
    with pytest.raises(LibraryRenameRunning, match="already being renamed"):
        library_rename_submit(template=JELLYFIN, user=None, origin=Job.Origin.SYSTEM)


def test_the_preview_reads_a_large_library_in_a_fixed_number_of_queries(
    db, library_root, django_assert_num_queries
):
    """Per-row queries would grow with the library: the preview's stay the same."""
    for number in range(60):
        in_library(library_root, f"Artist {number % 7}", f"Song {number}", f"x{number}")
    with django_assert_num_queries(2):  # the names taken, then the files with their videos
        items = rename_preview(NamingTemplate("{artist}", "{title}"))
    assert len(items) == 60
    assert items[0].new == "Artist 0/Song 0.mp4"


def test_a_videos_metadata_fills_the_tokens(db, library_root):
    video = in_library(library_root, "Björk", "Army of Me", "x1")
    Video.objects.filter(pk=video.pk).update(
        year=1995,
        album="Post",
        video_type="behind_the_scenes",
        featured_artists=["Skunk Anansie", "Tricky"],
        version_name="Director's cut",
    )
    VideoFile.objects.filter(video=video).update(height=1080, video_codec="avc1")
    template = NamingTemplate(
        "{artist_sort}/{album} ({year})",
        "{title} (feat. {featured}) [{version}] {video_type} {quality}-{plex_suffix}",
    )

    [item] = rename_preview(template)

    assert item.new == (
        "Björk/Post (1995)/Army of Me (feat. Skunk Anansie, Tricky) [Director's cut] "
        "Behind the scenes 1080p-behindthescenes.mp4"
    )

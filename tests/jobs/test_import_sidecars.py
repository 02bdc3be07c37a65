"""An imported file brings its sidecars along: its NFO, pictures and subtitles move (or are
copied) with it and are named after it, and the NFO's fields become the video's, as
"imported". A library folder that cannot be written fails its row with a sentence, leaves
nothing behind, and the other rows go on."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from jobs.models import HistoryEvent, ImportRow
from tests.jobs.import_folder import apply, scan, snapshot
from tests.media.clips import ffmpeg_exe
from tests.readonly import read_only_folder
from videos.library.artwork import video_artwork
from videos.models import Artist, Video, VideoFile

NFO = """<?xml version="1.0" encoding="UTF-8"?>
<musicvideo>
  <title>Roads</title>
  <artist>Portishead</artist>
  <artist>Beth Gibbons</artist>
  <album>Dummy</album>
  <year>1994</year>
  <genre>Trip hop</genre>
  <genre>Downtempo</genre>
  <director>Alexander Hemming</director>
  <plot>Filmed live.
The band in a studio.</plot>
  <uniqueid type="imvdb">121779</uniqueid>
  <uniqueid type="musicbrainz">not-a-mbid</uniqueid>
</musicvideo>
"""
SUBTITLES = "1\n00:00:00,000 --> 00:00:01,000\nHow can it feel this wrong\n"


@pytest.fixture
def clip(media_root, media_clips) -> Path:
    return media_root / media_clips["240p"]


@pytest.fixture
def import_root(settings, tmp_path) -> Path:
    root = tmp_path / "old-collection"
    root.mkdir()
    settings.IMPORT_ROOTS = [str(root)]
    return root


def picture(target: Path, colour: str) -> Path:
    command = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi"]
    command += ["-i", f"color={colour}:size=64x36", "-frames:v", "1", str(target)]
    subprocess.run(command, check=True)
    return target


def roads_with_sidecars(folder: Path, clip: Path) -> dict[str, Path]:
    """``Portishead - Roads.mp4`` and everything that describes it."""
    stem = folder / "Portishead - Roads"
    files = {
        "": Path(f"{stem}.mp4"),
        ".nfo": Path(f"{stem}.nfo"),
        "-thumb.jpg": Path(f"{stem}-thumb.jpg"),
        ".jpg": Path(f"{stem}.jpg"),
        ".srt": Path(f"{stem}.srt"),
        ".en.srt": Path(f"{stem}.en.srt"),
    }
    shutil.copyfile(clip, files[""])
    files[".nfo"].write_text(NFO)
    picture(files["-thumb.jpg"], "red")
    picture(folder / "poster.png", "blue").rename(files[".jpg"])  # a PNG named .jpg
    files[".srt"].write_text(SUBTITLES)
    files[".en.srt"].write_text(SUBTITLES.replace("wrong", "right"))
    return files


def test_an_imported_files_sidecars_move_with_it_named_after_it_and_its_nfo_fills_the_video(
    context, library_root, import_root, clip, boss
):
    files = roads_with_sidecars(import_root, clip)
    originals = {suffix: path.read_bytes() for suffix, path in files.items()}
    job, rows = scan(import_root, "move", context, boss)
    assert list(rows) == ["Portishead - Roads.mp4"]  # the sidecars are no rows

    done = apply(job, [rows["Portishead - Roads.mp4"].index], context, boss)

    assert done.message == "Imported 1 file", done.message
    video_file = VideoFile.objects.select_related("video__artist").get()
    video = video_file.video
    media = library_root / video_file.path
    assert video_file.path == f"Portishead/Roads [{video.pk}].mp4"
    assert sorted(video_file.sidecars) == sorted(suffix for suffix in files if suffix)
    assert not any(path.exists() for path in files.values())  # moved, all of them
    beside = {suffix: media.with_name(media.stem + suffix) for suffix in files if suffix}
    for suffix in (".srt", ".en.srt", ".jpg"):
        assert beside[suffix].read_bytes() == originals[suffix]
    # The picture that came with it is the artwork and its -thumb.jpg, not a frame.
    assert beside["-thumb.jpg"].read_bytes() == originals["-thumb.jpg"]
    assert video_artwork(video).read_bytes() == originals["-thumb.jpg"]

    assert (video.title, video.artist.name, video.album, video.year) == (
        "Roads",
        "Portishead",
        "Dummy",
        1994,
    )
    assert (video.genres, video.directors) == (["Trip hop", "Downtempo"], ["Alexander Hemming"])
    assert video.featured_artists == ["Beth Gibbons"]
    assert video.plot == "Filmed live.\nThe band in a studio."
    assert video.provider_ids == {"imvdb": "121779"}  # the malformed MusicBrainz id left out
    assert set(video.field_sources.values()) == {"imported"}
    assert {"title", "artist", "album", "year", "genres", "plot"} <= set(video.field_sources)
    # The NFO in the library is MVidarr's, written from those fields.
    nfo = ElementTree.fromstring(beside[".nfo"].read_bytes())
    assert nfo.findtext("album") == "Dummy" and nfo.findtext("year") == "1994"
    assert nfo.findtext("thumb") == beside["-thumb.jpg"].name
    assert [e.text for e in nfo.findall("artist")] == ["Portishead", "Beth Gibbons"]
    event = HistoryEvent.objects.get(event="imported")
    assert event.data["sidecars"] == sorted(video_file.sidecars)


def test_a_field_set_by_hand_stays_and_the_nfo_fills_the_rest(
    context, library_root, import_root, clip, boss
):
    roads_with_sidecars(import_root, clip)
    wanted = Video.objects.create(
        source_url="",
        added_without_url=True,
        title="Roads",
        artist=Artist.objects.create(name="Portishead"),
        album="Dummy (Deluxe)",
        provider_ids={"imvdb": "121779"},
        field_sources={"title": "user", "artist": "user", "album": "user"},
    )
    job, rows = scan(import_root, "copy", context, boss)
    assert rows["Portishead - Roads.mp4"].matched_video_id == wanted.pk

    apply(job, [rows["Portishead - Roads.mp4"].index], context, boss)

    wanted.refresh_from_db()
    assert wanted.current_file is not None
    assert (wanted.album, wanted.year) == ("Dummy (Deluxe)", 1994)
    assert wanted.field_sources["album"] == "user" and wanted.field_sources["year"] == "imported"
    assert wanted.field_sources["title"] == "user"


def test_a_read_only_library_folder_fails_its_row_with_a_sentence_and_the_others_go_on(
    context, library_root, import_root, clip, boss
):
    roads_with_sidecars(import_root, clip)
    shutil.copyfile(clip, import_root / "Massive Attack - Teardrop.mp4")
    (library_root / "Portishead").mkdir()
    job, rows = scan(import_root, "move", context, boss)
    before = snapshot(import_root)
    roads, teardrop = rows["Portishead - Roads.mp4"], rows["Massive Attack - Teardrop.mp4"]

    with read_only_folder(library_root / "Portishead"):
        done = apply(job, [roads.index, teardrop.index], context, boss)

    assert done.status == "completed"
    assert done.message.startswith("Imported 1 file, skipped 1 (row")
    roads.refresh_from_db()
    assert roads.applied is False
    assert roads.outcome.startswith(
        "Skipped: Portishead - Roads.mp4 could not be put into the library folder “Portishead”"
    )
    assert "Check that MVidarr may write there" in roads.outcome
    # Nothing of Roads anywhere: its files where they were, no row, nothing half-written.
    assert {k: v for k, v in snapshot(import_root).items() if "Teardrop" not in k} == {
        k: v for k, v in before.items() if "Teardrop" not in k
    }
    assert list((library_root / "Portishead").iterdir()) == []
    assert not (library_root / ".incoming").exists() or not any(
        (library_root / ".incoming").iterdir()
    )
    assert not Video.objects.filter(title="Roads").exists()
    assert not Artist.objects.filter(name="Portishead").exists()
    teardrop_file = VideoFile.objects.get(video__title="Teardrop")
    assert (library_root / teardrop_file.path).is_file()
    assert not (import_root / "Massive Attack - Teardrop.mp4").exists()
    assert ImportRow.objects.get(pk=teardrop.pk).applied is True

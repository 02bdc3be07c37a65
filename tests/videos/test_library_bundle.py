"""videos.library: a video's media file and its sidecars are stored, moved and deleted
together, inside the library, and a failed move leaves everything as it was."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.support import frozen
from videos import ytdlp
from videos.library import (
    SidecarKind,
    library_purge_old_trash,
    video_file_delete,
    video_file_move,
    video_file_path,
    video_file_sidecar_paths,
    video_file_store,
    video_file_write_sidecar,
)
from videos.library.naming import MAX_COMPONENT_BYTES
from videos.library.templates import DEFAULT_TEMPLATE, NameValues, NamingTemplate, relative_path
from videos.models import Artist, Video, VideoFile
from videos.services import video_delete, video_store_download

NFO = SidecarKind("nfo", ".nfo", "NFO file")
THUMB = SidecarKind("thumb", "-thumb.jpg", "thumbnail")

pytestmark = pytest.mark.django_db(transaction=True)  # purges run when the change commits


def download(library_root: Path, *, name: str = "clip.mp4", data: bytes = b"media") -> Path:
    """A finished download in the incoming folder, as the runner has it before storing."""
    folder = library_root / ".incoming" / "1"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def result_for(path: Path, **info) -> ytdlp.DownloadResult:
    return ytdlp.DownloadResult(
        path=path,
        size=path.stat().st_size,
        height=720,
        width=1280,
        format="137+140 (mp4)",
        ext=path.suffix.lstrip("."),
        info=info,
        video_codec="h264",
        audio_codec="aac",
    )


def stored(library_root: Path, *, title="Army of Me", artist="Björk", data=b"media") -> Video:
    video = Video.objects.create(
        source_url="https://videos.example/army",
        title=title,
        source_id="x1",
        artist=Artist.objects.create(name=artist, folder_name=artist) if artist else None,
    )
    video_store_download(video=video, result=result_for(download(library_root, data=data)))
    return Video.objects.select_related("file").get(pk=video.pk)


def with_sidecars(video: Video) -> VideoFile:
    video_file_write_sidecar(video_file=video.file, kind=NFO, data=b"<musicvideo/>")
    video_file_write_sidecar(video_file=video.file, kind=THUMB, data=b"jpeg")
    return video.file


def files_in(root: Path) -> dict[str, bytes]:
    """Every file in the library (its incoming and trash folders included), by path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_stored_download_is_the_videos_file_at_artist_title_and_id(library_root):
    video = stored(library_root)
    assert files_in(library_root) == {"Björk/Army of Me [x1].mp4": b"media"}
    file = video.file
    assert (file.path, file.size, file.width, file.height) == (
        "Björk/Army of Me [x1].mp4",
        5,
        1280,
        720,
    )
    assert (file.video_codec, file.audio_codec, file.container) == ("h264", "aac", "mp4")
    # Its status is not the store's to write: it follows the file (tests/jobs/test_transitions).
    assert video_file_path(video) == library_root / "Björk/Army of Me [x1].mp4"


def test_sidecars_are_written_next_to_the_media_file_and_recorded(library_root):
    file = with_sidecars(stored(library_root))
    assert file.sidecars == [".nfo", "-thumb.jpg"]
    assert files_in(library_root) == {
        "Björk/Army of Me [x1].mp4": b"media",
        "Björk/Army of Me [x1].nfo": b"<musicvideo/>",
        "Björk/Army of Me [x1]-thumb.jpg": b"jpeg",
    }
    assert video_file_sidecar_paths(file) == [
        library_root / "Björk/Army of Me [x1].nfo",
        library_root / "Björk/Army of Me [x1]-thumb.jpg",
    ]


def test_moving_a_file_moves_its_sidecars_with_it(library_root):
    file = with_sidecars(stored(library_root))
    video_file_move(video_file=file, to="Bjork/Army of Me (live) [x1].mp4")
    assert files_in(library_root) == {
        "Bjork/Army of Me (live) [x1].mp4": b"media",
        "Bjork/Army of Me (live) [x1].nfo": b"<musicvideo/>",
        "Bjork/Army of Me (live) [x1]-thumb.jpg": b"jpeg",
    }
    assert VideoFile.objects.get().path == "Bjork/Army of Me (live) [x1].mp4"


def test_a_redownload_under_a_new_name_replaces_the_file_and_carries_the_sidecars(library_root):
    video = stored(library_root)
    with_sidecars(video)
    Video.objects.filter(pk=video.pk).update(title="Army of Me (remastered)")
    video.refresh_from_db()
    new = download(library_root, data=b"better")
    video_store_download(video=video, result=result_for(new))
    assert files_in(library_root) == {
        "Björk/Army of Me (remastered) [x1].mp4": b"better",
        "Björk/Army of Me (remastered) [x1].nfo": b"<musicvideo/>",
        "Björk/Army of Me (remastered) [x1]-thumb.jpg": b"jpeg",
    }
    assert VideoFile.objects.get().sidecars == [".nfo", "-thumb.jpg"]


def test_a_redownload_under_the_same_name_replaces_the_file_in_place(library_root):
    video = with_sidecars(stored(library_root)).video
    video_store_download(video=video, result=result_for(download(library_root, data=b"again")))
    assert files_in(library_root)["Björk/Army of Me [x1].mp4"] == b"again"
    assert len(files_in(library_root)) == 3
    assert VideoFile.objects.count() == 1


def test_deleting_a_video_with_its_file_deletes_the_sidecars_too(library_root):
    video = with_sidecars(stored(library_root)).video
    video_delete(video=video, delete_file=True)
    assert files_in(library_root) == {}
    assert not VideoFile.objects.exists()


def test_deleting_a_video_but_not_its_file_keeps_the_whole_bundle(library_root):
    video = with_sidecars(stored(library_root)).video
    video_delete(video=video, delete_file=False)
    assert len(files_in(library_root)) == 3
    assert not VideoFile.objects.exists()


# --- inside the library, whatever a title or a stored path holds ----------------------------
@pytest.mark.parametrize(
    ("title", "artist"),
    [
        ("../../../etc/passwd", ".."),
        ("/absolute/path", "/"),
        ("..", "CON"),
        ("a\x01b\u202eevil", "x/../../y"),
    ],
)
def test_a_hostile_title_or_artist_is_stored_inside_the_library(library_root, title, artist):
    video = stored(library_root, title=title, artist=artist)
    path = (library_root / video.file.path).resolve()
    assert path.is_relative_to(library_root.resolve()) and path.is_file()
    assert list(files_in(library_root)) == [video.file.path]


def test_a_stored_path_outside_the_library_is_neither_served_nor_deleted(library_root):
    outside = library_root.parent / "outside.mp4"
    outside.write_bytes(b"not ours")
    video = Video.objects.create(source_url="https://videos.example/sneaky")
    file = VideoFile.objects.create(video=video, path="../outside.mp4", sidecars=[".nfo"])
    assert video_file_path(video) is None
    video_file_delete(video_file=file)
    assert outside.read_bytes() == b"not ours"
    with pytest.raises(ValueError, match="not inside the library"):
        video_file_move(video_file=VideoFile.objects.create(video=video, path="a.mp4"), to="../b")


@pytest.mark.parametrize("suffix", ["/../../evil", "nfo", ".", "-..-x", ".a/b", "." + "x" * 30])
def test_a_sidecar_suffix_that_could_leave_the_folder_is_refused(suffix):
    with pytest.raises(ValueError, match="is not a sidecar suffix"):
        SidecarKind("bad", suffix, "bad")


def test_every_sidecar_of_the_longest_name_fits_in_a_file_name():
    values = NameValues(artist="A", title="t" * 400, source_id="i" * 300)
    relative = relative_path(DEFAULT_TEMPLATE, values, ext="mp4")
    longest = relative.stem + "-" + "x" * 23
    assert len(longest.encode()) <= MAX_COMPONENT_BYTES


# --- all or nothing ---------------------------------------------------------------------------
def test_a_store_whose_target_folder_cannot_be_made_changes_nothing(library_root):
    video = stored(library_root)
    with_sidecars(video)
    before = files_in(library_root)
    (library_root / "Portishead").write_bytes(b"a file where the artist's folder would go")
    video.artist = Artist.objects.create(name="Portishead", folder_name="Portishead")
    new = download(library_root, data=b"new")

    with pytest.raises(OSError):
        video_store_download(video=video, result=result_for(new))

    assert files_in(library_root) == {
        **before,
        "Portishead": b"a file where the artist's folder would go",
        ".incoming/1/clip.mp4": b"new",  # the download is where it was, for the runner to drop
    }
    assert VideoFile.objects.get().path == "Björk/Army of Me [x1].mp4"


def test_a_move_whose_sidecar_name_is_taken_is_refused_and_moves_nothing(library_root):
    file = with_sidecars(stored(library_root))
    before = files_in(library_root)
    (library_root / "Björk" / "Moved [x1]-thumb.jpg").mkdir()  # a folder in the thumbnail's way

    with pytest.raises(FileExistsError, match=r"-thumb.jpg is already in the library"):
        video_file_move(video_file=file, to="Björk/Moved [x1].mp4")

    assert files_in(library_root) == before
    assert VideoFile.objects.get().path == "Björk/Army of Me [x1].mp4"
    assert not (library_root / ".trash").exists() or not any((library_root / ".trash").iterdir())


def test_a_failed_redownload_keeps_the_old_file_and_its_sidecars(library_root):
    video = with_sidecars(stored(library_root)).video
    before = files_in(library_root)
    Video.objects.filter(pk=video.pk).update(title="Renamed")
    video.refresh_from_db()
    new = download(library_root, data=b"new")

    # The new file is moved in, then its .nfo cannot follow: everything goes back.
    with frozen(library_root / "Björk" / "Army of Me [x1].nfo"), pytest.raises(PermissionError):
        video_store_download(video=video, result=result_for(new))

    assert files_in(library_root) == {**before, ".incoming/1/clip.mp4": b"new"}
    assert VideoFile.objects.get().path == "Björk/Army of Me [x1].mp4"


def test_a_redownload_whose_new_sidecar_name_is_taken_gets_a_number(library_root):
    video = with_sidecars(stored(library_root)).video
    (library_root / "Björk" / "Renamed [x1].nfo").mkdir()  # a folder in the new .nfo's way
    Video.objects.filter(pk=video.pk).update(title="Renamed")
    video.refresh_from_db()

    video_store_download(video=video, result=result_for(download(library_root, data=b"new")))

    assert VideoFile.objects.get().path == "Björk/Renamed [x1] (2).mp4"
    assert files_in(library_root)["Björk/Renamed [x1] (2).nfo"] == b"<musicvideo/>"


def test_a_move_never_overwrites_a_file_where_a_sidecar_would_go(library_root):
    file = with_sidecars(stored(library_root))
    (library_root / "Björk" / "Moved [x1].nfo").write_bytes(b"another video's")

    with pytest.raises(FileExistsError):
        video_file_move(video_file=file, to="Björk/Moved [x1].mp4")

    assert files_in(library_root)["Björk/Moved [x1].nfo"] == b"another video's"
    assert VideoFile.objects.get().path == "Björk/Army of Me [x1].mp4"


def test_a_sidecar_is_replaced_whole_and_leaves_no_temporary_file(library_root):
    file = with_sidecars(stored(library_root))
    video_file_write_sidecar(video_file=file, kind=NFO, data=b"<musicvideo>2</musicvideo>")
    assert files_in(library_root)["Björk/Army of Me [x1].nfo"] == b"<musicvideo>2</musicvideo>"
    assert len(files_in(library_root)) == 3
    assert VideoFile.objects.get().sidecars == [".nfo", "-thumb.jpg"]


def test_housekeeping_purges_only_trash_that_a_crash_left_behind(library_root):
    old = library_root / ".trash" / "old"
    young = library_root / ".trash" / "young"
    for folder in (old, young):
        folder.mkdir(parents=True)
        (folder / "0").write_bytes(b"set aside")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    assert library_purge_old_trash() == [old]
    assert not old.exists() and young.exists()


# --- names under the naming templates ------------------------------------------------------
def test_a_name_another_video_holds_in_another_format_gets_a_number(library_root):
    template = NamingTemplate("{artist}", "{title}")
    first = Video.objects.create(source_url="https://videos.example/1", title="Song")
    second = Video.objects.create(source_url="https://videos.example/2", title="SONG")
    video_file_store(video=first, result=result_for(download(library_root)), template=template)
    webm = download(library_root, name="clip.webm", data=b"other")

    stored_second = video_file_store(video=second, result=result_for(webm), template=template)

    # "Song.nfo" would be both videos' sidecar: the second is numbered instead.
    assert stored_second.path == "Unknown Artist/SONG (2).webm"
    assert files_in(library_root)["Unknown Artist/Song.mp4"] == b"media"


def test_a_name_recorded_for_another_video_is_not_taken_even_if_its_file_is_gone(library_root):
    template = NamingTemplate("", "{title}")
    other = Video.objects.create(source_url="https://videos.example/1", title="Song")
    VideoFile.objects.create(video=other, path="Song.mkv")  # its file is missing for now
    video = Video.objects.create(source_url="https://videos.example/2", title="Song")

    stored_file = video_file_store(
        video=video, result=result_for(download(library_root)), template=template
    )

    assert stored_file.path == "Song (2).mp4"

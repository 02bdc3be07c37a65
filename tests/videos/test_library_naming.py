"""videos.library.naming: library paths stay inside the library and fit every filesystem."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from videos.library.naming import resolve_inside, safe_component
from videos.library.templates import DEFAULT_TEMPLATE, NameValues, relative_path


def library_relative_path(*, artist, title, source_id, ext) -> PurePosixPath:
    """The default template's path for these values."""
    values = NameValues(artist=artist or "", title=title, source_id=source_id)
    return relative_path(DEFAULT_TEMPLATE, values, ext=ext)


MAX_BYTES = 255
FORBIDDEN = set('/\\:*?"<>|\x00')


def _assert_safe(component: str) -> None:
    assert component not in ("", ".", "..")
    assert len(component.encode()) <= MAX_BYTES
    assert not FORBIDDEN & set(component)
    assert component == component.strip(" .")
    assert all(ord(char) >= 32 for char in component)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(artist=st.none() | st.text(), title=st.text(), source_id=st.text(max_size=300))
def test_any_title_makes_a_path_that_stays_inside_the_library(tmp_path, artist, title, source_id):
    relative = library_relative_path(artist=artist, title=title, source_id=source_id, ext="mp4")

    path = resolve_inside(tmp_path, relative)

    assert path.parent.parent == tmp_path.resolve()
    for component in relative.parts:
        _assert_safe(component)
    # The filesystem agrees: the file can be made and found again.
    path.parent.mkdir(exist_ok=True)
    path.touch()
    assert path.name in os.listdir(path.parent)
    path.unlink()


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd", "a/b\\c", "NUL\x00byte", "x" * 300, "🎵🎬" * 80, "CON", ".", "..", ""],
)
def test_an_evil_name_becomes_one_safe_component(name):
    _assert_safe(safe_component(name, fallback="Untitled"))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "-..-etc-passwd"),
        ("a/b\\c", "a-b-c"),
        ("NUL\x00byte", "NULbyte"),
        ("Song: Live?", "Song - Live"),
        ("CON", "_CON"),
        ("com1.txt", "_com1.txt"),
        (".", "Untitled"),
        ("..", "Untitled"),
        ("", "Untitled"),
        ("  spaced  out  ", "spaced out"),
        ("e\u0301", "é"),  # NFC
    ],
)
def test_safe_component_keeps_what_it_can(name, expected):
    assert safe_component(name, fallback="Untitled") == expected


def test_a_long_name_is_cut_to_the_byte_limit():
    assert safe_component("x" * 300, fallback="_") == "x" * 180
    assert safe_component("x" * 300, fallback="_", max_bytes=255) == "x" * 255


@pytest.mark.parametrize("unit", ["🎵", "é", "👩‍👩‍👧", "🇫🇷", "👍🏽"])
def test_a_cut_never_splits_a_character_or_an_emoji(unit):
    result = safe_component(unit * 100, fallback="_", max_bytes=50)

    assert result == unit * (len(result) // len(unit))
    assert 0 < len(result.encode()) <= 50


def test_the_path_is_artist_then_title_and_source_id():
    assert library_relative_path(
        artist="AC/DC", title="Back in Black", source_id="pAgnJDJN4VA", ext="mp4"
    ) == PurePosixPath("AC-DC/Back in Black [pAgnJDJN4VA].mp4")


def test_a_video_without_an_artist_goes_to_unknown_artist():
    path = library_relative_path(artist=None, title="Song", source_id="x1", ext="mkv")

    assert path == PurePosixPath("Unknown Artist/Song [x1].mkv")


def test_a_long_title_leaves_room_for_the_source_id_and_extension():
    path = library_relative_path(artist="A", title="é" * 300, source_id="i" * 64, ext="webm")

    assert path.name.endswith(" [" + "i" * 64 + "].webm")
    assert len(path.name.encode()) <= MAX_BYTES


@pytest.mark.parametrize("relative", ["../outside", "/etc/passwd", "a/../../outside", ".", ""])
def test_resolve_inside_refuses_paths_that_leave_the_root(tmp_path, relative):
    with pytest.raises(ValueError, match="not inside the library"):
        resolve_inside(tmp_path, relative)


def test_resolve_inside_refuses_a_symlink_that_points_out(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    (root / "escape").symlink_to(tmp_path)

    with pytest.raises(ValueError):
        resolve_inside(root, "escape/file.mp4")


def test_resolve_inside_gives_the_absolute_path_under_the_root(tmp_path):
    assert resolve_inside(tmp_path, "Artist/Song.mp4") == tmp_path.resolve() / "Artist/Song.mp4"
    assert resolve_inside(tmp_path, Path("Artist")) == tmp_path.resolve() / "Artist"

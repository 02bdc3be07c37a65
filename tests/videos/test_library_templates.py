"""videos.library.templates: naming templates render safe, unique-ready names; the default
is byte for byte the layout from before templates existed."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from videos.library.naming import MAX_COMPONENT_BYTES, safe_component
from videos.library.sidecars import MAX_SUFFIX_BYTES
from videos.library.templates import (
    DEFAULT_TEMPLATE,
    PRESETS,
    NameValues,
    NamingTemplate,
    check_template,
    relative_path,
    versions_warning,
)

PRESET = {preset.name: preset.template for preset in PRESETS}


def todays_relative_path(*, artist: str | None, title: str, source_id: str, ext: str):
    """``library_relative_path`` as it was on main before naming templates (frozen here: the
    default template must keep every name it made)."""
    folder = safe_component(artist or "", fallback="Unknown Artist")
    clean_ext = re.sub(r"[^a-z0-9]", "", ext.lower())[:10] or "bin"
    clean_id = safe_component(source_id, fallback="unknown", max_bytes=64)
    suffix = f" [{clean_id}].{clean_ext}"
    ending = max(len(clean_ext) + 1, MAX_SUFFIX_BYTES)
    budget = min(180, MAX_COMPONENT_BYTES - len(f" [{clean_id}]".encode()) - ending)
    stem = safe_component(title, fallback="Untitled", max_bytes=budget)
    return PurePosixPath(folder, stem + suffix)


def path(template: NamingTemplate, **values) -> str:
    return relative_path(template, NameValues(**values), ext=values.pop("ext", "mp4")).as_posix()


@settings(max_examples=500, deadline=None)
@given(
    artist=st.none() | st.text(),
    title=st.text(min_size=1),
    source_id=st.text(max_size=300),
    ext=st.sampled_from(["mp4", "webm", "mkv", "m4a", "MP4", "x" * 30, ""]),
)
def test_the_default_template_names_every_file_as_before(artist, title, source_id, ext):
    values = NameValues(artist=artist or "", title=title, source_id=source_id)

    assert relative_path(DEFAULT_TEMPLATE, values, ext=ext) == todays_relative_path(
        artist=artist, title=title, source_id=source_id, ext=ext
    )


@pytest.mark.parametrize(
    ("title", "artist"),
    [("é" * 300, "A"), ("👩‍👩‍👧" * 80, "🇫🇷" * 90), ("CON", "NUL"), ("a: b? c", "AC/DC")],
)
def test_the_default_template_keeps_long_and_odd_names_as_before(title, artist):
    values = NameValues(artist=artist, title=title, source_id="i" * 64)
    assert relative_path(DEFAULT_TEMPLATE, values, ext="webm") == todays_relative_path(
        artist=artist, title=title, source_id="i" * 64, ext="webm"
    )


@pytest.mark.parametrize("odd", ["\ue000", "\ue001", "\ue002", "a\ue002\ue000b"])
def test_private_use_characters_in_a_value_are_kept_like_any_other(odd):
    """The renderer marks values with private-use characters of its own: a title, artist or
    id holding such characters keeps them and is not taken for an empty token."""
    values = NameValues(artist="", title=f"x{odd}", source_id=odd)
    assert relative_path(DEFAULT_TEMPLATE, values, ext="mp4") == todays_relative_path(
        artist="", title=f"x{odd}", source_id=odd, ext="mp4"
    )
    assert path(PRESET["jellyfin"], artist=odd, title=odd) == f"{odd}/{odd}.mp4"
    assert path(PRESET["flat"], artist="A", title=f"{odd} live") == f"A - {odd} live.mp4"


def test_the_presets_name_a_video_as_their_media_servers_expect():
    song = {"artist": "Björk", "title": "Army of Me", "year": "1995", "source_id": "x1"}
    assert path(PRESET["default"], **song) == "Björk/Army of Me [x1].mp4"
    assert path(PRESET["jellyfin"], **song) == "Björk/Army of Me (1995).mp4"
    assert path(PRESET["plex"], **song) == "Björk/Army of Me-video.mp4"
    assert path(PRESET["plex"], **song, plex_suffix="behindthescenes") == (
        "Björk/Army of Me-behindthescenes.mp4"
    )
    assert path(PRESET["flat"], **song) == "Björk - Army of Me.mp4"


@pytest.mark.parametrize(
    ("file", "expected"),
    [
        ("{title} ({year})", "Song"),
        ("{title} [{year}]", "Song"),
        ("{artist} - {album} - {title}", "Band - Song"),
        ("{album} - {title}", "Song"),
        ("{title} - {album}", "Song"),
        ("{title} (feat. {featured})", "Song"),
        ("{title} ({year}, {version})", "Song"),
        ("{title}-{version}", "Song"),
        ("{title}{version}", "Song"),
        ("{title} ({video_type}) [{source_id}]", "Song [x1]"),
        ("{album}", "Untitled"),
        ("{title} (live)", "Song (live)"),
    ],
)
def test_a_token_without_a_value_leaves_no_dangling_brackets_or_separators(file, expected):
    template = NamingTemplate("{artist}", file)
    assert path(template, artist="Band", title="Song", source_id="x1") == f"Band/{expected}.mp4"


def test_a_value_keeps_its_own_brackets_and_dashes():
    template = NamingTemplate("{artist}", "{title} ({year})")
    assert path(template, artist="Band", title="Song - () -") == "Band/Song - () -.mp4"


def test_a_value_that_holds_a_separator_adds_no_folder():
    template = NamingTemplate("{artist}/{album}", "{title}")
    assert path(template, artist="AC/DC", album="../../etc", title="a/b") == (
        "AC-DC/-..-etc/a-b.mp4"
    )


def test_a_folder_that_comes_out_empty_is_left_out():
    template = NamingTemplate("{artist}/{album}", "{title}")
    assert path(template, artist="Band", title="Song") == "Band/Song.mp4"
    assert path(NamingTemplate("", "{title}"), title="Song") == "Song.mp4"
    assert path(NamingTemplate("{artist}", "{title}"), title="Song") == "Unknown Artist/Song.mp4"


@given(
    folder=st.sampled_from(["{artist}", "{artist}/{album}", "", "{artist_sort} ({year})"]),
    file=st.sampled_from([p.template.file for p in PRESETS] + ["{album} - {featured}"]),
    values=st.builds(
        NameValues,
        artist=st.text(),
        title=st.text(),
        album=st.text(max_size=400),
        featured=st.text(max_size=400),
        year=st.text(max_size=5),
        source_id=st.text(max_size=300),
    ),
)
@settings(max_examples=300, deadline=None)
def test_every_template_makes_safe_components_that_leave_room_for_sidecars(folder, file, values):
    relative = relative_path(NamingTemplate(folder, file), values, ext="webm")

    for component in relative.parts:
        assert component not in ("", ".", "..")
        assert component == safe_component(component, fallback="_", max_bytes=255)
    assert len((relative.stem + "x" * MAX_SUFFIX_BYTES).encode()) <= MAX_COMPONENT_BYTES


@pytest.mark.parametrize(
    ("value", "folder", "says"),
    [
        ("{title} {colour}", False, "{colour}, which is not a token"),
        ("{title} {}", False, "{}, which is not a token"),
        ("{Title}", False, "{Title}, which is not a token"),
        ("{title", False, "does not enclose a token name"),
        ("title}", True, "does not enclose a token name"),
        ("{{title}}", False, "does not enclose a token name"),
        ("{artist}/{title}", False, "cannot hold a folder separator"),
        ("", False, "cannot be empty"),
        ("{title}" * 40, False, "keep it to 255"),
        (None, True, "must be text"),
    ],
)
def test_a_bad_template_is_refused_with_a_sentence_naming_the_fault(value, folder, says):
    with pytest.raises(ValidationError) as error:
        check_template(value, folder=folder)
    assert says in error.value.messages[0]


def test_every_preset_passes_the_check_and_an_empty_artist_folder_is_allowed():
    for preset in PRESETS:
        check_template(preset.template.artist_folder, folder=True)
        check_template(preset.template.file, folder=False)
    assert check_template("", folder=True) == ""


def test_a_name_that_starts_with_its_folders_name_warns_of_jellyfins_versions():
    grouped = relative_path(
        NamingTemplate("{artist}", "{artist} - {title}"),
        NameValues(artist="Björk", title="Army of Me"),
        ext="mp4",
    )
    assert "versions" in versions_warning(grouped)
    for preset in PRESETS:
        relative = relative_path(
            preset.template, NameValues(artist="Björk", title="Army of Me"), ext="mp4"
        )
        assert versions_warning(relative) == ""

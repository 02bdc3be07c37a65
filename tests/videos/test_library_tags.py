"""videos.library.tags: tags written by remuxing, read back with ``ffmpeg -f ffmetadata``;
the file is replaced only by a whole tagged copy, and a failure leaves it as it was."""

from __future__ import annotations

import hashlib
import shutil
import stat

import pytest

from tests.media.clips import ffmpeg_exe
from videos.library.ffmpeg import run_ffmpeg
from videos.library.streams import stream_details
from videos.library.tags import Tags, TagsError, write_tags

TAGS = Tags(
    title='Tom & Jerry <live> "Ça va" 🎵',
    artist="Björk",
    album="Post; Remixed",
    date="1995-06-13",
    genre="Electronic; Trip hop",
    comment="https://videos.example/watch?v=1&t=2",
    description="Two lines\nof plot = here",
)


def ffmetadata(path) -> dict[str, str]:
    """The file's global tags as ``ffmpeg -f ffmetadata`` writes them, unescaped."""
    text = run_ffmpeg(["-loglevel", "error", "-i", path, "-f", "ffmetadata", "-"]).stdout.decode()
    tags, key, value, escaped = {}, None, "", False
    for char in text.split("\n", 1)[1]:  # after ";FFMETADATA1"
        if escaped:
            value += char
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "=" and key is None:
            key, value = value, ""
        elif char == "\n":
            if key is not None:
                tags[key.lower()] = value
            key, value = None, ""
        else:
            value += char
    return tags


def attached_pictures(path) -> int:
    report = run_ffmpeg(["-i", path], check=False).stderr.decode()
    return report.count("(attached pic)")


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def cover(media_root, media_clips):
    return media_root / media_clips["cover_jpg"]


@pytest.fixture
def clip(tmp_path, media_root, media_clips):
    def copy(name: str, ext: str | None = None):
        source = media_root / media_clips[name]
        (tmp_path / "Artist").mkdir(exist_ok=True)
        target = tmp_path / "Artist" / f"Artist - Title.{ext or source.suffix.lstrip('.')}"
        if ext in (None, source.suffix.lstrip(".")):
            shutil.copy(source, target)
        else:
            run_ffmpeg(["-loglevel", "error", "-y", "-i", source, "-c", "copy", target])
        return target

    return copy


@pytest.mark.parametrize(("name", "ext"), [("360p", "mp4"), ("audio", "m4a"), ("360p", "mkv")])
def test_tags_and_cover_are_written_without_reencoding(clip, cover, name, ext):
    media = clip(name, ext)
    before = stream_details(media)
    write_tags(media, TAGS, cover=cover)
    tags = ffmetadata(media)
    assert {key: tags.get(key) for key in ("title", "artist", "album", "date", "genre")} == {
        "title": TAGS.title,
        "artist": TAGS.artist,
        "album": TAGS.album,
        "date": TAGS.date,
        "genre": TAGS.genre,
    }
    assert tags["comment"] == TAGS.comment and tags["description"] == TAGS.description
    assert attached_pictures(media) == 1
    assert stream_details(media) == before  # the same streams, as long: copied, not encoded
    assert [p.name for p in media.parent.iterdir() if p.name.startswith(".")] == []


def test_writing_again_replaces_the_tags_and_keeps_one_cover(clip, cover):
    media = clip("360p")
    write_tags(media, TAGS, cover=cover)
    write_tags(media, Tags(title="Second"), cover=cover)
    tags = ffmetadata(media)
    assert tags["title"] == "Second" and "artist" not in tags and "album" not in tags
    assert attached_pictures(media) == 1


def test_a_webm_is_not_tagged(clip, tmp_path):
    media = tmp_path / "clip.webm"
    run_ffmpeg(
        [
            "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=64x64:rate=5:duration=1",
            "-c:v", "libvpx-vp9", "-deadline", "realtime", media,
        ]
    )  # fmt: skip
    before = digest(media)
    with pytest.raises(
        TagsError, match=r"clip\.webm is WEBM: tags are written in MP4, M4A and MKV"
    ):
        write_tags(media, TAGS)
    assert digest(media) == before


def fake_ffmpeg(tmp_path, body: str) -> str:
    """An ffmpeg that reads files as the real one does and fails its remux as ``body`` says."""
    script = tmp_path / "ffmpeg"
    script.write_text(
        "#!/bin/sh\n"
        'case " $* " in *" -f "*) ;; *) exec "$REAL" "$@";; esac\n'
        "for last; do :; done\n"  # the output file is the last argument
        f"{body}\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ('echo "Conversion failed: disk says no" >&2; exit 1', "ffmpeg failed: Conversion failed"),
        ('head -c 2000 "$REAL_SOURCE" > "$last"; exit 0', "the tagged copy"),
    ],
)
def test_a_failed_remux_leaves_the_original_untouched(
    clip, cover, tmp_path, monkeypatch, body, reason
):
    media = clip("360p")
    monkeypatch.setenv("REAL", ffmpeg_exe())
    monkeypatch.setenv("REAL_SOURCE", str(media))
    before = digest(media)
    with pytest.raises(TagsError) as raised:
        write_tags(media, TAGS, cover=cover, ffmpeg=fake_ffmpeg(tmp_path, body))
    assert str(raised.value).startswith("The tags could not be written into Artist - Title.mp4 (")
    assert reason in str(raised.value)
    assert str(raised.value).endswith("the file was left as it was.")
    assert digest(media) == before
    assert [p.name for p in media.parent.iterdir()] == ["Artist - Title.mp4"]

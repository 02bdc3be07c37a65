"""Tiny media files for tests, made once with the ffmpeg binary that imageio-ffmpeg ships.

``make_clips(dest)`` returns a dict from a clip name to its path relative to ``dest`` (POSIX, so
it can be appended to a ``MediaServer`` URL). The names:

=================  ============================================================================
``240p`` ``360p``  progressive MP4 (H.264 + AAC when the bundled ffmpeg has them), 2 s each, with
``720p``           the video height in the name
``audio``          audio-only M4A (AAC), 2 s
``hls``            HLS master with two muxed variants, 360p and 720p (``RESOLUTION`` set), 1 s
                   fragmented-MP4 segments
``hls_ts``         the same with MPEG-TS segments (what most HLS sources serve)
``hls_720_only``   HLS master with the 720p variant only (for "nothing under the cap" tests)
``hls_split``      HLS master whose 360p/720p variants carry no audio and point at a separate
                   ``EXT-X-MEDIA TYPE=AUDIO`` rendition, so yt-dlp downloads two streams and
                   merges them with ffmpeg
``cover_jpg``      a 320x180 picture (a site's thumbnail) as JPEG, PNG and WebP
``cover_png``
``cover_webp``
``not_picture``    text saved as ``.jpg`` (a thumbnail address that serves no picture)
=================  ============================================================================

``CLIP_HEIGHTS`` gives the height of every video clip. ``make_sized_clip`` pads a clip to an exact
size (for benchmarks that need 1-20 MB files).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

import imageio_ffmpeg

# Bump when the set of clips changes so a reused directory is rebuilt.
_VERSION = "4"
_DURATION = 2  # seconds; long enough for two 1-second HLS segments
_FPS = 15

CLIP_HEIGHTS = {"240p": 240, "360p": 360, "720p": 720}
_SIZES = {240: (426, 240), 360: (640, 360), 720: (1280, 720)}


def ffmpeg_exe() -> str:
    """The path of the bundled ffmpeg binary (imageio-ffmpeg ships no ffprobe)."""
    return imageio_ffmpeg.get_ffmpeg_exe()


@functools.cache
def _codecs() -> tuple[list[str], list[str]]:
    """(video encoder args, audio encoder args) the bundled ffmpeg supports, H.264/AAC first."""
    encoders = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-encoders"], capture_output=True, text=True, check=True
    ).stdout
    names = {line.split()[1] for line in encoders.splitlines() if len(line.split()) > 1}
    if "libx264" in names:
        video = ["-c:v", "libx264", "-preset", "ultrafast", "-crf", "38", "-pix_fmt", "yuv420p"]
    else:
        video = ["-c:v", "mpeg4", "-q:v", "20"]
    # Keyframe every second so HLS segments cut at 1 s.
    video += ["-g", str(_FPS), "-keyint_min", str(_FPS), "-sc_threshold", "0"]
    audio = ["-c:a", "aac" if "aac" in names else "libmp3lame", "-b:a", "32k", "-ac", "1"]
    return video, audio


def _ffmpeg(*args: str | Path) -> None:
    subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", *map(str, args)],
        check=True,
        capture_output=True,
    )


def _video_input(height: int) -> list[str]:
    width, height = _SIZES[height]
    return ["-f", "lavfi", "-i", f"testsrc=size={width}x{height}:rate={_FPS}:duration={_DURATION}"]


def _audio_input() -> list[str]:
    return ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=22050:duration={_DURATION}"]


def _progressive(path: Path, height: int) -> None:
    video, audio = _codecs()
    path.parent.mkdir(parents=True, exist_ok=True)
    _ffmpeg(*_video_input(height), *_audio_input(), *video, *audio, "-movflags", "+faststart", path)


def _audio_only(path: Path) -> None:
    _, audio = _codecs()
    path.parent.mkdir(parents=True, exist_ok=True)
    _ffmpeg(*_audio_input(), *audio, "-movflags", "+faststart", path)


def _hls_media(directory: Path, *, height: int | None, audio: bool, segments: str = "fmp4") -> None:
    """One HLS media playlist ``directory/index.m3u8`` with 1-second segments.

    ``segments`` is ``"fmp4"`` (fragmented MP4, ``.m4s``) or ``"mpegts"`` (``.ts``).
    """
    video_args, audio_args = _codecs()
    directory.mkdir(parents=True, exist_ok=True)
    inputs: list[str] = []
    codecs: list[str] = []
    if height is not None:
        inputs += _video_input(height)
        codecs += video_args
    else:
        codecs += ["-vn"]
    if audio:
        inputs += _audio_input()
        codecs += audio_args
    else:
        codecs += ["-an"]
    if segments == "fmp4":
        segment_args = [
            "-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4",
            "-hls_segment_filename", str(directory / "seg%03d.m4s"),
        ]  # fmt: skip
    else:
        segment_args = [
            "-hls_segment_type", "mpegts", "-hls_segment_filename", str(directory / "seg%03d.ts")
        ]  # fmt: skip
    _ffmpeg(
        *inputs,
        *codecs,
        "-f", "hls", "-hls_time", "1", "-hls_playlist_type", "vod",
        *segment_args,
        directory / "index.m3u8",
    )  # fmt: skip


def _variant(height: int, uri: str, *, audio_group: str | None = None) -> str:
    width, _ = _SIZES[height]
    bandwidth = {360: 400_000, 720: 1_200_000}[height]
    level = {360: "1e", 720: "1f"}[height]
    extra = f',AUDIO="{audio_group}"' if audio_group else ""
    return (
        f"#EXT-X-STREAM-INF:BANDWIDTH={bandwidth},RESOLUTION={width}x{height},"
        f'CODECS="avc1.42c0{level},mp4a.40.2"{extra}\n{uri}\n'
    )


def _write_master(path: Path, body: str) -> None:
    path.write_text("#EXTM3U\n#EXT-X-VERSION:7\n" + body)


def make_clips(dest: Path) -> dict[str, str]:
    """Make every clip under ``dest`` (once: a finished directory is reused) and name them.

    Returns ``{name: path relative to dest}``; see the module docstring for the names.
    """
    dest = Path(dest)
    names = {
        "240p": "clips/240p.mp4",
        "360p": "clips/360p.mp4",
        "720p": "clips/720p.mp4",
        "audio": "clips/audio.m4a",
        "hls": "hls/master.m3u8",
        "hls_ts": "hls-ts/master.m3u8",
        "hls_720_only": "hls/only720.m3u8",
        "hls_split": "hls-split/master.m3u8",
        "cover_jpg": "images/cover.jpg",
        "cover_png": "images/cover.png",
        "cover_webp": "images/cover.webp",
        "not_picture": "images/not-a-picture.jpg",
    }
    marker = dest / ".complete"
    if marker.exists() and marker.read_text() == _VERSION:
        return names
    for height in CLIP_HEIGHTS.values():
        _progressive(dest / f"clips/{height}p.mp4", height)
    _audio_only(dest / names["audio"])

    for height in (360, 720):
        _hls_media(dest / f"hls/{height}p", height=height, audio=True)
        _hls_media(dest / f"hls-ts/{height}p", height=height, audio=True, segments="mpegts")
        _hls_media(dest / f"hls-split/v{height}", height=height, audio=False)
    _hls_media(dest / "hls-split/audio", height=None, audio=True)

    _write_master(
        dest / names["hls"], _variant(360, "360p/index.m3u8") + _variant(720, "720p/index.m3u8")
    )
    _write_master(
        dest / names["hls_ts"], _variant(360, "360p/index.m3u8") + _variant(720, "720p/index.m3u8")
    )
    _write_master(dest / names["hls_720_only"], _variant(720, "720p/index.m3u8"))
    _write_master(
        dest / names["hls_split"],
        '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="English",LANGUAGE="en",'
        'DEFAULT=YES,AUTOSELECT=YES,URI="audio/index.m3u8"\n'
        + _variant(360, "v360/index.m3u8", audio_group="aud")
        + _variant(720, "v720/index.m3u8", audio_group="aud"),
    )
    _pictures(dest, names)
    marker.write_text(_VERSION)
    return names


def _pictures(dest: Path, names: dict[str, str]) -> None:
    """A site's thumbnail in each format sites serve (a colour bar test card, 320x180)."""
    (dest / "images").mkdir(parents=True, exist_ok=True)
    for name in ("cover_jpg", "cover_png", "cover_webp"):
        _ffmpeg("-f", "lavfi", "-i", "smptebars=size=320x180", "-frames:v", "1", dest / names[name])
    (dest / names["not_picture"]).write_text("<html><body>Not a picture</body></html>")


def make_sized_clip(dest: Path, size_bytes: int, *, source: Path | None = None) -> Path:
    """Write a playable MP4 of exactly ``size_bytes`` bytes to ``dest`` and return ``dest``.

    The clip (``source``, or a 240p clip made next to ``dest``) is padded with a trailing
    top-level ``free`` box, which MP4 readers (ffmpeg, yt-dlp) skip. Raises ValueError when
    ``size_bytes`` is smaller than the clip plus an 8-byte box header.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if source is None:
        source = dest.parent / ".sized-source-240p.mp4"
        if not source.exists():
            _progressive(source, 240)
    padding = size_bytes - source.stat().st_size
    if padding < 8 or padding >= 2**32:
        raise ValueError(f"Cannot pad {source} ({source.stat().st_size} bytes) to {size_bytes}.")
    tmp = dest.with_name(dest.name + ".tmp")
    with source.open("rb") as src, tmp.open("wb") as out:
        shutil.copyfileobj(src, out)
        out.write(padding.to_bytes(4, "big") + b"free")
        remaining = padding - 8
        zeros = bytes(1 << 20)
        while remaining:
            chunk = min(remaining, len(zeros))
            out.write(zeros[:chunk])
            remaining -= chunk
    tmp.replace(dest)
    return dest

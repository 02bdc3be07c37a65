"""What a media file holds, read from the real file with ``ffmpeg -i``: the one reader of
ffmpeg's report in MVidarr.

No ffprobe ships with imageio-ffmpeg, so :func:`stream_details` reads the report ffmpeg
prints about its input (``Duration: …``, ``Stream #0:0…: Video: h264 …, 640x360 …``). Only
lines at the report's own indentation are read: a title or comment in the file's metadata
is printed further in (and its extra lines behind a ``:``), so whatever a tag says cannot
pass for a stream. A cover picture attached to the file is not its video. The file's own
``title`` and ``artist`` tags are read from the report's ``Metadata:`` block.

:func:`stream_check` reads the whole file as well (streams copied to nowhere, nothing
decoded), for a file MVidarr did not make (a manual import): whether it ends before the
duration its header declares.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from videos.library.ffmpeg import FfmpegError, run_ffmpeg

# "  Duration: 00:03:27.48, start: 0.000000, bitrate: 1234 kb/s" (N/A when not known)
_DURATION = re.compile(r"^  Duration: (?:(\d+):(\d{2}):(\d{2}(?:\.\d+)?)|N/A)")
# "  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, stereo, …"
_STREAM = re.compile(r"^  Stream #0:\d+\S*: (Video|Audio): ([A-Za-z0-9_]+)(.*)$")
_SIZE = re.compile(r"(?:^|[ ,])(\d{2,5})x(\d{2,5})(?:[ ,\[]|$)")
_DAR = re.compile(r"DAR (\d+):(\d+)")
_CHANNELS_N = re.compile(r"(\d+) channels")
# "    title           : Glory Box" in the input's own "  Metadata:" block.
_TAG = re.compile(r"^    (title|artist)\s*: (.+)$", re.IGNORECASE)
_OUT_TIME = re.compile(r"^out_time_us=(\d+)$", re.MULTILINE)
# Demuxer messages of a file cut short.
_CUT_SHORT = re.compile(r"partial file|ended prematurely|truncat|moov atom not found", re.I)
# A file whose streams end this much before the duration its header declares is truncated.
TRUNCATED_SLACK_SECONDS = 0.5
TRUNCATED_SLACK_FRACTION = 0.02
# Reading a whole file (copied to nowhere) of a few GB on a slow disk stays under this.
CHECK_TIMEOUT_SECONDS = 120
# ffmpeg's channel layout names, and how many channels each has.
LAYOUT_CHANNELS = {
    "mono": 1,
    "stereo": 2,
    "downmix": 2,
    "2.1": 3,
    "3.0": 3,
    "3.0(back)": 3,
    "4.0": 4,
    "quad": 4,
    "quad(side)": 4,
    "3.1": 4,
    "5.0": 5,
    "5.0(side)": 5,
    "4.1": 5,
    "5.1": 6,
    "5.1(side)": 6,
    "6.0": 6,
    "6.0(front)": 6,
    "hexagonal": 6,
    "6.1": 7,
    "6.1(back)": 7,
    "6.1(front)": 7,
    "7.0": 7,
    "7.0(front)": 7,
    "7.1": 8,
    "7.1(wide)": 8,
    "7.1(wide-side)": 8,
    "octagonal": 8,
}


@dataclass(frozen=True)
class StreamDetails:
    """The first video and first audio stream of a file (codecs as ffmpeg names them)."""

    video_codec: str = ""
    width: int | None = None
    height: int | None = None
    aspect: float | None = None  # display aspect ratio, 1.78 for 16:9
    duration: float | None = None  # seconds
    audio_codec: str = ""
    channels: int | None = None
    # The file's "title" and "artist" tags; what describes it, not its streams.
    tags: dict[str, str] = field(default_factory=dict, compare=False)
    # Why the file looks cut short ("" when whole or not read through: stream_check).
    truncated: str = field(default="", compare=False)

    @property
    def has_video(self) -> bool:
        return bool(self.video_codec)

    @property
    def has_audio(self) -> bool:
        return bool(self.audio_codec)


def stream_details(path: Path, *, ffmpeg: str | None = None) -> StreamDetails:
    """The streams of the media file at ``path``; :class:`FfmpegError` when ffmpeg cannot
    read it (no such file, not media).

    Read once per file as it is (its size and modification time): the post-store steps
    (artwork, .nfo, tags) each ask about the file just stored, and an ``ffmpeg -i`` costs
    30-70 ms of CPU (profiled, 2026-12-06)."""
    resolved = Path(path).resolve()
    try:
        stat = resolved.stat()
    except OSError:
        return _stream_details(resolved, ffmpeg)  # ffmpeg says why
    return _stream_details_of(resolved, stat.st_size, stat.st_mtime_ns, ffmpeg)


@functools.lru_cache(maxsize=16)
def _stream_details_of(path: Path, size: int, mtime_ns: int, ffmpeg: str | None) -> StreamDetails:
    return _stream_details(path, ffmpeg)


def _stream_details(path: Path, ffmpeg: str | None) -> StreamDetails:
    # ffmpeg -i without an output exits 1 after its report: the report is what we want.
    done = run_ffmpeg(["-i", path], ffmpeg=ffmpeg, timeout=60, check=False)
    report = done.stderr.decode(errors="replace")
    details = parse_report(report)
    if not details.has_video and not details.has_audio:
        lines = [line for line in report.splitlines() if line.strip()]
        reason = lines[-2].strip() if len(lines) >= 2 else "no output"
        raise FfmpegError(f"ffmpeg found no audio or video in {Path(path).name} ({reason}).")
    return details


def stream_check(path: Path, *, ffmpeg: str | None = None) -> StreamDetails:
    """:func:`stream_details` of a file read to its end, its ``truncated`` said; raises
    :class:`FfmpegError` when ffmpeg cannot read it."""
    args = ["-nostats", "-progress", "pipe:1", "-i", Path(path).resolve()]
    args += ["-map", "0", "-c", "copy", "-f", "null", "-"]
    done = run_ffmpeg(args, ffmpeg=ffmpeg, timeout=CHECK_TIMEOUT_SECONDS, check=False)
    report = done.stderr.decode(errors="replace")
    header, _, messages = report.partition("Stream mapping:")
    details = _details_or_error(path, header)
    truncated = _truncation(messages, done.stdout.decode(errors="replace"), details.duration)
    return replace(details, truncated=truncated)


def _details_or_error(path: Path, report: str) -> StreamDetails:
    details = parse_report(report)
    if not details.has_video and not details.has_audio:
        lines = [line.strip() for line in report.splitlines() if line.strip()]
        # "Error opening input files: Invalid data found when processing input": the why.
        reason = lines[-1].rsplit(": ", 1)[-1].rstrip(".") if lines else "no output"
        raise FfmpegError(f"ffmpeg cannot read {Path(path).name} as audio or video: {reason}.")
    return details


def _truncation(messages: str, progress: str, duration: float | None) -> str:
    """Why the file looks cut short ("" when it does not): the demuxer said so, or its
    streams end well before the duration its header declares."""
    if match := _CUT_SHORT.search(messages):
        return f"ffmpeg reports it ends early ({match.group(0)})"
    times = _OUT_TIME.findall(progress)
    if duration and times:
        end = int(times[-1]) / 1_000_000
        if end < duration - max(TRUNCATED_SLACK_SECONDS, duration * TRUNCATED_SLACK_FRACTION):
            return f"its streams end at {end:.1f} s of the {duration:.1f} s its header declares"
    return ""


def parse_report(report: str) -> StreamDetails:
    """The details in ``ffmpeg -i``'s report of its first input (see the module's notes)."""
    duration = None
    video: dict = {}
    audio: dict = {}
    tags: dict[str, str] = {}
    in_metadata = False
    for line in report.splitlines():
        if line.startswith("Input #") and not line.startswith("Input #0"):
            break  # only the first input's streams
        if line.startswith("  ") and not line.startswith("   "):
            in_metadata = line == "  Metadata:"  # the input's own, not a stream's
        elif in_metadata and (match := _TAG.match(line)):
            tags.setdefault(match.group(1).lower(), match.group(2).strip()[:500])
        if duration is None and (match := _DURATION.match(line)) and match.group(1):
            hours, minutes, seconds = match.groups()
            duration = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
            continue
        match = _STREAM.match(line)
        if match is None:
            continue
        kind, codec, rest = match.groups()
        if kind == "Video" and not video and "(attached pic)" not in rest:
            video = {"video_codec": codec, **_picture(rest)}
        elif kind == "Audio" and not audio:
            audio = {"audio_codec": codec, "channels": _channels(rest)}
    return StreamDetails(duration=duration, **video, **audio, tags=tags)


def _picture(rest: str) -> dict:
    size = _SIZE.search(_without_parentheses(rest))
    if size is None:
        return {}
    width, height = int(size.group(1)), int(size.group(2))
    dar = _DAR.search(rest)
    if dar and int(dar.group(2)):
        aspect = int(dar.group(1)) / int(dar.group(2))
    else:
        aspect = width / height if height else None
    return {"width": width, "height": height, "aspect": round(aspect, 2) if aspect else None}


def _channels(rest: str) -> int | None:
    parts = [part.strip() for part in _without_parentheses(rest, keep_layouts=True).split(",")]
    for part in parts:
        if part in LAYOUT_CHANNELS:
            return LAYOUT_CHANNELS[part]
        if match := _CHANNELS_N.fullmatch(part):
            return int(match.group(1))
    return None


def _without_parentheses(text: str, *, keep_layouts: bool = False) -> str:
    """``text`` without its parenthesised asides ("(High)", "(avc1 / 0x31637661)"), which
    may hold commas and numbers; a layout's own "(side)" stays with ``keep_layouts``."""
    if keep_layouts:
        return re.sub(r"(?<![\w.])\([^()]*\)", "", text)
    return re.sub(r"\([^()]*\)", "", text)

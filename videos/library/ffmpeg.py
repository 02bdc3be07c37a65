"""Running the ffmpeg binary for the library's files: reading a file's streams, grabbing a
frame, converting a picture, remuxing with tags.

imageio-ffmpeg ships ffmpeg and no ffprobe, so what a file holds is read from
``ffmpeg -i``'s report (:mod:`videos.library.streams`). Every run has a time limit, reads
nothing from standard input, and fails with :class:`FfmpegError`, whose message is a
sentence (the last line ffmpeg printed says why).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from django.conf import settings
from imageio_ffmpeg import get_ffmpeg_exe

# A remux of a 4 GB file on a slow disk stays well under this; a frame or a picture takes
# under a second.
DEFAULT_TIMEOUT_SECONDS = 600.0


class FfmpegError(Exception):
    """ffmpeg failed, was not found or took too long; ``str()`` is a sentence."""


def ffmpeg_exe() -> str:
    """The ffmpeg binary: ``FFMPEG_PATH`` when set, else the one imageio-ffmpeg ships."""
    return settings.FFMPEG_PATH or get_ffmpeg_exe()


def run_ffmpeg(
    args: list[str | Path],
    *,
    ffmpeg: str | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    check: bool = True,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``ffmpeg -hide_banner -nostdin <args>``; return the finished process.

    With ``check`` a non-zero exit is an :class:`FfmpegError` naming ffmpeg's last line.
    """
    command = [ffmpeg or ffmpeg_exe(), "-hide_banner", "-nostdin", *map(str, args)]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except FileNotFoundError:
        raise FfmpegError(
            f"ffmpeg was not found at {command[0]}; install it or set FFMPEG_PATH."
        ) from None
    except subprocess.TimeoutExpired:
        raise FfmpegError(f"ffmpeg took longer than {timeout:.0f} s and was stopped.") from None
    if check and done.returncode != 0:
        raise FfmpegError(f"ffmpeg failed: {last_line(done.stderr)}")
    return done


def last_line(stderr: bytes) -> str:
    """ffmpeg's last non-empty line of output (where it says why it stopped)."""
    lines = [line.strip() for line in stderr.decode(errors="replace").splitlines()]
    lines = [line for line in lines if line]
    return lines[-1][:300] if lines else "no output"

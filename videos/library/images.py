"""Pictures for the library: what kind of image some bytes are, any of them as a JPEG, and a
frame of a video as a JPEG. Every conversion is ffmpeg's (:mod:`videos.library.ffmpeg`)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from videos.library.ffmpeg import FfmpegError, run_ffmpeg

JPEG_MAGIC = b"\xff\xd8\xff"
# The largest side a stored picture keeps: a media server's poster is smaller still.
MAX_SIDE = 1920


def image_kind(data: bytes) -> str | None:
    """ "jpeg", "png", "webp" or "gif" from the first bytes of ``data``; None for anything
    else (a web page, a JSON answer, an SVG: nothing MVidarr stores as artwork)."""
    if data.startswith(JPEG_MAGIC):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    return None


def is_jpeg(data: bytes) -> bool:
    """Whether ``data`` starts as a JPEG does and ends with its end-of-image marker."""
    return data.startswith(JPEG_MAGIC) and data.rstrip(b"\x00").endswith(b"\xff\xd9")


def to_jpeg(data: bytes, *, ffmpeg: str | None = None) -> bytes:
    """``data`` (a JPEG, PNG, WebP or GIF) as a JPEG; a JPEG comes back as it was.

    Raises :class:`FfmpegError` when ffmpeg cannot decode the picture.
    """
    if image_kind(data) == "jpeg" and is_jpeg(data):
        return data
    with tempfile.TemporaryDirectory(prefix="mvidarr-image-") as folder:
        source = Path(folder) / "source"
        source.write_bytes(data)
        return _encode_jpeg(["-i", source], Path(folder) / "out.jpg", ffmpeg=ffmpeg)


def video_frame(media: Path, *, at: float, ffmpeg: str | None = None) -> bytes:
    """One frame of the video at ``media``, ``at`` seconds in, as a JPEG.

    Raises :class:`FfmpegError` when the file has no picture there (audio only, too short).
    """
    with tempfile.TemporaryDirectory(prefix="mvidarr-frame-") as folder:
        args: list[str | Path] = ["-ss", f"{max(at, 0.0):.3f}", "-i", Path(media).resolve()]
        return _encode_jpeg([*args, "-map", "0:V:0"], Path(folder) / "out.jpg", ffmpeg=ffmpeg)


def _encode_jpeg(inputs: list[str | Path], out: Path, *, ffmpeg: str | None) -> bytes:
    # Fit inside MAX_SIDE without enlarging; even sizes and full-range YUV suit every decoder.
    scale = (
        f"scale='min({MAX_SIDE},iw)':'min({MAX_SIDE},ih)':force_original_aspect_ratio=decrease,"
        "scale=trunc(iw/2)*2:trunc(ih/2)*2,format=yuvj420p"
    )
    run_ffmpeg(
        [
            "-loglevel", "error", "-y", *inputs,
            "-frames:v", "1", "-vf", scale, "-c:v", "mjpeg", "-q:v", "3", "-f", "image2", out,
        ],
        ffmpeg=ffmpeg,
        timeout=60,
    )  # fmt: skip
    data = out.read_bytes() if out.is_file() else b""
    if not is_jpeg(data):
        raise FfmpegError("ffmpeg made no picture from it.")
    return data

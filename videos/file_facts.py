"""A video's file told in plain words for its page: the kind of file, the picture, the codecs
of picture and sound, the size, and the site it came from — no yt-dlp format ids ("137+140")
nor ffmpeg's codec names ("h264", "mp4a.40.2") left bare. Pure: reads the rows it is given.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from mvidarr.units import format_bytes
from videos import quality
from videos.models import Video, VideoFile

CONTAINERS = {
    "mp4": "MP4",
    "m4v": "MP4",
    "m4a": "M4A (sound only)",
    "mkv": "Matroska (MKV)",
    "webm": "WebM",
    "mov": "QuickTime (MOV)",
    "avi": "AVI",
    "flv": "Flash video (FLV)",
    "ts": "MPEG transport stream (TS)",
    "mp3": "MP3 (sound only)",
    "ogg": "Ogg",
    "opus": "Opus (sound only)",
    "flac": "FLAC (sound only)",
    "wav": "WAV (sound only)",
}
# ffmpeg's names, and the first part of the codec strings sites give (avc1.640028).
VIDEO_CODECS = {
    "h264": "H.264 (AVC)",
    "avc1": "H.264 (AVC)",
    "avc3": "H.264 (AVC)",
    "hevc": "H.265 (HEVC)",
    "h265": "H.265 (HEVC)",
    "hev1": "H.265 (HEVC)",
    "hvc1": "H.265 (HEVC)",
    "vp9": "VP9",
    "vp09": "VP9",
    "vp8": "VP8",
    "av1": "AV1",
    "av01": "AV1",
    "mpeg4": "MPEG-4 Part 2",
    "mpeg2video": "MPEG-2",
    "mjpeg": "Motion JPEG",
    "theora": "Theora",
}
AUDIO_CODECS = {
    "aac": "AAC",
    "mp4a": "AAC",
    "opus": "Opus",
    "vorbis": "Vorbis",
    "mp3": "MP3",
    "flac": "FLAC",
    "ac3": "Dolby Digital (AC-3)",
    "eac3": "Dolby Digital Plus (E-AC-3)",
    "alac": "Apple Lossless (ALAC)",
}
# yt-dlp's extractor names (lower case) → the site as people call it.
SITES = {
    "youtube": "YouTube",
    "vimeo": "Vimeo",
    "dailymotion": "Dailymotion",
    "soundcloud": "SoundCloud",
    "bandcamp": "Bandcamp",
    "twitch": "Twitch",
    "bilibili": "Bilibili",
    "tiktok": "TikTok",
    "instagram": "Instagram",
    "facebook": "Facebook",
    "twitter": "X (Twitter)",
    "imvdb": "IMVDb",
    "archiveorg": "Internet Archive",
    "peertube": "PeerTube",
}


@dataclass(frozen=True)
class FileFact:
    name: str  # "container", "picture": for the page's markup and tests
    label: str  # "Kind of file"
    value: str  # "MP4"


def container_name(container: str, path: str = "") -> str:
    """ "MP4", "Matroska (MKV)"…; the extension in capitals for one not listed."""
    key = container or (path.rsplit(".", 1)[-1] if "." in path else "")
    return CONTAINERS.get(key.lower(), key.upper())


def codec_name(codec: str, names: dict[str, str]) -> str:
    """A codec as people call it ("H.264 (AVC)", "AAC"); the name as given when unknown."""
    if not codec:
        return ""
    key = codec.lower().split(".", 1)[0].split(" ", 1)[0]
    return names.get(key, codec)


def picture_text(video_file: VideoFile) -> str:
    """ "1920 x 1080 (1080p)" (with a multiplication sign); "None: sound only" for an audio
    file; "" when unknown."""
    has_video = bool(video_file.video_codec or video_file.height or video_file.width)
    if not has_video and video_file.audio_codec:
        return "None: sound only"
    if not (video_file.width and video_file.height):
        return ""
    band = quality.quality_of(height=video_file.height)
    size = f"{video_file.width} \u00d7 {video_file.height}"  # a multiplication sign
    return f"{size} ({band})" if band else size


def site_name(video: Video) -> str:
    """The site the video's source is on: "YouTube", else the link's host ("example.com");
    "" without a source."""
    extractor = (video.extractor or "").lower()
    for key, name in SITES.items():
        if extractor == key or extractor.startswith(f"{key}:"):
            return name
    host = urllib.parse.urlsplit(video.source_url or "").hostname or ""
    return host.removeprefix("www.")


def clock(seconds: float | None) -> str:
    """``3:07`` or ``1:02:03``; empty for no duration."""
    if not seconds:
        return ""
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


# What a badge says for a quality (videos.quality) where people say it otherwise.
BADGES = {"2160p": "4K", quality.AUDIO: "Audio"}


def resolution_badge(video_file: VideoFile | None) -> str:
    """ "1080p", "720p", "4K" (2160p), "Audio" (sound only), from the file's height; "" for
    no file or an unknown height."""
    if video_file is None:
        return ""
    has_video = bool(video_file.video_codec or video_file.height or video_file.width)
    name = quality.quality_of(
        height=video_file.height, has_video=has_video or not video_file.audio_codec
    )
    return BADGES.get(name, name) if name else ""


def file_facts(video: Video, video_file: VideoFile) -> list[FileFact]:
    """The file's facts a page shows, in order, those known only."""
    facts = [
        FileFact(
            "container", "Kind of file", container_name(video_file.container, video_file.path)
        ),
        FileFact("picture", "Picture", picture_text(video_file)),
        FileFact("video_codec", "Picture codec", codec_name(video_file.video_codec, VIDEO_CODECS)),
        FileFact("audio_codec", "Sound codec", codec_name(video_file.audio_codec, AUDIO_CODECS)),
        FileFact("size", "Size", format_bytes(video_file.size) if video_file.size else ""),
        FileFact("site", "From", site_name(video)),
    ]
    return [fact for fact in facts if fact.value]

"""A video's file in plain words: the kind of file, picture, codecs, size and site, never
yt-dlp's format ids nor ffmpeg's bare codec names."""

from __future__ import annotations

import pytest

from videos.file_facts import AUDIO_CODECS, VIDEO_CODECS, codec_name, container_name, file_facts
from videos.models import Video, VideoFile


def facts(video: Video, video_file: VideoFile) -> dict[str, str]:
    return {fact.label: fact.value for fact in file_facts(video, video_file)}


def test_a_youtube_download_reads_as_words():
    video = Video(extractor="youtube", source_url="https://www.youtube.com/watch?v=x")
    video_file = VideoFile(
        path="Björk/Army of Me [x].mp4",
        container="mp4",
        width=1920,
        height=1080,
        video_codec="h264",
        audio_codec="aac",
        size=25_477_120,
        format="137+140 (mp4)",
    )
    assert facts(video, video_file) == {
        "Kind of file": "MP4",
        "Picture": "1920 \u00d7 1080 (1080p)",
        "Picture codec": "H.264 (AVC)",
        "Sound codec": "AAC",
        "Size": "25.5 MB",  # decimal units (mvidarr.units)
        "From": "YouTube",
    }


def test_a_file_from_another_site_names_its_host_and_an_audio_file_says_so():
    video = Video(extractor="generic", source_url="https://www.videos.example/a/b.m4a")
    video_file = VideoFile(path="A/b.m4a", container="m4a", audio_codec="mp4a.40.2", size=0)
    assert facts(video, video_file) == {
        "Kind of file": "M4A (sound only)",
        "Picture": "None: sound only",
        "Sound codec": "AAC",
        "From": "videos.example",
    }


@pytest.mark.parametrize(
    ("codec", "names", "shown"),
    [
        ("avc1.640028", VIDEO_CODECS, "H.264 (AVC)"),
        ("vp09.00.40.08", VIDEO_CODECS, "VP9"),
        ("av1", VIDEO_CODECS, "AV1"),
        ("hevc", VIDEO_CODECS, "H.265 (HEVC)"),
        ("opus", AUDIO_CODECS, "Opus"),
        ("weird9", VIDEO_CODECS, "weird9"),
        ("", AUDIO_CODECS, ""),
    ],
)
def test_codecs_are_named_as_people_call_them(codec, names, shown):
    assert codec_name(codec, names) == shown


def test_a_container_is_named_from_the_record_else_the_extension():
    assert container_name("mkv") == "Matroska (MKV)"
    assert container_name("", "Björk/x.webm") == "WebM"
    assert container_name("", "Björk/x.xyz") == "XYZ"

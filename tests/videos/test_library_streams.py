"""videos.library.streams: a file's streams read from ``ffmpeg -i``, on clips the tests make."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.jobs.import_folder import remux, truncated_copy
from tests.media.clips import ffmpeg_exe
from videos.library import streams
from videos.library.ffmpeg import FfmpegError, run_ffmpeg
from videos.library.streams import StreamDetails, parse_report, stream_check, stream_details


def make(path, *args):
    run_ffmpeg(["-loglevel", "error", "-y", *args, path], ffmpeg=ffmpeg_exe())
    return path


def test_an_mp4_clip_has_its_codecs_size_duration_and_channels(media_root, media_clips):
    details = stream_details(media_root / media_clips["360p"])
    assert details == StreamDetails(
        video_codec="h264",
        width=640,
        height=360,
        aspect=1.78,
        duration=pytest.approx(2.0, abs=0.1),
        audio_codec="aac",
        channels=1,
    )


def test_a_webm_with_stereo_opus_and_a_mkv_with_surround(tmp_path):
    webm = make(
        tmp_path / "a.webm",
        *("-f", "lavfi", "-i", "testsrc=size=320x240:rate=10:duration=1"),
        *("-f", "lavfi", "-i", "sine=duration=1", "-ac", "2"),
        *("-c:v", "libvpx-vp9", "-deadline", "realtime", "-c:a", "libopus"),
    )
    mkv = make(
        tmp_path / "b.mkv",
        *("-f", "lavfi", "-i", "testsrc=size=176x144:rate=10:duration=1"),
        *("-f", "lavfi", "-i", "sine=duration=1", "-ac", "6", "-c:v", "mpeg4", "-c:a", "ac3"),
    )
    a, b = stream_details(webm), stream_details(mkv)
    assert (a.video_codec, a.width, a.height, a.audio_codec, a.channels) == (
        "vp9",
        320,
        240,
        "opus",
        2,
    )
    assert (b.video_codec, b.width, b.height, b.audio_codec, b.channels) == (
        "mpeg4",
        176,
        144,
        "ac3",
        6,
    )


def test_audio_only_has_no_video(media_root, media_clips):
    details = stream_details(media_root / media_clips["audio"])
    assert not details.has_video and details.audio_codec == "aac" and details.channels == 1
    assert details.width is None and details.duration == pytest.approx(2.0, abs=0.1)


def test_a_file_that_is_not_media_is_a_sentence(tmp_path):
    path = tmp_path / "notes.mp4"
    path.write_text("not a video")
    with pytest.raises(FfmpegError, match=r"ffmpeg found no audio or video in notes\.mp4"):
        stream_details(path)


REPORT = """\
Input #0, matroska,webm, from 'x.mkv':
  Metadata:
    title           : Stream #0:0: Video: evil 9999x9999
                    :   Stream #0:0: Audio: evil, 7.1
    COMMENT         :   Duration: 09:09:09.00
  Duration: 00:03:27.48, start: 0.000000, bitrate: 1234 kb/s
  Stream #0:0: Video: mjpeg (Baseline), yuvj420p(pc, bt470bg/unknown/unknown), 1280x720 \
[SAR 1:1 DAR 16:9], 90k tbr, 90k tbn (attached pic)
  Stream #0:1(eng): Video: hevc (Main 10), yuv420p10le(tv, bt2020nc/bt2020/smpte2084), \
3840x1600 [SAR 1:1 DAR 12:5], 23.98 fps (default)
  Stream #0:2(eng): Audio: eac3 (E-AC-3), 48000 Hz, 5.1(side), fltp, 640 kb/s (default)
  Stream #0:3(jpn): Audio: aac (LC), 48000 Hz, stereo, fltp
Input #1, mp4, from 'y.mp4':
  Stream #1:0: Video: h264, yuv420p, 640x360
"""


def test_the_report_is_read_at_its_own_indentation_only():
    assert parse_report(REPORT) == StreamDetails(
        video_codec="hevc",
        width=3840,
        height=1600,
        aspect=2.4,
        duration=pytest.approx(207.48),
        audio_codec="eac3",
        channels=6,
    )


def test_the_files_own_title_and_artist_are_its_tags_and_a_streams_are_not():
    report = REPORT.replace("  Duration: 00", "    ARTIST          : Portishead\n  Duration: 00")
    report = report.replace(
        "fltp\nInput #1", "fltp\n    Metadata:\n      title           : Commentary\nInput #1"
    )
    tags = parse_report(report).tags
    assert tags == {"title": "Stream #0:0: Video: evil 9999x9999", "artist": "Portishead"}


def test_a_check_reads_the_whole_file_its_tags_and_says_when_it_is_cut_short(
    tmp_path, media_root, media_clips
):
    clip = media_root / media_clips["240p"]
    tagged = remux(clip, tmp_path / "tagged.mp4", "title=Roads", "artist=Portishead")
    short = truncated_copy(clip, tmp_path / "short.mp4")

    whole = stream_check(tagged)
    cut = stream_check(short)

    assert whole == stream_details(tagged) and whole.truncated == ""
    assert whole.tags == {"title": "Roads", "artist": "Portishead"}
    assert cut.truncated.startswith(("its streams end at", "ffmpeg reports it ends early"))
    with pytest.raises(FfmpegError, match=r"cannot read notes\.txt as audio or video: Inv"):
        (tmp_path / "notes.txt").write_text("not a video")
        stream_check(tmp_path / "notes.txt")


def test_a_report_without_duration_or_layout():
    report = (
        "  Duration: N/A, bitrate: N/A\n"
        "  Stream #0:0: Audio: pcm_s16le, 8000 Hz, 3 channels, s16, 384 kb/s\n"
    )
    assert parse_report(report) == StreamDetails(audio_codec="pcm_s16le", channels=3)


def test_a_files_streams_are_read_once_until_the_file_changes(
    tmp_path, media_root, media_clips, monkeypatch
):
    runs = []

    def counted(args, **kwargs):
        runs.append(args)
        return run_ffmpeg(args, **kwargs)

    monkeypatch.setattr(streams, "run_ffmpeg", counted)
    media = tmp_path / "video.mp4"
    shutil.copyfile(media_root / media_clips["360p"], media)

    assert stream_details(media).height == stream_details(media).height == 360
    assert len(runs) == 1  # the post-store steps (artwork, .nfo, tags) each ask
    shutil.copyfile(media_root / media_clips["240p"], tmp_path / "new.mp4")
    os.replace(tmp_path / "new.mp4", media)  # as the tags step rewrites a file
    assert stream_details(media).height == 240
    assert len(runs) == 2

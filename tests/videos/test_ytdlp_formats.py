"""What a quality profile asks yt-dlp for: the plan's selector (unit), and what real yt-dlp
then downloads from the local media server (the file's real height, measured by ffmpeg)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.media.clips import ffmpeg_exe
from tests.media.server import MediaServer
from videos import ytdlp
from videos.ytdlp.formats import offered_qualities, profile_selector

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def config(media_server: MediaServer) -> ytdlp.YtdlpConfig:
    return ytdlp.YtdlpConfig(
        socket_timeout=5, retries=1, allowed_private_hosts=(f"127.0.0.1:{media_server.port}",)
    )


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    path = tmp_path / "incoming"
    path.mkdir()
    return path


def _download(config, url: str, dest: Path, plan) -> ytdlp.DownloadResult:
    return ytdlp.download(
        url, dest, plan, config=config, on_progress=lambda p: None, should_cancel=lambda: False
    )


def _streams(path: Path) -> str:
    run = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True)
    return run.stderr.decode(errors="replace")


def _profile(*qualities: str, container: str = "any", raw: str = "") -> ytdlp.FormatPlan:
    return ytdlp.plan_for_profile(
        name="HD", qualities=qualities, container=container, raw_format=raw
    )


# --- the selector -----------------------------------------------------------------------------
def test_a_profile_tries_each_band_merged_then_single_then_a_file_of_unknown_height():
    assert profile_selector(["720p", "360p"]) == (
        "bv*[height>480][height<=720]+ba/b[height>480][height<=720]"
        "/bv*[height>0][height<=360]+ba/b[height>0][height<=360]"
        "/bv*[height<?1]+ba/b[height<?1]"
    )


def test_the_best_quality_has_no_upper_bound():
    assert profile_selector(["2160p"]).split("/")[0] == "bv*[height>1440]+ba"


def test_an_mp4_profile_prefers_mp4_video_with_m4a_audio_and_remuxes_into_mp4():
    plan = _profile("1080p", container="mp4")
    options = ytdlp.formats.yt_dlp_options(plan)

    assert options["format"].startswith(
        "bv*[height>720][height<=1080][ext=mp4]+ba[ext=m4a]/b[height>720][height<=1080][ext=mp4]/"
    )
    assert options["merge_output_format"] == "mp4"
    assert options["postprocessors"] == [{"key": "FFmpegVideoRemuxer", "preferedformat": "mp4"}]


def test_an_any_container_profile_leaves_the_container_to_yt_dlp():
    assert "merge_output_format" not in ytdlp.formats.yt_dlp_options(_profile("720p"))


def test_a_raw_format_overrides_qualities_and_container():
    plan = _profile("720p", container="mkv", raw=" worst ")

    assert ytdlp.formats.yt_dlp_options(plan) == {"format": "worst"}
    assert plan.allowed == ()


def test_an_audio_profile_extracts_the_audio():
    plan = _profile("audio")

    assert plan.audio_only and plan.allowed == ("audio",)
    assert ytdlp.formats.yt_dlp_options(plan)["postprocessors"][0]["key"] == "FFmpegExtractAudio"


def test_a_plan_survives_the_job_options_and_an_old_job_keeps_its_quality():
    plan = _profile("1080p", "720p", container="mp4")

    assert ytdlp.plan_from_options({"quality": None, **plan.as_options()}) == plan
    assert ytdlp.plan_from_options({"quality": "720p"}) == ytdlp.plan_for_quality("720p")
    assert ytdlp.plan_from_options({}).format == "bv*+ba/b"


def test_yt_dlp_reads_a_good_format_string_and_names_what_is_wrong_with_a_bad_one():
    assert ytdlp.check_format("bv*[height<=720]+ba/b") is None
    reason = ytdlp.check_format("bv*[height<=720+ba")

    assert (
        reason
        == "yt-dlp cannot read this format string: Missing closing/opening brackets or parenthesis."
    )


def test_the_offered_qualities_come_from_the_heights_best_first():
    formats = [
        {"height": 360, "vcodec": "avc1"},
        {"height": 720, "vcodec": "avc1"},
        {"vcodec": "none", "acodec": "mp4a"},
        {"vcodec": "none", "acodec": "none"},  # a storyboard
        {"url": "bare"},  # a bare file: its height is unknown
    ]

    assert offered_qualities(formats) == ["720p", "360p", "audio"]


# --- real downloads ---------------------------------------------------------------------------
@pytest.mark.parametrize(("qualities", "height"), [(("720p",), 720), (("360p",), 360)])
def test_a_profile_downloads_the_variant_it_allows(
    media_server, media_clips, dest, config, qualities, height
):
    result = _download(config, media_server.url(media_clips["hls"]), dest, _profile(*qualities))

    assert result.height == height
    assert f"x{height}" in _streams(result.path)


def test_a_profile_takes_its_first_quality_on_offer(media_server, media_clips, dest, config):
    plan = _profile("1080p", "360p", "720p")

    result = _download(config, media_server.url(media_clips["hls"]), dest, plan)

    assert result.height == 360


def test_nothing_allowed_on_offer_names_what_was_offered_and_what_is_allowed(
    media_server, media_clips, dest, config
):
    with pytest.raises(ytdlp.PermanentError) as caught:
        _download(config, media_server.url(media_clips["hls"]), dest, _profile("1080p"))

    assert caught.value.message == (
        "Nothing this video offers is allowed by the profile “HD”: it offers 720p, 360p; "
        "the profile allows 1080p."
    )
    assert list(dest.iterdir()) == []


def test_a_bare_file_whose_real_height_is_not_allowed_is_refused(
    media_server, media_clips, dest, config
):
    with pytest.raises(ytdlp.PermanentError) as caught:
        _download(config, media_server.url(media_clips["240p"]), dest, _profile("720p"))

    assert "it offers 360p; the profile allows 720p." in caught.value.message


def test_a_bare_file_whose_real_height_is_allowed_is_kept(media_server, media_clips, dest, config):
    result = _download(config, media_server.url(media_clips["240p"]), dest, _profile("360p"))

    assert result.height == 240


@pytest.mark.parametrize("clip", ["hls", "hls_split", "360p"])
def test_an_audio_profile_stores_audio_alone(media_server, media_clips, dest, config, clip):
    result = _download(config, media_server.url(media_clips[clip]), dest, _profile("audio"))

    streams = _streams(result.path)
    assert result.ext in ("m4a", "opus") and result.path.suffix == f".{result.ext}"
    assert "Audio:" in streams and "Video:" not in streams
    assert result.height is None
    assert [p.name for p in dest.iterdir()] == [result.path.name]


@pytest.mark.parametrize("container", ["mkv", "mp4"])
def test_a_container_profile_stores_merged_streams_in_that_container(
    media_server, media_clips, dest, config, container
):
    plan = _profile("720p", container=container)

    result = _download(config, media_server.url(media_clips["hls_split"]), dest, plan)

    streams = _streams(result.path)
    assert result.path.suffix == f".{container}" and result.height == 720
    assert "Video:" in streams and "Audio:" in streams


def test_an_mkv_profile_remuxes_a_single_file_into_mkv(media_server, media_clips, dest, config):
    result = _download(
        config, media_server.url(media_clips["360p"]), dest, _profile("360p", container="mkv")
    )

    assert result.path.suffix == ".mkv" and result.ext == "mkv"
    assert "matroska" in _streams(result.path)


def test_a_raw_format_string_is_what_yt_dlp_runs(media_server, media_clips, dest, config):
    plan = _profile("720p", raw="b[height<=360]")

    result = _download(config, media_server.url(media_clips["hls"]), dest, plan)

    assert result.height == 360

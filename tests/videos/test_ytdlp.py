"""videos.ytdlp against real yt-dlp and the local media server: no mocks."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.media.clips import ffmpeg_exe, make_sized_clip
from tests.media.server import EVIL_TITLES, MediaServer
from videos import ytdlp

pytestmark = pytest.mark.timeout(60)

RETRIES = 2


@pytest.fixture
def config(media_server: MediaServer) -> ytdlp.YtdlpConfig:
    """The configuration under test: the media server is the one private host allowed."""
    return ytdlp.YtdlpConfig(
        socket_timeout=5,
        retries=RETRIES,
        allowed_private_hosts=(f"127.0.0.1:{media_server.port}",),
    )


def _download(
    config: ytdlp.YtdlpConfig, url: str, dest: Path, quality: str = "best", **kwargs
) -> ytdlp.DownloadResult:
    kwargs.setdefault("on_progress", lambda progress: None)
    kwargs.setdefault("should_cancel", lambda: False)
    return ytdlp.download(url, dest, quality, config=config, **kwargs)


def _streams(path: Path) -> str:
    """ffmpeg's description of the streams in ``path`` (imageio-ffmpeg has no ffprobe)."""
    run = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True)
    return run.stderr.decode(errors="replace")


def _token() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    """The job's incoming folder: yt-dlp may write here and nowhere else."""
    path = tmp_path / "incoming"
    path.mkdir()
    return path


# --- probe ------------------------------------------------------------------------------------
def test_probe_of_a_clip_describes_one_video(media_server, media_clips, config):
    url = media_server.url(media_clips["360p"])

    result = ytdlp.probe(url, config=config)

    assert isinstance(result, ytdlp.ProbeResult)
    assert (result.url, result.extractor, result.title) == (url, "generic", "360p")
    assert result.source_id.startswith("url-")


def test_probe_of_an_hls_master_lists_the_heights_on_offer(media_server, media_clips, config):
    result = ytdlp.probe(media_server.url(media_clips["hls"]), config=config)

    assert result.heights == [360, 720]
    assert result.duration is not None
    assert json.loads(json.dumps(result.raw))["title"] == "master"  # storable as JSON


def _entry_requests(media_server: MediaServer, token: str) -> list[tuple[str, int]]:
    """Requests for a feed's entries (``/feed/...?src=...<token>`` names them with the token)."""
    return [r for r in media_server.requests_for(token) if not r[0].startswith("/feed/")]


def test_probe_of_a_feed_lists_its_entries_without_fetching_them(media_server, config):
    token = _token()

    result = ytdlp.probe(
        media_server.url(f"feed/4.xml?src=/clips/240p.mp4?t={token}"), config=config
    )

    assert isinstance(result, ytdlp.PlaylistResult)
    assert [entry.title for entry in result.entries] == [f"Entry {i}" for i in range(1, 5)]
    assert len({entry.source_id for entry in result.entries}) == 4
    assert _entry_requests(media_server, token) == []


def test_a_playlist_entry_has_the_source_id_its_own_probe_will_have(media_server, config):
    entry = ytdlp.probe(media_server.url("feed/2.xml"), config=config).entries[0]

    assert ytdlp.probe(entry.url, config=config).source_id == entry.source_id


# --- quality ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("quality", "height"), [("best", 720), ("720p", 720), ("480p", 360), ("360p", 360)]
)
def test_a_quality_cap_downloads_the_best_variant_at_or_under_it(
    media_server, media_clips, dest, quality, height, config
):
    result = _download(config, media_server.url(media_clips["hls"]), dest, quality)

    assert result.height == height
    assert f"x{height}" in _streams(result.path)


@pytest.mark.parametrize(("quality", "height"), [("360p", 360), ("best", 720)])
def test_hls_with_mpeg_ts_segments_downloads_and_remuxes(
    media_server, media_clips, dest, config, quality, height
):
    result = _download(config, media_server.url(media_clips["hls_ts"]), dest, quality)

    streams = _streams(result.path)
    assert result.height == height
    assert f"x{height}" in streams and "Audio:" in streams


def test_a_cap_under_every_variant_falls_back_to_the_smallest(
    media_server, media_clips, dest, config
):
    result = _download(config, media_server.url(media_clips["hls_720_only"]), dest, "360p")

    assert result.height == 720


def test_a_bare_file_gets_its_height_from_the_file_itself(media_server, media_clips, dest, config):
    result = _download(config, media_server.url(media_clips["240p"]), dest, "720p")

    assert (result.width, result.height) == (426, 240)
    assert result.path == dest / "media.mp4"
    assert result.size == result.path.stat().st_size


def test_audio_quality_takes_the_audio_rendition_alone(media_server, media_clips, dest, config):
    result = _download(config, media_server.url(media_clips["hls_split"]), dest, "audio")

    streams = _streams(result.path)
    assert "Audio:" in streams and "Video:" not in streams
    assert result.height is None


def test_separate_video_and_audio_are_merged_with_steady_progress(
    media_server, media_clips, dest, config
):
    progress: list[ytdlp.Progress] = []

    result = _download(
        config, media_server.url(media_clips["hls_split"]), dest, on_progress=progress.append
    )

    streams = _streams(result.path)
    assert "Video:" in streams and "Audio:" in streams
    assert result.height == 720 and result.ext == "mp4"
    percents = [p.percent for p in progress]
    assert percents == sorted(percents) and percents[-1] == 100.0
    assert 50.0 in percents  # the video pass ends half way, the audio pass fills the rest
    assert "merging" in {p.phase for p in progress}


# --- failures ---------------------------------------------------------------------------------
def test_a_missing_video_is_a_permanent_error_a_person_can_read(media_server, dest, config):
    url = media_server.url("404/gone.mp4")

    with pytest.raises(ytdlp.PermanentError) as caught:
        _download(config, url, dest)

    assert str(caught.value) == caught.value.message
    assert caught.value.message.startswith(f"The video was not found at {url} (HTTP 404).")
    assert caught.value.gone  # another source is needed, not another try


def test_a_video_gone_for_good_says_so_and_a_refused_one_does_not(media_server, dest, config):
    with pytest.raises(ytdlp.PermanentError) as removed:
        _download(config, media_server.url("status/410/removed.mp4"), dest)
    assert removed.value.gone
    with pytest.raises(ytdlp.PermanentError) as denied:
        _download(config, media_server.url("status/403/private.mp4"), dest)
    assert not denied.value.gone


def test_access_denied_is_a_permanent_error(media_server, dest, config):
    with pytest.raises(ytdlp.PermanentError, match="denied"):
        _download(config, media_server.url("status/403/private.mp4"), dest)


def test_server_errors_beyond_the_retries_are_transient(media_server, media_clips, dest, config):
    failures = RETRIES + 1
    url = media_server.url(f"embed/fail/{failures}/{_token()}/{media_clips['360p']}")

    with pytest.raises(ytdlp.TransientError) as caught:
        _download(config, url, dest)

    assert caught.value.host == "127.0.0.1" and not caught.value.rate_limited


def test_server_errors_within_the_retries_are_retried_by_yt_dlp(
    media_server, media_clips, dest, config
):
    token = _token()
    url = media_server.url(f"embed/fail/{RETRIES}/{token}/{media_clips['360p']}")

    result = _download(config, url, dest)

    assert result.height == 360
    statuses = [s for path, s in media_server.requests_for(token) if path.startswith("/fail/")]
    assert statuses == [500] * RETRIES + [200]


def test_a_connection_dropped_mid_stream_is_transient(media_server, media_clips, dest, config):
    with pytest.raises(ytdlp.TransientError, match="retried later"):
        _download(config, media_server.url("drop/" + media_clips["720p"]), dest)


def test_a_server_that_stops_answering_is_a_transient_timeout(
    media_server, media_clips, dest, config
):
    config = dataclasses.replace(config, socket_timeout=1, retries=0)
    url = media_server.url(f"hold/2/{_token()}/{media_clips['360p']}")  # never a second one

    with pytest.raises(ytdlp.TransientError, match="did not answer in time"):
        ytdlp.download(
            url, dest, "best", config=config, on_progress=print, should_cancel=lambda: False
        )


def test_rate_limiting_is_transient_and_says_so(media_server, media_clips, dest, config):
    url = media_server.url(f"ratelimit/5/{_token()}/{media_clips['360p']}")

    with pytest.raises(ytdlp.TransientError) as caught:
        _download(config, url, dest)

    assert caught.value.rate_limited and caught.value.retry_after == 1.0


@pytest.mark.parametrize("url", ["garbage", "ftp://example.com/video.mp4", "file:///etc/passwd"])
def test_a_link_that_is_not_a_web_address_is_a_permanent_error(url, dest, config):
    with pytest.raises(ytdlp.PermanentError, match="http:// or https://"):
        _download(config, url, dest)


def test_a_page_without_a_video_is_a_permanent_error(media_server, dest, config):
    with pytest.raises(ytdlp.PermanentError, match="does not support"):
        _download(config, media_server.url("feed/0.html"), dest)


def test_a_feed_given_as_one_video_is_refused_before_any_download(media_server, dest, config):
    token = _token()

    with pytest.raises(ytdlp.PermanentError, match="playlist or feed"):
        _download(config, media_server.url(f"feed/3.xml?src=/clips/240p.mp4?t={token}"), dest)

    assert list(dest.iterdir()) == []
    assert _entry_requests(media_server, token) == []


def test_an_unreadable_cookies_file_is_a_permanent_error(media_server, media_clips, dest, config):
    config = dataclasses.replace(config, cookies_file=str(dest / "missing-cookies.txt"))

    with pytest.raises(ytdlp.PermanentError, match="cookies file"):
        ytdlp.probe(media_server.url(media_clips["360p"]), config=config)


def crashing_ffmpeg(folder: Path) -> str:
    """An ffmpeg that answers -version, then crashes on its input (a broken FFMPEG_PATH)."""
    crashing = folder / "ffmpeg"
    crashing.write_text(
        "#!/bin/sh\n"
        'case "$*" in *-bsfs*|*-version*) echo "ffmpeg version 7.0.2-test"; exit 0;; esac\n'
        'echo "Segmentation fault" >&2\nexit 139\n'
    )
    crashing.chmod(0o755)
    return str(crashing)


@pytest.mark.parametrize("ffmpeg", ["missing", "crashing"])
def test_merging_with_a_missing_or_crashing_ffmpeg_is_a_permanent_error_that_names_ffmpeg(
    media_server, media_clips, dest, tmp_path, config, ffmpeg
):
    path = "/nonexistent/ffmpeg" if ffmpeg == "missing" else crashing_ffmpeg(tmp_path)
    config = dataclasses.replace(config, ffmpeg_path=path)

    with pytest.raises(ytdlp.PermanentError, match="FFMPEG_PATH"):
        ytdlp.download(
            media_server.url(media_clips["hls_split"]), dest, "best", config=config,
            on_progress=lambda progress: None, should_cancel=lambda: False,
        )  # fmt: skip


# --- cancel -----------------------------------------------------------------------------------
def test_cancelling_stops_the_download_and_leaves_only_partial_files(
    media_server, media_clips, dest, config
):
    progress: list[ytdlp.Progress] = []
    url = media_server.url("slow/20000/" + media_clips["720p"])

    with pytest.raises(ytdlp.Cancelled):
        _download(
            config, url, dest, on_progress=progress.append, should_cancel=lambda: bool(progress)
        )

    assert all(path.name.endswith(".part") for path in dest.iterdir())


# --- names and disk ---------------------------------------------------------------------------
@pytest.mark.parametrize("slug", sorted(EVIL_TITLES))
def test_an_evil_title_never_reaches_the_file_name(media_server, dest, slug, config):
    result = _download(config, media_server.url(f"page/{slug}"), dest)

    assert [path.name for path in dest.iterdir()] == ["media.mp4"]
    assert result.path == dest / "media.mp4"
    assert result.info["title"] == EVIL_TITLES[slug]


@pytest.fixture
def tiny_disk(tmp_path):
    """A 200 KiB tmpfs (needs root, or at least mount rights)."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(mount_point)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)


def test_a_full_disk_is_a_permanent_error_that_says_to_free_space(
    media_server: MediaServer, tiny_disk, config
):
    make_sized_clip(media_server.root / "sized/1mb.mp4", 1_000_000)

    with pytest.raises(ytdlp.PermanentError, match="Not enough disk space"):
        _download(config, media_server.url("sized/1mb.mp4"), tiny_disk)


# --- JavaScript runtime -----------------------------------------------------------------------
def test_a_disabled_javascript_runtime_is_reported():
    runtime, sentence = ytdlp.js_runtime_status(ytdlp.YtdlpConfig(js_runtime="none"))

    assert runtime is None and "YouTube formats will be missing" in sentence


def test_a_javascript_runtime_that_is_not_there_is_reported():
    config = ytdlp.YtdlpConfig(js_runtime="node:/nonexistent/node")

    assert ytdlp.js_runtime_status(config) == (
        None,
        "No JavaScript runtime found (Deno >= 2.3 or Node >= 22): YouTube formats will be "
        "missing; install one or set JS_RUNTIME.",
    )

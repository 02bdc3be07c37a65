"""yt-dlp behind the private-address guard: a user's link reaches only public (or allowed) hosts.

The media server on 127.0.0.1 is allowed by port; a second loopback server (the
``internal_service`` fixture) stands for an internal service and must never see a request.
"""

from __future__ import annotations

import dataclasses
import ssl
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.media.server import MediaServer
from videos import ytdlp
from videos.netguard import AddressPolicy
from videos.ytdlp.network import GuardedYoutubeDL

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


def _download(url: str, dest: Path, config: ytdlp.YtdlpConfig) -> ytdlp.DownloadResult:
    return ytdlp.download(
        url, dest, "best", config=config, on_progress=lambda p: None, should_cancel=lambda: False
    )


def _internal_urls(internal_service) -> list[str]:
    port = internal_service.server_address[1]
    return [
        f"http://127.0.0.1:{port}/secret.mp4",
        f"http://localhost:{port}/secret.mp4",
        f"http://[::ffff:127.0.0.1]:{port}/secret.mp4",
        f"http://0.0.0.0:{port}/secret.mp4",
    ]


def test_a_link_to_another_loopback_port_is_refused_with_a_sentence(internal_service, config, dest):
    for url in _internal_urls(internal_service):
        with pytest.raises(ytdlp.PermanentError, match="MVIDARR_ALLOWED_PRIVATE_HOSTS"):
            _download(url, dest, config)
        with pytest.raises(ytdlp.PermanentError, match="links may only point at public servers"):
            ytdlp.probe(url, config=config)

    assert internal_service.hits == []
    assert list(dest.iterdir()) == []


def test_a_redirect_from_the_allowed_server_to_another_port_is_refused(
    internal_service, media_server, config, dest
):
    target = f"http://127.0.0.1:{internal_service.server_address[1]}/secret.mp4"
    url = media_server.url(f"redirect?to={quote(target, safe='')}")

    with pytest.raises(ytdlp.PermanentError, match="loopback address"):
        _download(url, dest, config)

    assert internal_service.hits == []
    assert list(dest.iterdir()) == []


def test_without_an_allow_list_even_the_media_server_is_refused(media_server, media_clips, dest):
    url = media_server.url(f"{media_clips['360p']}?t=no-allow-list")
    with pytest.raises(ytdlp.PermanentError, match="loopback address"):
        _download(url, dest, ytdlp.YtdlpConfig(retries=0))

    assert media_server.requests_for("no-allow-list") == []


def test_every_fragment_of_an_hls_stream_goes_through_the_guard(
    media_server, media_clips, config, dest
):
    # The playlist is on the allowed server; its segments too. Allowing only another port
    # refuses the very first request, so fragments cannot take a path around the guard.
    result = _download(media_server.url(media_clips["hls"]), dest, config)
    assert result.height in (360, 720)

    other = ytdlp.YtdlpConfig(retries=0, allowed_private_hosts=("127.0.0.1:1",))
    with pytest.raises(ytdlp.PermanentError, match="loopback address"):
        _download(media_server.url(media_clips["hls"]), dest, other)


def test_an_answer_that_is_not_audio_or_video_never_becomes_a_file(media_server, config, dest):
    with pytest.raises(ytdlp.PermanentError, match="not audio or video"):
        _download(media_server.url("json/config"), dest, config)


def test_an_allowed_private_host_by_network_is_fetched(media_server, media_clips, dest):
    config = ytdlp.YtdlpConfig(retries=0, allowed_private_hosts=("127.0.0.0/8",))

    result = _download(media_server.url(media_clips["240p"], host="localhost"), dest, config)

    assert result.path.is_file() and result.height == 240


def test_through_a_proxy_the_target_is_checked_before_the_proxy_is_asked(
    internal_service, media_server, config, dest
):
    # The proxy (the allowed media server standing in for one) would make the last lookup,
    # so the target's own addresses decide, and the proxy never hears of the request.
    proxied = dataclasses.replace(config, proxy=media_server.url().rstrip("/"))
    target = f"http://localhost:{internal_service.server_address[1]}/secret.mp4?t=via-proxy"

    with pytest.raises(ytdlp.PermanentError, match="loopback address"):
        _download(target, dest, proxied)

    assert internal_service.hits == []
    assert media_server.requests_for("via-proxy") == []


def test_downloads_share_one_tls_context_per_set_of_settings():
    """Loading the CA bundle for every download's YoutubeDL cost 12-70 ms of CPU each."""

    def context(**params):
        ydl = GuardedYoutubeDL({"quiet": True, **params}, policy=AddressPolicy())
        (handler,) = ydl._request_director.handlers.values()
        return handler._make_sslcontext()

    assert context() is context()
    assert context(nocheckcertificate=True) is not context()
    assert context(nocheckcertificate=True).verify_mode == ssl.CERT_NONE

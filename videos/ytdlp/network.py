"""yt-dlp's network layer with the private-address guard in it.

Every request yt-dlp makes — the page, the manifest, each fragment, each redirect — goes
through one request handler, yt-dlp's urllib handler, whose HTTP connections are made by
``netguard.create_connection``: the address actually connected to is checked, with no second
lookup. yt-dlp's other handlers (requests, websockets, curl_cffi) are not used, and neither
is FTP. ffmpeg is never allowed to open a network address itself (``protocol_whitelist``),
so HLS and DASH are fetched natively, through the same guard.

Through a proxy (the proxy setting, else the environment's ``*_proxy``), the proxy makes the
last lookup; the target host is then resolved and checked before the request is sent.
"""

from __future__ import annotations

import functools
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

import yt_dlp
from yt_dlp.networking._helper import make_ssl_context
from yt_dlp.networking._urllib import HTTPHandler, UrllibRH

from videos import netguard

# ffmpeg reads only local files and in-memory data: a format only ffmpeg could fetch fails.
FFMPEG_INPUT_ARGS = ["-protocol_whitelist", "file,crypto,data"]


class GuardedYoutubeDL(yt_dlp.YoutubeDL):
    """A YoutubeDL whose every HTTP connection goes through ``policy``."""

    def __init__(self, params: dict[str, Any], *, policy: netguard.AddressPolicy, **kwargs):
        self._address_policy = policy  # before __init__: it may build the request director
        super().__init__(params, **kwargs)

    def build_request_director(self, handlers, preferences=None):
        director = super().build_request_director([_GuardedUrllibRH], preferences)
        for handler in director.handlers.values():
            handler.address_policy = self._address_policy
        return director


class _GuardedUrllibRH(UrllibRH):
    _SUPPORTED_URL_SCHEMES = ("http", "https", "data")  # no ftp: it would bypass the guard
    RH_NAME = "urllib (guarded)"
    address_policy: netguard.AddressPolicy = netguard.AddressPolicy()  # the caller's replaces it

    def _make_sslcontext(self, legacy_ssl_support=None):
        # Each download builds a YoutubeDL and with it a context that loads the CA bundle:
        # 12 ms of CPU on a quiet machine, 70 ms on a busy one (profiled, 2026-12-06). One
        # context per set of settings serves them all (an SSLContext is shared between
        # connections and threads alike; nothing changes it after it is made).
        legacy = self.legacy_ssl_support if legacy_ssl_support is None else legacy_ssl_support
        return _ssl_context(
            self.verify,
            bool(legacy),
            not self.prefer_system_certs,
            tuple(sorted(self._client_cert.items())),
        )

    def _create_instance(self, proxies, cookiejar, legacy_ssl_support=None):
        opener = super()._create_instance(proxies, cookiejar, legacy_ssl_support)
        for handler in opener.handlers:
            if isinstance(handler, HTTPHandler):
                # http_open and https_open call self.do_open with a connection factory.
                handler.do_open = functools.partial(
                    _guarded_do_open, handler.do_open, self.address_policy, bool(proxies)
                )
        return opener


@functools.lru_cache(maxsize=8)
def _ssl_context(
    verify: bool, legacy: bool, use_certifi: bool, client_cert: tuple[tuple[str, Any], ...]
) -> Any:
    return make_ssl_context(
        verify=verify, legacy_support=legacy, use_certifi=use_certifi, **dict(client_cert)
    )


def _guarded_do_open(
    do_open: Callable[..., Any],
    policy: netguard.AddressPolicy,
    proxied: bool,
    http_class: Callable[..., Any],
    request: urllib.request.Request,
    **kwargs: Any,
) -> Any:
    if proxied:
        target = urllib.parse.urlsplit(request.full_url)
        port = target.port or (443 if target.scheme == "https" else 80)
        policy.check_host(target.hostname or "", port)
        return do_open(http_class, request, **kwargs)

    def connection(*args: Any, **kw: Any) -> Any:
        conn = http_class(*args, **kw)
        conn._create_connection = functools.partial(netguard.create_connection, policy=policy)
        return conn

    return do_open(connection, request, **kwargs)

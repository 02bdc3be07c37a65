"""Fetching a user's URL with urllib, through the private-address guard.

:func:`guarded_opener` is the opener that feeds (:mod:`videos.feeds`) and the search URL
finder (:mod:`videos.finders`) read with: http(s) only, every connection (redirects
included) checked by :mod:`videos.netguard`. Nothing here imports Django.
"""

from __future__ import annotations

import functools
import http.client
import urllib.parse
import urllib.request
from typing import Any

from videos import netguard
from videos.ytdlp import PermanentError

__all__ = ["guarded_opener"]


def guarded_opener(
    policy: netguard.AddressPolicy, proxy: str | None
) -> urllib.request.OpenerDirector:
    """http(s) only, through the guard. Built by hand: ``build_opener`` would add FTP and
    file handlers, and a redirect to ftp:// would connect without the guard."""
    opener = urllib.request.OpenerDirector()
    proxies = {"http": proxy, "https": proxy} if proxy else None  # None: the environment's
    for handler in (
        urllib.request.ProxyHandler(proxies),
        _GuardedHTTPHandler(policy),
        _GuardedHTTPSHandler(policy),
        urllib.request.HTTPDefaultErrorHandler(),
        _HttpOnlyRedirectHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _guarded(http_class: type, policy: netguard.AddressPolicy, request: urllib.request.Request):
    """A connection factory for ``do_open`` whose connections go through the guard.

    Through a proxy, the proxy makes the last lookup: the target is checked before the
    request goes out (as ``videos.ytdlp.network`` does for yt-dlp).
    """
    if request.has_proxy() or getattr(request, "_tunnel_host", None):
        target = urllib.parse.urlsplit(request.full_url)
        policy.check_host(target.hostname or "", target.port or _default_port(target.scheme))
        return http_class

    def connection(*args: Any, **kwargs: Any) -> http.client.HTTPConnection:
        conn = http_class(*args, **kwargs)
        conn._create_connection = functools.partial(netguard.create_connection, policy=policy)
        return conn

    return connection


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, policy: netguard.AddressPolicy) -> None:
        super().__init__()
        self._policy = policy

    def http_open(self, req):
        return self.do_open(_guarded(http.client.HTTPConnection, self._policy, req), req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, policy: netguard.AddressPolicy) -> None:
        super().__init__()
        self._policy = policy

    def https_open(self, req):
        return self.do_open(
            _guarded(http.client.HTTPSConnection, self._policy, req),
            req,
            context=self._context,
        )


class _HttpOnlyRedirectHandler(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        scheme = urllib.parse.urlsplit(newurl).scheme.lower()
        if scheme not in ("http", "https"):
            raise PermanentError(
                f"{req.full_url} redirects to a {scheme or 'relative'}: address; "
                "MVidarr follows http(s) redirects only."
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)

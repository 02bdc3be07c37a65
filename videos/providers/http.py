"""The one way a provider is asked anything: :class:`ProviderHttp`.

``get_json`` answers from the cache (Redis, shared by every process, for the cache TTL
setting) or else waits for the provider's turn (:mod:`videos.providers.limiter`), sends the
request (http(s) only, a timeout, at most ``max_bytes`` read) and caches what it parsed.
HTTP 429 and 5xx, timeouts and dropped connections are :class:`TransientError` (retried a
few times here when the wait is short, then left to the job); anything else that went wrong
is :class:`PermanentError`. Messages never contain the request's headers (API keys).
"""

from __future__ import annotations

import email.utils
import hashlib
import http.client
import json
import logging
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache

from mvidarr.units import format_bytes
from videos.models import is_http_url
from videos.providers import limiter
from videos.ytdlp import PermanentError, TransientError

logger = logging.getLogger(__name__)

CACHE_PREFIX = "providers:answer:"


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not is_http_url(newurl):
            raise PermanentError("The provider redirected to an address that is not http(s).")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener() -> urllib.request.OpenerDirector:
    """http(s) only: ``build_opener`` would add ftp and file handlers."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        _HttpOnlyRedirects(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def retry_after_seconds(value: str | None) -> float | None:
    """A Retry-After header (seconds or an HTTP date) in seconds; None when absent or odd."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


@dataclass
class ProviderHttp:
    """A provider's HTTP: ``name`` ("imvdb") keys the cache and the rate limit, ``label``
    ("IMVDb") and ``hint`` (what to check) go into the sentences a person reads."""

    name: str
    label: str
    base_url: str
    rate: float
    cache_ttl: int
    hint: str
    headers: dict[str, str] = field(default_factory=dict)
    timeout: float = 15.0
    max_bytes: int = 8_000_000
    retries: int = 2
    max_inline_wait: float = 5.0

    def __post_init__(self) -> None:
        if not is_http_url(self.base_url):
            raise PermanentError(f"The {self.label} address is not http(s); {self.hint}.")

    def url(self, path: str, params: dict[str, Any] | None = None) -> str:
        address = f"{self.base_url.rstrip('/')}/{path.lstrip('/')}"
        if params:
            address += "?" + urllib.parse.urlencode(
                [(key, value) for key, value in params.items() if value is not None]
            )
        return address

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """The provider's JSON answer for ``path`` with ``params`` (cached)."""
        address = self.url(path, params)
        key = self._cache_key(address)
        if self.cache_ttl > 0:
            cached = cache.get(key)
            if cached is not None:
                return cached
        for attempt in range(self.retries + 1):
            try:
                answer = self._fetch(address)
                break
            except TransientError as exc:
                wait = exc.retry_after if exc.retry_after is not None else 0.5 * 2**attempt
                if attempt >= self.retries or wait > self.max_inline_wait:
                    raise
                logger.info("%s: %s; trying again in %.1f s", self.label, exc.message, wait)
                time.sleep(wait)
        if self.cache_ttl > 0:
            cache.set(key, answer, self.cache_ttl)
        return answer

    def _cache_key(self, address: str) -> str:
        # The key header is part of what was asked: another key may see other answers.
        digest = hashlib.sha256(
            json.dumps([address, sorted(self.headers.items())]).encode()
        ).hexdigest()
        return f"{CACHE_PREFIX}{self.name}:{digest}"

    def _fetch(self, address: str) -> Any:
        try:
            with limiter.turn(self.name, rate=self.rate):
                data = self._send(address)
        except TimeoutError as exc:
            raise TransientError(f"{exc} It will be tried again later.") from None
        if len(data) > self.max_bytes:
            raise PermanentError(
                f"{self.label} answered with more than {format_bytes(self.max_bytes)}; {self.hint}."
            )
        try:
            return json.loads(data)
        except ValueError:
            raise PermanentError(f"{self.label} did not answer JSON; {self.hint}.") from None

    def _send(self, address: str) -> bytes:
        request = urllib.request.Request(
            address, headers={"Accept": "application/json", **self.headers}
        )
        try:
            with _opener().open(request, timeout=self.timeout) as response:
                return response.read(self.max_bytes + 1)
        except (PermanentError, TransientError):
            raise
        except urllib.error.HTTPError as error:
            raise self._http_error(error) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            reason = getattr(error, "reason", error)
            what = "did not answer in time" if isinstance(reason, socket.timeout) else "failed"
            raise TransientError(
                f"The connection to {self.label} {what} ({reason}); it will be tried again later.",
                host=urllib.parse.urlsplit(address).hostname,
            ) from None

    def _http_error(self, error: urllib.error.HTTPError) -> Exception:
        code = error.code
        host = urllib.parse.urlsplit(error.url or self.base_url).hostname
        if code == 429 or code >= 500:
            retry_after = retry_after_seconds(error.headers.get("Retry-After"))
            if code == 429:
                limiter.defer(self.name, seconds=retry_after or 1.0, rate=self.rate)
            what = "is limiting requests" if code == 429 else "had an error"
            return TransientError(
                f"{self.label} {what} (HTTP {code}); it will be tried again later.",
                host=host,
                rate_limited=code == 429,
                retry_after=retry_after,
            )
        if code in (401, 403):
            return PermanentError(
                f"{self.label} refused the request (HTTP {code}): the API key is missing or "
                f"wrong; {self.hint}."
            )
        if code in (404, 410):
            return PermanentError(f"{self.label} has no such entry (HTTP {code}).", gone=True)
        return PermanentError(f"{self.label} answered HTTP {code}; {self.hint}.")

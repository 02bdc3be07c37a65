"""HTTP for connections: http(s) only, no redirects followed, a timeout, a cap on what is
read back. Connections are exempt from the private-address rule (a media server lives on the
home network), so this does not go through :mod:`videos.netguard`; it is only ever given the
address a member of staff wrote in a connection.

A 5xx, a timeout or a refused connection is transient; any other answer outside 2xx is
permanent, with the reason.
"""

from __future__ import annotations

import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

TIMEOUT_SECONDS = 15.0
MAX_RESPONSE_BYTES = 1024 * 1024
USER_AGENT = "MVidarr"


class DeliveryError(Exception):
    """A delivery that did not happen; ``permanent`` when trying again cannot help."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # answered as the 3xx it is: a permanent fault with the reason


def _opener() -> urllib.request.OpenerDirector:
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler({}),  # a media server is on the home network: no proxy
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        _NoRedirect(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = TIMEOUT_SECONDS,
) -> Answer:
    """Send one request; return the answer (2xx); raise :class:`DeliveryError`."""
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in ("http", "https"):
        raise DeliveryError(
            f"Only http:// and https:// addresses are used, not {scheme}://.", permanent=True
        )
    req = urllib.request.Request(url, data=body, method=method)
    req.add_header("User-Agent", USER_AGENT)
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    where = _where(url)
    try:
        with _opener().open(req, timeout=timeout) as response:
            data = response.read(MAX_RESPONSE_BYTES + 1)
            if len(data) > MAX_RESPONSE_BYTES:
                data = data[:MAX_RESPONSE_BYTES]
            return Answer(status=response.status, body=data)
    except urllib.error.HTTPError as exc:
        detail = _detail(exc)
        message = f"{where} answered {exc.code} {exc.reason}{detail}."
        if exc.code >= 500 or exc.code == 429:
            raise DeliveryError(message, permanent=False) from None
        raise DeliveryError(message, permanent=True) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise DeliveryError(f"{where} did not answer in time.", permanent=False) from None
        if isinstance(reason, socket.gaierror):
            raise DeliveryError(
                f"{where}: the host name is not known ({reason}).", permanent=False
            ) from None
        raise DeliveryError(f"{where} could not be reached ({reason}).", permanent=False) from None
    except TimeoutError:
        raise DeliveryError(f"{where} did not answer in time.", permanent=False) from None
    except (ConnectionError, OSError) as exc:
        raise DeliveryError(f"{where} could not be reached ({exc}).", permanent=False) from None


def _where(url: str) -> str:
    """The address without its query (a token may be in it)."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(
        (parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", "")
    )


def _detail(exc: urllib.error.HTTPError) -> str:
    try:
        text = exc.read(300).decode("utf-8", "replace").strip()
    except OSError:
        return ""
    return f": {text[:200]}" if text else ""

"""Media servers: ask Jellyfin, Emby, Plex or Kodi to look at a folder again.

Each gets the folder as it sees it (:func:`mapped_folder`: the connection's path mapping
applied to the folder inside the library).
"""

from __future__ import annotations

import base64
import json
import urllib.parse
from pathlib import PurePosixPath

from django.conf import settings as django_settings

from connections.clients import http
from connections.clients.http import DeliveryError


def mapped_folder(settings: dict, folder: str) -> str:
    """``folder`` (relative to the library) as the media server sees it: under ``path_to``
    when the connection maps ``path_from`` (default: the library root) to it."""
    library = (settings.get("path_from") or str(django_settings.LIBRARY_ROOT)).rstrip("/")
    base = (settings.get("path_to") or library).rstrip("/") or "/"
    relative = PurePosixPath(folder)
    if str(relative) in ("", "."):
        return base
    return str(PurePosixPath(base) / relative)


def _base(settings: dict) -> str:
    return settings["url"].rstrip("/")


# --- Jellyfin and Emby ------------------------------------------------------------------
def _emby_headers(settings: dict) -> dict[str, str]:
    token = settings["api_key"]
    return {
        "X-Emby-Token": token,
        "Authorization": f'MediaBrowser Token="{token}"',
        "Content-Type": "application/json",
    }


def emby_refresh(settings: dict, folder: str, update_type: str) -> str:
    path = mapped_folder(settings, folder)
    if settings.get("mode") == "full":
        http.request(
            "POST", f"{_base(settings)}/Library/Refresh", body=b"", headers=_emby_headers(settings)
        )
        return "Asked for a full library refresh."
    body = json.dumps({"Updates": [{"Path": path, "UpdateType": update_type}]}).encode()
    http.request(
        "POST",
        f"{_base(settings)}/Library/Media/Updated",
        body=body,
        headers=_emby_headers(settings),
    )
    return f"Told it {path} was {update_type.lower()}."


def emby_test(settings: dict) -> str:
    http.request("GET", f"{_base(settings)}/System/Info", headers=_emby_headers(settings))
    return "The server answered and took the API key."


# --- Plex -------------------------------------------------------------------------------
def plex_refresh(settings: dict, folder: str, update_type: str) -> str:
    path = mapped_folder(settings, folder)
    query = urllib.parse.urlencode({"path": path})
    url = f"{_base(settings)}/library/sections/{settings['section_id']}/refresh?{query}"
    http.request("GET", url, headers={"X-Plex-Token": settings["token"]})
    return f"Asked it to scan {path}."


def plex_test(settings: dict) -> str:
    url = f"{_base(settings)}/library/sections/{settings['section_id']}"
    http.request(
        "GET", url, headers={"X-Plex-Token": settings["token"], "Accept": "application/json"}
    )
    return "The server answered and knows the library section."


# --- Kodi -------------------------------------------------------------------------------
def _kodi_call(settings: dict, method: str, params: dict) -> dict:
    body = json.dumps({"jsonrpc": "2.0", "method": method, "params": params, "id": 1}).encode()
    headers = {"Content-Type": "application/json"}
    if settings.get("username"):
        pair = f"{settings['username']}:{settings.get('password', '')}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
    answer = http.request("POST", settings["url"], body=body, headers=headers)
    try:
        reply = json.loads(answer.body or b"{}")
    except ValueError:
        raise DeliveryError(
            "Kodi answered with something that is not JSON-RPC.", permanent=True
        ) from None
    if isinstance(reply, dict) and reply.get("error"):
        error = reply["error"]
        message = error.get("message") if isinstance(error, dict) else error
        message = str(message).rstrip(".")
        raise DeliveryError(f"Kodi refused {method}: {message}.", permanent=True)
    return reply if isinstance(reply, dict) else {}


def kodi_refresh(settings: dict, folder: str, update_type: str) -> str:
    # Kodi wants a folder with its trailing separator.
    path = mapped_folder(settings, folder).rstrip("/") + "/"
    _kodi_call(settings, "VideoLibrary.Scan", {"directory": path})
    return f"Asked it to scan {path}."


def kodi_test(settings: dict) -> str:
    _kodi_call(settings, "JSONRPC.Ping", {})
    return "Kodi answered."


REFRESH = {
    "jellyfin": emby_refresh,
    "emby": emby_refresh,
    "plex": plex_refresh,
    "kodi": kodi_refresh,
}
TEST = {"jellyfin": emby_test, "emby": emby_test, "plex": plex_test, "kodi": kodi_test}

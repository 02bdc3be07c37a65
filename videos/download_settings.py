"""The download settings yt-dlp reads (settings store): the proxy and the cookies file.

Both are read when a job runs (:func:`with_download_settings`), so a change applies to the
next download without a restart. The cookies file is uploaded by staff: its text is kept in
the settings store (a secret: never shown, never served back) so every worker gets it, and
each worker writes it under ``MVIDARR_VAR/private/`` (folder 0700, file 0600) — never in the
library — for yt-dlp's ``cookiefile``. ``YTDLP_COOKIES_FILE`` (a path) wins when set.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

from preferences.registry import SettingSpec
from preferences.selectors import setting_get
from preferences.validators import text
from videos import ytdlp

PROXY = "downloads.proxy"
COOKIES = "downloads.cookies"

PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")
MAX_COOKIES_BYTES = 512 * 1024
COOKIES_HEADER = "# Netscape HTTP Cookie File"
_PRIVATE_FOLDER = "private"
_PREFIX = "cookies-"


def proxy_url(value: Any) -> str:
    """Empty (no proxy) or ``scheme://[user:password@]host:port`` with an http, https or
    socks5 scheme."""
    cleaned = text(max_length=500, allow_blank=True)(value)
    if not cleaned:
        return ""
    try:
        parts = urlsplit(cleaned)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if parts is None or parts.scheme not in PROXY_SCHEMES or not parts.hostname or not port:
        raise ValidationError(
            "Write the proxy as http://host:port, https://host:port or socks5://host:port "
            "(with user:password@ before the host if it needs them).",
            code="invalid",
        )
    return cleaned


def cookies_text(value: Any) -> str:
    """Empty (no cookies) or a Netscape cookies file (what a browser extension such as
    "Get cookies.txt" exports): each line a comment or seven fields separated by tabs."""
    if not isinstance(value, str):
        raise ValidationError("Upload the cookies as a text file.", code="invalid")
    if len(value.encode("utf-8")) > MAX_COOKIES_BYTES:
        raise ValidationError(
            f"The cookies file is larger than {MAX_COOKIES_BYTES // 1024} KB; export the "
            "cookies of the sites you download from only.",
            code="too_large",
        )
    cookies = 0
    for number, line in enumerate(value.splitlines(), start=1):
        if line.startswith("#HttpOnly_"):
            line = line[len("#HttpOnly_") :]
        elif line.startswith("#") or not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 7:
            raise ValidationError(
                f"Line {number} is not a cookie: a Netscape cookies file has seven fields "
                f"separated by tabs on each line, this one has {len(fields)}. Export the file "
                "again in the Netscape (cookies.txt) format.",
                code="invalid",
            )
        if fields[1].upper() not in ("TRUE", "FALSE") or fields[3].upper() not in ("TRUE", "FALSE"):
            raise ValidationError(
                f"Line {number} is not a cookie: its second and fourth fields must be TRUE or "
                "FALSE. Export the file again in the Netscape (cookies.txt) format.",
                code="invalid",
            )
        if fields[4] and not fields[4].replace(".", "", 1).isdigit():
            raise ValidationError(
                f"Line {number} is not a cookie: its fifth field (when it expires) must be a "
                "number. Export the file again in the Netscape (cookies.txt) format.",
                code="invalid",
            )
        cookies += 1
    if value.strip() and not cookies:
        raise ValidationError(
            "This file holds no cookie; export the cookies of the site in the Netscape "
            "(cookies.txt) format.",
            code="empty",
        )
    return value


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(
        key=PROXY,
        label="Proxy for downloads",
        default="",
        validate=proxy_url,
        env="YTDLP_PROXY",
        secret=False,
        help="yt-dlp and artwork fetches go through it (http, https or socks5); empty: none.",
    ),
    SettingSpec(
        key=COOKIES,
        label="Cookies file",
        default="",
        validate=cookies_text,
        # Its environment variable (YTDLP_COOKIES_FILE) names a file rather than holding the
        # text, so it is read by cookies_state / cookies_file, not by the store.
        env=None,
        secret=True,
        help="A Netscape cookies.txt for sites that need a signed-in account; never shown.",
    ),
)


def proxy_now() -> str | None:
    """The proxy in effect now, or None."""
    return setting_get(PROXY) or None


def cookies_from_environment() -> str:
    """The cookies file ``YTDLP_COOKIES_FILE`` names ("" when unset): it wins over an upload."""
    return settings.YTDLP_COOKIES_FILE


def cookies_file() -> str | None:
    """The path of the cookies file yt-dlp reads now, or None.

    An uploaded file is written here once per content (``cookies-<hash>.txt``, mode 0600 in
    a 0700 folder under MVIDARR_VAR); older ones are removed.
    """
    if cookies_from_environment():
        return cookies_from_environment()
    content = setting_get(COOKIES)
    folder = Path(settings.VAR_DIR) / _PRIVATE_FOLDER
    if not content:
        _remove_cookie_files(folder, keep=None)
        return None
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]
    path = folder / f"{_PREFIX}{digest}.txt"
    if not path.exists():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
        partial = folder / f".{path.name}.{os.getpid()}"
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(content if content.startswith("#") else f"{COOKIES_HEADER}\n{content}")
        os.replace(partial, path)
        _remove_cookie_files(folder, keep=path)
    return str(path)


def _remove_cookie_files(folder: Path, *, keep: Path | None) -> None:
    if not folder.is_dir():
        return
    for old in folder.glob(f"{_PREFIX}*.txt"):
        if old != keep:
            old.unlink(missing_ok=True)


def with_download_settings(config: ytdlp.YtdlpConfig) -> ytdlp.YtdlpConfig:
    """``config`` with the proxy and cookies file in effect now."""
    return dataclasses.replace(config, proxy=proxy_now(), cookies_file=cookies_file())

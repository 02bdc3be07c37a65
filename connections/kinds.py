"""What each kind of connection needs in its ``settings``, checked with a sentence per fault.

A field is text unless said otherwise; a secret is written, never shown back (the API and the
pages say only whether it is set). The media servers share a path mapping: ``path_from``
(MVidarr's library path, by default the library root) becomes ``path_to`` (the same folder
as the media server sees it).
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from typing import Any

from connections.events import EVENT_TYPES, FILE_EVENTS
from mvidarr import errors


class ConnectionInvalid(errors.Invalid):
    """A connection's kind, name, settings or events are not acceptable."""


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    required: bool = False
    secret: bool = False
    kind: str = "text"  # text | url | int | choice | urls
    choices: tuple[str, ...] = ()
    default: Any = ""
    help: str = ""


MAPPING = (
    Field("path_from", "Library path in MVidarr", help="Empty: the library root."),
    Field("path_to", "The same folder on the media server", help="Empty: no mapping."),
)

KIND_FIELDS: dict[str, tuple[Field, ...]] = {
    "webhook": (
        Field("url", "URL", required=True, kind="url"),
        Field("secret", "Signing secret", secret=True, help="Signs each body (HMAC-SHA256)."),
    ),
    "apprise": (
        Field(
            "urls",
            "Apprise URLs",
            required=True,
            secret=True,
            kind="urls",
            help="One per line, e.g. mailto://… or tgram://…",
        ),
    ),
    "jellyfin": (
        Field("url", "Server URL", required=True, kind="url"),
        Field("api_key", "API key", required=True, secret=True),
        Field(
            "mode",
            "Refresh",
            kind="choice",
            choices=("updated", "full"),
            default="updated",
            help="updated: tell it which folder changed; full: rescan the whole library.",
        ),
        *MAPPING,
    ),
    "plex": (
        Field("url", "Server URL", required=True, kind="url"),
        Field("token", "X-Plex-Token", required=True, secret=True),
        Field("section_id", "Library section id", required=True, kind="int"),
        *MAPPING,
    ),
    "kodi": (
        Field(
            "url", "JSON-RPC URL", required=True, kind="url", help="e.g. http://kodi:8080/jsonrpc"
        ),
        Field("username", "User name"),
        Field("password", "Password", secret=True),
        *MAPPING,
    ),
}
KIND_FIELDS["emby"] = KIND_FIELDS["jellyfin"]
MEDIA_SERVERS = ("jellyfin", "emby", "plex", "kodi")
MAX_TEXT = 2000


def fields_of(kind: str) -> tuple[Field, ...]:
    try:
        return KIND_FIELDS[kind]
    except KeyError:
        raise ConnectionInvalid(
            f"Unknown kind “{kind}”; choose one of {', '.join(KIND_FIELDS)}.", field="kind"
        ) from None


def secret_names(kind: str) -> set[str]:
    return {field.name for field in KIND_FIELDS.get(kind, ()) if field.secret}


def events_allowed(kind: str) -> tuple[str, ...]:
    """A media server is told only of what changes files; the others, of everything."""
    return FILE_EVENTS if kind in MEDIA_SERVERS else EVENT_TYPES


def clean_events(kind: str, events: Any) -> list[str]:
    allowed = events_allowed(kind)
    if not isinstance(events, list) or not all(isinstance(name, str) for name in events):
        raise ConnectionInvalid("Give the events as a list of eventType names.", field="events")
    unknown = [name for name in events if name not in allowed]
    if unknown:
        raise ConnectionInvalid(
            f"Unknown event {', '.join(unknown)} for a {kind} connection; "
            f"choose from {', '.join(allowed)}.",
            field="events",
        )
    return [name for name in allowed if name in events]  # the registry's order, no repeats


def clean_settings(kind: str, given: Any, *, previous: dict | None = None) -> dict:
    """``given`` checked for ``kind``; a secret left out (or null) keeps its ``previous``
    value, an empty one clears it. Raises :class:`ConnectionInvalid` with a sentence."""
    fields = fields_of(kind)
    if not isinstance(given, dict):
        raise ConnectionInvalid("Give the settings as an object.", field="settings")
    known = {field.name for field in fields}
    unknown = sorted(set(given) - known)
    if unknown:
        raise ConnectionInvalid(
            f"A {kind} connection has no setting {', '.join(unknown)}; "
            f"its settings are {', '.join(sorted(known))}.",
            field="settings",
        )
    previous = previous or {}
    cleaned = {}
    for field in fields:
        value = given.get(field.name)
        if value is None and field.secret:
            value = previous.get(field.name, "")
        if value is None:
            value = field.default
        value = _clean_value(kind, field, value)
        if field.required and value in ("", None, []):
            raise ConnectionInvalid(
                f"A {kind} connection needs its {field.label.lower()} ({field.name}).",
                field="settings",
            )
        cleaned[field.name] = value
    return cleaned


def _printable(where: str, text: str) -> str:
    """``text``, unless it holds a NUL or a lone surrogate (no database stores those)."""
    if "\x00" in text or any("\ud800" <= char <= "\udfff" for char in text):
        raise ConnectionInvalid(f"{where} holds characters that are not allowed.", field="settings")
    return text


def _clean_value(kind: str, field: Field, value: Any) -> Any:
    where = f"{field.label} ({field.name})"
    if field.kind == "int":
        if value in ("", None):
            return None
        if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 10**9:
            raise ConnectionInvalid(f"{where} must be a whole number.", field="settings")
        return value
    if field.kind == "urls":
        if isinstance(value, str):
            value = [line for line in value.splitlines()]
        if not isinstance(value, list) or not all(isinstance(url, str) for url in value):
            raise ConnectionInvalid(f"{where}: give a list of Apprise URLs.", field="settings")
        urls = [_printable(where, url.strip()) for url in value if url.strip()]
        # Apprise (its hundred-odd services' modules, about 14 MB) is loaded only by the
        # process that checks or sends an Apprise URL, not by every web and worker process
        # that imports this registry (issue 23: the stack's footprint).
        import apprise

        for url in urls:
            try:
                known = apprise.Apprise.instantiate(url) is not None
            except Exception:  # Apprise's parsers raise on some malformed URLs
                known = False
            if not known:
                raise ConnectionInvalid(
                    f"“{_shown(url)}” is not an Apprise URL Apprise knows; see its wiki for "
                    "the form of each service's URL.",
                    field="settings",
                )
        return urls
    if not isinstance(value, str):
        raise ConnectionInvalid(f"{where} must be text.", field="settings")
    value = _printable(where, value.strip())
    if len(value) > MAX_TEXT:
        raise ConnectionInvalid(
            f"{where} is too long (at most {MAX_TEXT} characters).", field="settings"
        )
    if field.kind == "choice" and value not in field.choices:
        raise ConnectionInvalid(
            f"{where} must be one of {', '.join(field.choices)}.", field="settings"
        )
    if field.kind == "url" and value:
        parts = urllib.parse.urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConnectionInvalid(
                f"{where} must be an http:// or https:// address with a host.",
                field="settings",
            )
    return value


def _shown(url: str) -> str:
    """An Apprise URL without what follows its scheme's first part (it may hold a token)."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://…" if rest else url[:20]


def settings_shown(kind: str, settings: dict) -> dict:
    """The settings with secrets left out (:func:`secrets_set` says which are set)."""
    hidden = secret_names(kind)
    return {name: value for name, value in settings.items() if name not in hidden}


def secrets_set(kind: str, settings: dict) -> list[str]:
    return sorted(name for name in secret_names(kind) if settings.get(name))


def redacted(kind: str, settings: dict) -> dict:
    """For the admin and logs: each secret that is set reads ``set``."""
    hidden = secret_names(kind)
    return {
        name: ("set" if value else "") if name in hidden else value
        for name, value in settings.items()
    }

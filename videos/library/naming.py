"""Safe names for library files: one rule set that every filesystem accepts.

Titles and artists come from web pages, so they may hold anything: separators, ``..``,
control characters, reserved Windows names, 300 characters of emoji. The functions here turn
them into path components that are valid on Linux, macOS, Windows and SMB shares, and check
that a relative path stays inside the library root.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path, PurePath

MAX_COMPONENT_BYTES = 255  # ext4, APFS, NTFS (in UTF-16 units, always >= this in UTF-8 bytes)

# Characters Windows (and SMB) refuse in a name, and what stands in for them.
_REPLACEMENTS = {
    "/": "-",
    "\\": "-",
    ":": " - ",
    "|": "-",
    '"': "'",
    "*": "",
    "?": "",
    "<": "",
    ">": "",
}
_TRANSLATE = str.maketrans(_REPLACEMENTS)
# Bidirectional embeddings, overrides and isolates reorder the text around them: they can
# disguise an extension ("evil\u202ekpm.exe") or make a title read as something else.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_DROP_BIDI_CONTROLS = dict.fromkeys(map(ord, _BIDI_CONTROLS))
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"{device}{n}" for device in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")}
)
_ZWJ = "\u200d"


def without_bidi_controls(text: str) -> str:
    """``text`` without bidirectional embedding, override and isolate characters.

    The one rule for them: file names (:func:`safe_component`) and the titles and artist
    names the library stores (``videos.services``) both go through it.
    """
    return text.translate(_DROP_BIDI_CONTROLS)


def safe_component(name: str, *, fallback: str, max_bytes: int = 180) -> str:
    """``name`` as one path component every filesystem accepts, at most ``max_bytes`` in UTF-8.

    :func:`safe_text` of ``name``; ``fallback`` (made safe the same way) when nothing is
    left, and "_" when the fallback is empty too.
    """
    text = safe_text(name, max_bytes=max_bytes)
    if not text:
        return safe_component(fallback, fallback="_", max_bytes=max_bytes) if fallback else "_"
    return text


def safe_text(name: str, *, max_bytes: int = 180) -> str:
    """``name`` made safe for a path component, at most ``max_bytes`` in UTF-8; "" when
    nothing is left.

    NFC-normalised; control characters (NUL included), bidi overrides and lone surrogates
    removed; ``/ \\ : * ? " < > |`` replaced; whitespace collapsed; no leading or trailing dots
    or spaces (so never "." or ".."); a Windows reserved name (CON, NUL, COM1…) gets a leading
    underscore; truncated without splitting a character or an emoji sequence.
    """
    text = without_bidi_controls(unicodedata.normalize("NFC", str(name)).translate(_TRANSLATE))
    text = "".join(
        " " if char.isspace() else char
        for char in text
        if char.isspace() or unicodedata.category(char) not in ("Cc", "Cs")
    )
    text = _trim(re.sub(r" {2,}", " ", text))
    text = _trim(_truncate_utf8(text, max_bytes))
    if text and text.split(".")[0].strip().upper() in _WINDOWS_RESERVED:
        text = _trim(_truncate_utf8("_" + text, max_bytes))
    return text


def resolve_inside(root: Path, relative: str | PurePath) -> Path:
    """The absolute path of ``relative`` under ``root``, symlinks and ``..`` resolved.

    Raises ValueError when that path is not strictly inside ``root`` (an absolute
    ``relative``, a ``..`` that climbs out, a symlink that points elsewhere, or root itself).
    """
    base = Path(root).resolve()
    candidate = (base / relative).resolve()
    if candidate == base or not candidate.is_relative_to(base):
        raise ValueError(f"{str(relative)!r} is not inside the library folder {base}.")
    return candidate


def _trim(text: str) -> str:
    return text.strip(" .")


def _truncate_utf8(text: str, max_bytes: int) -> str:
    """The longest prefix of ``text`` within ``max_bytes`` that ends between grapheme clusters.

    Backs off over combining marks, variation selectors, skin-tone modifiers and zero-width
    joiners so "👩‍👩‍👧" or "é" (e + U+0301) is kept whole or dropped whole, and keeps regional
    indicators (flags) in pairs.
    """
    if len(text.encode()) <= max_bytes:
        return text
    cut, size = 0, 0
    for char in text:
        size += len(char.encode())
        if size > max_bytes:
            break
        cut += 1
    while 0 < cut < len(text) and (_extends(text[cut]) or text[cut - 1] == _ZWJ):
        cut -= 1
    if 0 < cut < len(text) and _is_regional_indicator(text[cut]):
        run = 0
        while run < cut and _is_regional_indicator(text[cut - 1 - run]):
            run += 1
        cut -= run % 2
    return text[:cut]


def _extends(char: str) -> bool:
    """Whether ``char`` belongs to the grapheme cluster before it."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Mc", "Me")
        or char == _ZWJ
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0x1F3FB <= code <= 0x1F3FF  # skin-tone modifiers
        or 0xE0020 <= code <= 0xE007F  # tag characters (subdivision flags)
    )


def _is_regional_indicator(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF

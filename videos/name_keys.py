"""The one rule for "the same name": how artists' names and videos' titles are compared.

Two names are the same when their keys are equal: Unicode-normalised (NFKC), case-folded
(Python's ``str.casefold``, so ``BJÖRK`` is ``björk`` and ``STRASSE`` is ``Straße``), with
runs of whitespace collapsed. Databases do not agree on any of this (SQLite's ``LOWER()``
folds ASCII only; PostgreSQL's depends on the collation and leaves ``ß`` alone), so the
key is computed here and stored beside the name (``Artist.name_key``, ``Video.title_key``)
and every lookup compares stored keys. Plain Python: the providers use it too.
"""

from __future__ import annotations

import hashlib
import unicodedata

# Keys are stored in a column of this length. Case folding and NFKC can lengthen a name
# (``ß`` → ``ss``, ``ﷺ`` → 18 letters), so a longer key keeps its beginning and a digest of
# the whole: still equal exactly when the whole keys are equal.
KEY_LENGTH = 255
_DIGEST_LENGTH = 64  # sha256, hexadecimal


def name_key(text: str | None) -> str:
    """The key ``text`` is compared by: equal keys mean the same artist, or the same title."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text or "").casefold())
    key = " ".join(folded.split())
    if len(key) > KEY_LENGTH:
        digest = hashlib.sha256(key.encode()).hexdigest()
        key = f"{key[: KEY_LENGTH - _DIGEST_LENGTH - 1]}#{digest}"
    return key


def same_name(a: str | None, b: str | None) -> bool:
    """Whether ``a`` and ``b`` name the same thing (see :func:`name_key`)."""
    return name_key(a) == name_key(b)

"""The library's search box: which videos and artists a search matches, read from an index.

One meaning everywhere (the library page's ``?q``, ``GET /api/videos/?search=``, an artist's
videos through the API, the artists page and ``GET /api/artists/?search=``): a search matches
when its key (:func:`videos.name_keys.name_key`: NFKC, case-folded beyond ASCII, runs of
spaces collapsed) is part of the stored key of the video's title or of its artist's name —
a case-insensitive substring, so ``björk`` finds "BJÖRK" and ``strasse`` finds "Straße".
Nothing in a search is syntax: quotes, ``*``, ``-``, ``OR``, ``NEAR``, ``%`` and ``_`` are
characters like any other.

A search of three characters or more is answered by a trigram index (migration 0013): on
SQLite an FTS5 ``trigram`` table per key column, asked for the search as one quoted phrase
(consecutive trigrams: exactly a substring); on PostgreSQL a ``pg_trgm`` GIN index serving
``LIKE '%…%'``. A shorter search has no trigram to look up and is a plain substring
comparison (``instr`` / ``strpos``) of the keys.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from videos.name_keys import name_key

# The shortest search a trigram index answers.
TRIGRAM = 3


def search_key(search: str) -> str:
    """What ``search`` is compared as: its key, as names and titles are stored."""
    return name_key(search)


def videos_matching(search: str) -> Q:
    """A filter of ``Video`` rows: those whose title or artist's name the search matches
    (everything for an empty search)."""
    key = search_key(search)
    if not key:
        return Q()
    titles, title_params = _ids_matching("videos_video", "title_key", "videos_video_search", key)
    artists, artist_params = _ids_matching("videos_artist", "name_key", "videos_artist_search", key)
    sql = f"{titles} UNION SELECT id FROM videos_video WHERE artist_id IN ({artists})"
    return Q(pk__in=RawSQL(sql, (*title_params, *artist_params)))


def artists_matching(search: str) -> Q:
    """A filter of ``Artist`` rows: those whose name the search matches, or whose sort name
    contains it (a sort name is the name with its article moved, or set by hand; artists are
    few enough for that comparison to read them all)."""
    key = search_key(search)
    if not key:
        return Q()
    names, params = _ids_matching("videos_artist", "name_key", "videos_artist_search", key)
    return Q(pk__in=RawSQL(names, params)) | Q(sort_name__icontains=search.strip())


def _ids_matching(table: str, column: str, index: str, key: str) -> tuple[str, tuple]:
    """``SELECT`` of the ids of ``table`` whose ``column`` contains ``key``, with its
    parameters."""
    short = len(key) < TRIGRAM
    if connection.vendor == "sqlite":
        if short:
            return f"SELECT id FROM {table} WHERE instr({column}, %s) > 0", (key,)
        return f"SELECT rowid FROM {index} WHERE {index} MATCH %s", (_fts_phrase(key),)
    if connection.vendor == "postgresql":
        if short:
            return f"SELECT id FROM {table} WHERE strpos({column}, %s) > 0", (key,)
        return f"SELECT id FROM {table} WHERE {column} LIKE %s", (f"%{_like_escaped(key)}%",)
    raise NotImplementedError(f"No search index for {connection.vendor}.")


def _fts_phrase(key: str) -> str:
    """``key`` as one FTS5 string: inside double quotes nothing is an operator, and a double
    quote is written twice."""
    return '"' + key.replace('"', '""') + '"'


def _like_escaped(key: str) -> str:
    """``key`` with LIKE's wildcards and its escape character (PostgreSQL: ``\\``) escaped."""
    return key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

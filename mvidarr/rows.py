"""Inserting thousands of rows of one model at once, for the few writes that size (a bulk
download's items and their history rows, up to 10,000 each).

``bulk_create`` builds a model instance per row and prepares each of its ~30 values field by
field: about 0.1 ms of Python a row, 3 s of a 10,000-video bulk's submit (2026-12-06). Here
the values the rows share are prepared once and only the few that differ are prepared per
row; SQLite gets one ``executemany``, PostgreSQL a ``COPY``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

# Rows per executemany on SQLite (one statement, the driver loops in C).
_BATCH = 5_000


def rows_insert(
    model: type[models.Model], rows: Sequence[dict[str, Any]], *, common: dict[str, Any]
) -> int:
    """Insert ``rows`` into ``model``'s table; return how many.

    Each row maps the same field names (``attname``: ``video_id``, not ``video``) to its own
    values; ``common`` holds the values every row shares; every other column gets the
    field's default (``auto_now``/``auto_now_add`` dates: now). The ids are not returned:
    read them back by a column the rows share. No ``save()`` and no signal runs, so this is
    only for models whose ``save()`` adds nothing.
    """
    if not rows:
        return 0
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not (f.primary_key and f.auto_created)]
    known = {f.attname for f in fields}
    varying = list(rows[0])
    unknown = (set(varying) | set(common)) - known
    if unknown:
        raise ValueError(f"{meta.label} has no field {', '.join(sorted(unknown))}")
    now = timezone.now()
    by_name = {f.attname: f for f in fields}
    shared: dict[str, Any] = {}
    for field in fields:
        if field.attname in varying:
            continue
        if field.attname in common:
            value = common[field.attname]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()
        shared[field.attname] = field.get_db_prep_save(value, connection)
    order = list(shared) + varying
    prepare = _Preparer([by_name[name] for name in varying])
    constants = tuple(shared.values())
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(by_name[name].column) for name in order)
    # Every row prepared before the first is written: a wrong one writes none.
    values = [constants + prepare(row) for row in rows]
    if connection.vendor == "postgresql":
        # psycopg's own cursor (cursor.cursor): Django's wrapper has no COPY.
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in values:
                copy.write_row(row)
        return len(rows)
    marks = ", ".join(["%s"] * len(order))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
    with connection.cursor() as cursor:
        for start in range(0, len(values), _BATCH):
            cursor.executemany(sql, values[start : start + _BATCH])
    return len(rows)


class _Preparer:
    """A row's varying values, prepared for the database.

    An int for an integer column (a foreign key's id) and a str for a text column go as they
    are (what preparing them would return, at a tenth of the cost). A dict or list (a JSON
    field) is usually the same object in many rows (a bulk's items share a few quality
    plans): it is serialised once per object."""

    def __init__(self, fields: Iterable[models.Field]) -> None:
        self.fields = list(fields)
        self.keys = {f.attname for f in self.fields}
        self.plain = [_plain_type(f) for f in self.fields]
        self.seen: dict[int, tuple[object, Any]] = {}

    def __call__(self, row: dict[str, Any]) -> tuple:
        if row.keys() != self.keys:
            raise ValueError(f"Every row needs the fields {sorted(self.keys)}: {sorted(row)}")
        return tuple(
            value if value is None or type(value) is plain else self._one(field, value)
            for field, plain, value in zip(
                self.fields, self.plain, (row[f.attname] for f in self.fields), strict=True
            )
        )

    def _one(self, field: models.Field, value: Any) -> Any:
        if not isinstance(value, dict | list):
            return field.get_db_prep_save(value, connection)
        # Kept with the object, so that its id is not reused while this call lasts.
        hit = self.seen.get(id(value))
        if hit is None:
            hit = self.seen[id(value)] = (value, field.get_db_prep_save(value, connection))
        return hit[1]


def _plain_type(field: models.Field) -> type | None:
    """The Python type that ``field`` stores as it is, if any."""
    target = field.target_field if field.is_relation else field
    if target.get_internal_type() in _INTEGERS:
        return int
    if isinstance(field, models.CharField | models.TextField) and not field.is_relation:
        return str
    return None


_INTEGERS = {
    "AutoField",
    "BigAutoField",
    "IntegerField",
    "BigIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "SmallIntegerField",
    "PositiveSmallIntegerField",
}

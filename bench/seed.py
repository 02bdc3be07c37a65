"""A library of any size in seconds: artists, videos, their files, finished jobs and history,
written by bulk inserts (``executemany`` on SQLite, ``COPY`` on PostgreSQL) in large batches.

    from bench.seed import seed_library
    seeded = seed_library(videos=100_000, artists=5_000, user=user)

Rows are made from the models' own fields (every column a model has gets its default, so a
column added later needs no change here), with explicit ids after the highest already
there; a second call adds to the first. Everything is deterministic for a given ``seed``.
Job rows span ``JOB_DAYS`` days, oldest first by id, and exactly the first half of them (by
finish time) are older than ``JOB_RETENTION_DAYS``: housekeeping's prune has that half to
delete. ``wipe_library`` empties the same tables again.

It refuses to write into any database but a benchmark's (a name with ``bench`` in it, as
:class:`bench.stack.Stack` makes) or a test database. ``python -m bench.make_library
--videos N`` makes such a database of its own, seeds it and prints how to serve it.

Import this module only after ``django.setup()``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import random
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import connection, models, transaction

from jobs import kinds
from jobs.models import ITEM_COUNTS, HistoryEvent, Job
from jobs.preferences import RETENTION_DAYS
from jobs.transitions import bulk_summary
from preferences.selectors import setting_get
from videos.models import Artist, Video, VideoFile
from videos.name_keys import name_key

BATCH = 20_000
JOBS_PER_VIDEO = 10
JOB_DAYS = 60  # job rows span this many days; those older than the retention are expired
BULK_EVERY = 1_000  # one job in so many is a bulk download...
BULK_ITEMS = 20  # ...whose next so many jobs are its items
SEEDED_MODELS = (Artist, Video, VideoFile, Job, HistoryEvent)

_WORDS_TEXT = (
    "love night heart fire dream rain summer city light dance blue gold wild river ghost "
    "electric midnight paper star ocean shadow silver neon velvet echo thunder glass "
    "stone highway broken sweet lonely young forever empire crystal dust mirror storm "
    "satellite garden winter paradise sugar diamond machine radio island tiger honey moon "
    "road home café niño über straße cœur señorita naïve jalapeño smörgåsbord ångström"
)
_WORDS = _WORDS_TEXT.split()
_ARTIST_WORDS_TEXT = (
    "the black white red arctic crystal royal velvet silver golden neon electric young "
    "little big lost modern broken northern southern flaming atomic cosmic savage sonic"
)
_ARTIST_WORDS = _ARTIST_WORDS_TEXT.split()
_ARTIST_NOUNS_TEXT = (
    "monkeys keys stripes lips horses wolves kids lights tigers foxes rivers echoes "
    "machines ghosts pilots saints sisters brothers queens kings birds hearts waves"
)
_ARTIST_NOUNS = _ARTIST_NOUNS_TEXT.split()
_STATUSES = (  # (video status, share)
    (Video.Status.DOWNLOADED, 70),
    (Video.Status.WANTED, 12),
    (Video.Status.FAILED, 6),
    (Video.Status.NEEDS_SOURCE, 6),
    (Video.Status.IGNORED, 6),
)
_JOB_KINDS = (
    (kinds.VIDEO_DOWNLOAD, 55),
    (kinds.METADATA_PROBE, 30),
    (kinds.UPGRADE_CHECK, 10),
    (kinds.SOURCE_RESOLVE, 5),
)
_JOB_STATUSES = ((Job.Status.COMPLETED, 85), (Job.Status.FAILED, 10), (Job.Status.CANCELLED, 5))
_OPTIONS = json.dumps({"quality": None, "force": False})
_SIDECARS = json.dumps([".nfo", "-thumb.jpg"])
_ERRORS = (
    "HTTP Error 404: Not Found ({url}). Gave up after 3 attempts.",
    "The video is private: {url}",
    "Download stalled at {n}% for 60 seconds.",
    "Sign in to confirm your age ({url}).",
    "Unable to extract video data from {url}: the site changed.",
)


@dataclass
class Seeded:
    """What a call wrote, and how long it took."""

    artists: int = 0
    videos: int = 0
    files: int = 0
    jobs: int = 0
    expired_jobs: int = 0  # of ``jobs``, those older than the retention at ``now``
    history: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        return (
            f"{self.artists:,} artists, {self.videos:,} videos ({self.files:,} files), "
            f"{self.jobs:,} jobs ({self.expired_jobs:,} expired), {self.history:,} history rows "
            f"in {self.seconds:.1f} s"
        )


class NotABenchDatabase(RuntimeError):
    pass


def check_database() -> None:
    """Raise NotABenchDatabase unless the default database is a benchmark's or a test's."""
    name = str(connection.settings_dict.get("NAME") or "")
    test = str((connection.settings_dict.get("TEST") or {}).get("NAME") or "")
    if "bench" in name or name.startswith("test_") or (test and name == test):
        return
    raise NotABenchDatabase(
        f"The seeder writes only into a benchmark's database (one whose name has 'bench' in "
        f"it) or a test database, not into {name!r}: run it from the benchmark "
        "(python -m bench.make_library makes a database of its own)."
    )


def seed_library(
    *,
    videos: int,
    artists: int = 5_000,
    jobs_per_video: int = JOBS_PER_VIDEO,
    user=None,
    now: dt.datetime | None = None,
    seed: int = 19,
) -> Seeded:
    """Add ``artists`` artists and ``videos`` videos spread across them (70 % downloaded, with
    a file), ``jobs_per_video`` finished jobs per video and one history row per video."""
    check_database()
    started = time.perf_counter()
    rng = random.Random(seed)
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)  # every datetime made is UTC
    writer = _Writer()
    seeded = Seeded()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Foreign keys checked row by row, not at commit: an index cannot be made while
            # deferred checks are pending.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        artist_ids = _artists(writer, rng, count=artists, now=now)
        video_ids, downloaded = _videos(writer, rng, artist_ids, count=videos, now=now)
        seeded.files = _files(writer, rng, downloaded, now=now)
        seeded.jobs, seeded.expired_jobs = _jobs(
            writer, rng, video_ids, count=videos * jobs_per_video, user=user, now=now
        )
        seeded.history = _history(writer, rng, video_ids, artist_ids, now=now)
        writer.reset_sequences()
    seeded.artists, seeded.videos = len(artist_ids), len(video_ids)
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a load this size; the planner needs it.
        with connection.cursor() as cursor:
            for model in SEEDED_MODELS:
                cursor.execute(f'ANALYZE "{model._meta.db_table}"')
    seeded.seconds = time.perf_counter() - started
    return seeded


def wipe_library() -> None:
    """Delete every row of the seeded tables (users and settings stay)."""
    check_database()
    with transaction.atomic(), connection.cursor() as cursor:
        for model in reversed(SEEDED_MODELS):
            cursor.execute(f'DELETE FROM "{model._meta.db_table}"')


# --- rows ------------------------------------------------------------------------------------
def _pick(rng: random.Random, weighted: Sequence[tuple[str, int]], n: int) -> list[str]:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights, k=n)


def _artists(writer: _Writer, rng: random.Random, *, count: int, now: dt.datetime) -> list[int]:
    first = writer.next_id(Artist)
    ids = list(range(first, first + count))

    def rows() -> Iterator[dict]:
        for artist_id in ids:
            name = (
                f"{rng.choice(_ARTIST_WORDS).title()} {rng.choice(_ARTIST_NOUNS).title()} "
                f"{artist_id}"
            )
            created = now - dt.timedelta(days=rng.uniform(1, 800))
            yield {
                "id": artist_id,
                "name": name,
                "name_key": name_key(name),
                "sort_name": name,
                "folder_name": name,
                "created_at": created,
                "updated_at": created,
            }

    writer.insert(Artist, rows())
    return ids


def _videos(
    writer: _Writer, rng: random.Random, artist_ids: list[int], *, count: int, now: dt.datetime
) -> tuple[list[int], list[tuple[int, int, str]]]:
    first = writer.next_id(Video)
    ids = list(range(first, first + count))
    statuses = _pick(rng, _STATUSES, count)
    downloaded: list[tuple[int, int, str]] = []  # (video id, artist id, title)
    # Older videos have smaller ids, as in a library that grew.
    ages = sorted((rng.uniform(0, 800) for _ in range(count)), reverse=True)

    def rows() -> Iterator[dict]:
        for n, video_id in enumerate(ids):
            artist_id = artist_ids[rng.randrange(len(artist_ids))] if artist_ids else None
            title = " ".join(rng.choices(_WORDS, k=rng.randint(2, 5))).title()
            status = statuses[n]
            created = now - dt.timedelta(days=ages[n])
            if status == Video.Status.DOWNLOADED:
                downloaded.append((video_id, artist_id, title))
            no_source = status == Video.Status.NEEDS_SOURCE
            yield {
                "id": video_id,
                "artist_id": artist_id,
                "title": title,
                "title_key": name_key(title),
                "source_url": "" if no_source else f"https://videos.example/watch/{video_id}",
                "added_without_url": no_source,
                "extractor": "" if no_source else "bench",
                "source_id": "" if no_source else str(video_id),
                "status": status,
                "duration": round(rng.uniform(120, 420), 1),
                "year": rng.randint(1975, 2026),
                "created_at": created,
                "updated_at": created,
            }

    writer.insert(Video, rows())
    return ids, downloaded


def _files(
    writer: _Writer, rng: random.Random, downloaded: list[tuple[int, int, str]], *, now
) -> int:
    first = writer.next_id(VideoFile)

    def rows() -> Iterator[dict]:
        for n, (video_id, artist_id, title) in enumerate(downloaded):
            height = rng.choice((480, 720, 1080, 1080, 2160))
            yield {
                "id": first + n,
                "video_id": video_id,
                "path": f"Artist {artist_id}/{title} [{video_id}].mp4",
                "size": rng.randint(10_000_000, 400_000_000),
                "width": height * 16 // 9,
                "height": height,
                "video_codec": "avc1",
                "audio_codec": "mp4a",
                "container": "mp4",
                "format": "137+140 (mp4)",
                "sidecars": _SIDECARS,
                "created_at": now,
                "updated_at": now,
            }

    writer.insert(VideoFile, rows())
    return len(downloaded)


def _jobs(
    writer: _Writer, rng: random.Random, video_ids: list[int], *, count: int, user, now
) -> tuple[int, int]:
    """Finished jobs over JOB_DAYS days, the oldest first; the first half (by finish time)
    older than the retention. Return (rows, expired rows)."""
    first = writer.next_id(Job)
    retention = dt.timedelta(days=setting_get(RETENTION_DAYS))
    span = dt.timedelta(days=JOB_DAYS)
    job_kinds = _pick(rng, _JOB_KINDS, count)
    statuses = _pick(rng, _JOB_STATUSES, count)
    expired = 0
    user_id = getattr(user, "pk", None)
    # The first half finish before now - retention, the second half after it.
    old_start, old_end = now - span, now - retention - dt.timedelta(hours=1)
    new_start, new_end = now - retention + dt.timedelta(hours=1), now - dt.timedelta(minutes=5)
    half = count // 2
    parent: tuple[int, dt.datetime, dt.datetime] | None = None  # (id, started, finished)
    items_left = 0

    def finish_time(n: int) -> dt.datetime:
        if n < half:
            return old_start + (old_end - old_start) * (n / max(half, 1))
        return new_start + (new_end - new_start) * ((n - half) / max(count - half, 1))

    def rows() -> Iterator[dict]:
        nonlocal expired, parent, items_left
        for n in range(count):
            job_id = first + n
            finished = finish_time(n)
            if finished < now - retention:
                expired += 1
            if n % BULK_EVERY == 0 and n + BULK_ITEMS < count:
                # A bulk download whose items are the next BULK_ITEMS jobs: its counters
                # and its state are its items', as the transitions keep them.
                started = finished - dt.timedelta(seconds=BULK_ITEMS * 30)
                parent, items_left = (job_id, started, finished), BULK_ITEMS
                counts = _item_counts(statuses[n + 1 : n + 1 + BULK_ITEMS])
                summary = bulk_summary(counts)
                yield {
                    "id": job_id,
                    "kind": kinds.BULK_VIDEO_DOWNLOAD,
                    "origin": Job.Origin.USER,
                    "status": summary.status,
                    "progress": summary.progress,
                    "message": summary.message,
                    "error": summary.error,
                    "options": _OPTIONS,
                    "user_id": user_id,
                    "attempts": 1,
                    "created_at": started - dt.timedelta(seconds=1),
                    "started_at": started,
                    "finished_at": finished,
                    **{f"items_{name}": count for name, count in counts.items()},
                }
                continue
            in_bulk = items_left > 0
            kind = kinds.VIDEO_DOWNLOAD if in_bulk else job_kinds[n]
            status = statuses[n]
            if in_bulk:
                items_left -= 1
                finished = parent[1] + (parent[2] - parent[1]) * (
                    (BULK_ITEMS - items_left) / BULK_ITEMS
                )
            # A bulk's items run within it.
            duration = dt.timedelta(seconds=rng.uniform(2, 29 if in_bulk else 400))
            started = finished - duration
            failed = status == Job.Status.FAILED
            video_id = video_ids[rng.randrange(len(video_ids))] if video_ids else None
            error = ""
            if failed:
                error = rng.choice(_ERRORS).format(
                    url=f"https://videos.example/watch/{video_id}", n=rng.randint(1, 99)
                )
            yield {
                "id": job_id,
                "kind": kind,
                "origin": Job.Origin.USER if kind == kinds.VIDEO_DOWNLOAD else Job.Origin.SYSTEM,
                "status": status,
                "progress": 100.0 if status == Job.Status.COMPLETED else rng.uniform(0, 99),
                "message": {"completed": "Done", "failed": "Failed", "cancelled": "Cancelled"}[
                    status
                ],
                "error": error,
                "options": _OPTIONS,
                "video_id": video_id,
                "parent_id": parent[0] if in_bulk else None,
                "user_id": user_id if kind == kinds.VIDEO_DOWNLOAD else None,
                "attempts": rng.choice((1, 1, 1, 1, 2, 3)) if failed else 1,
                "worker": "bench-host:1",
                "created_at": started - dt.timedelta(seconds=rng.uniform(0, 30)),
                "started_at": started,
                "finished_at": finished,
                "heartbeat_at": finished,
            }

    writer.insert(Job, rows())
    return count, expired


def _item_counts(statuses: Sequence[str]) -> dict[str, int]:
    """A bulk job's counters (``Job.items_<name>``) for items of these statuses."""
    return {name: sum(1 for s in statuses if s == status) for name, status in ITEM_COUNTS.items()}


def _history(
    writer: _Writer, rng: random.Random, video_ids: list[int], artist_ids: list[int], *, now
) -> int:
    """One ``added`` event per video, over the same span as the jobs (half of them expired)."""
    first = writer.next_id(HistoryEvent)
    span = dt.timedelta(days=JOB_DAYS)
    count = len(video_ids)

    def rows() -> Iterator[dict]:
        for n, video_id in enumerate(video_ids):
            yield {
                "id": first + n,
                "event": HistoryEvent.Event.ADDED,
                "created_at": now - span + span * (n / max(count, 1)),
                "video_id": video_id,
                "title": f"Video {video_id}",
                "artist_id": artist_ids[rng.randrange(len(artist_ids))] if artist_ids else None,
                "origin": HistoryEvent._meta.get_field("origin").default,
            }

    writer.insert(HistoryEvent, rows())
    return count


# --- writing ---------------------------------------------------------------------------------
class _Writer:
    """Inserts dict rows into a model's table, every other column set to its default."""

    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.written: list[type[models.Model]] = []

    def next_id(self, model: type[models.Model]) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT MAX(id) FROM "{model._meta.db_table}"')
            highest = cursor.fetchone()[0]
        return (highest or 0) + 1

    def insert(self, model: type[models.Model], rows: Iterable[dict]) -> None:
        fields = [f for f in model._meta.concrete_fields]
        columns = [f.column for f in fields]
        defaults = [self._default(f) for f in fields]
        index = {f.attname: i for i, f in enumerate(fields)}
        adapt = [self._adapter(f) for f in fields]

        def tuples() -> Iterator[tuple]:
            for row in rows:
                values = list(defaults)
                for name, value in row.items():
                    i = index[name]
                    values[i] = adapt[i](value) if value is not None else None
                yield tuple(values)

        table = model._meta.db_table
        names = ", ".join(f'"{c}"' for c in columns)
        with self._indexes_rebuilt(table):
            self._copy(table, names, columns, tuples())
        self.written.append(model)

    def _copy(self, table: str, names: str, columns: list[str], tuples: Iterable[tuple]) -> None:
        if self.vendor == "postgresql":
            raw = connection.cursor().cursor  # psycopg's own cursor, for COPY
            with raw.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for values in tuples:
                    copy.write_row(values)
        else:
            with connection.cursor() as cursor:
                # This connection's page cache only: the indexes of a large table stay in it.
                cursor.execute("PRAGMA cache_size = -262144")
            marks = ", ".join("%s" for _ in columns)
            sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
            with connection.cursor() as cursor:
                batch: list[tuple] = []
                for values in tuples:
                    batch.append(values)
                    if len(batch) >= BATCH:
                        cursor.executemany(sql, batch)
                        batch.clear()
                if batch:
                    cursor.executemany(sql, batch)

    @contextlib.contextmanager
    def _indexes_rebuilt(self, table: str) -> Iterator[None]:
        """The table's plain indexes (not those behind a primary key or a constraint)
        dropped while it is written and made again after: building an index once from
        sorted keys is several times faster than updating it row by row."""
        if self.vendor == "postgresql":
            sql = (
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                "WHERE c.conindid = (quote_ident(i.schemaname) || '.' || "
                "quote_ident(i.indexname))::regclass)"
            )
        else:
            sql = (
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL"
            )
        with connection.cursor() as cursor:
            cursor.execute(sql, [table])
            indexes = cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        yield
        with connection.cursor() as cursor:
            for _, definition in indexes:
                cursor.execute(definition)

    def reset_sequences(self) -> None:
        """PostgreSQL's id sequences past the ids written (SQLite needs nothing)."""
        statements = connection.ops.sequence_reset_sql(no_style(), self.written)
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)

    def _default(self, field: models.Field):
        if field.primary_key:
            return None
        value = field.get_default() if field.has_default() else None
        if value is None and not field.null:
            value = "" if isinstance(field, models.CharField | models.TextField) else value
        return None if value is None else self._adapter(field)(value)

    def _adapter(self, field: models.Field):
        """A fast conversion of a Python value to what the driver takes for ``field``."""
        if isinstance(field, models.JSONField):
            # A str is JSON already (the rows' constants, serialised once).
            return lambda value: value if isinstance(value, str) else json.dumps(value)
        if isinstance(field, models.DateTimeField):
            if self.vendor == "postgresql":
                return lambda value: value
            # Django stores naive UTC text in SQLite; every value here is in UTC.
            return lambda value: value.isoformat(" ", "microseconds")[:26]
        if isinstance(field, models.DateField):
            return lambda value: value.isoformat()
        return lambda value: value

"""``python -m bench.make_library --videos N``: a database of its own (as the benchmark makes
one: SQLite in a temporary directory, or with ``DATABASE_URL`` a ``<name>_bench_<pid>``
database next to it), migrated, seeded by :mod:`bench.seed` and kept; prints how to serve it.
"""

from __future__ import annotations

import argparse
import sys

import django

from bench.stack import Stack

KEPT = ("MVIDARR_VAR", "MVIDARR_LIBRARY", "DATABASE_URL", "REDIS_URL", "SECRET_KEY")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.make_library", description=__doc__)
    parser.add_argument("--videos", type=int, default=10_000)
    parser.add_argument("--artists", type=int, default=5_000)
    parser.add_argument("--jobs-per-video", type=int, default=10)
    args = parser.parse_args(argv)
    stack = Stack(keep=True)
    env = stack.prepare()
    stack.manage("migrate", "--noinput", "-v", "0")
    stack.manage("collectstatic", "--noinput", "-v", "0")  # the pages it serves link them
    django.setup()
    # Imported once Django is set up: they use MVidarr's models.
    from bench import db
    from bench.seed import seed_library

    user = db.ensure_user()
    seeded = seed_library(
        videos=args.videos, artists=args.artists, jobs_per_video=args.jobs_per_video, user=user
    )
    exports = " ".join(f"{name}={env[name]}" for name in KEPT if env.get(name))
    print(f"Seeded {seeded}.")
    print(f"Serve it: {exports} .venv/bin/python manage.py serve --port 8000")
    print(f"Sign in as {db.USERNAME} / {db.PASSWORD}. Remove {stack.workdir} when done", end="")
    print(" (and drop the database)." if env.get("DATABASE_URL") else ".")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``make bench`` (``python -m bench.run``): start the stack, run every scenario, write the table.

Options: ``--reps N`` repetitions per figure (default 3), ``--quick`` (one repetition, smaller
loads: a smoke test of the benchmark itself, not figures to quote), ``--only NAME[,NAME]``
(api, adds, concurrency, throughput, overhead, sources, curve, bulk), ``--sizes 1000,10000``
(the library sizes of the curve scenario), ``--keep`` (keep the working directory and logs),
``--out DIR`` (default bench/results). Exit status 0 when every scenario ran.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
import traceback
from pathlib import Path

import django

from bench import machine, report
from bench.client import Api
from bench.media import make_media, start_media_server
from bench.stack import ROOT, Stack

SCENARIOS = ("throughput", "overhead", "concurrency", "api", "adds", "sources", "curve", "bulk")
MEDIA_CACHE = ROOT / "bench" / ".cache" / "media"


def _stop_on_signal(signum, frame) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default=",".join(SCENARIOS))
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--sizes", default="", help="library sizes of the curve scenario (videos), e.g. 1000,10000"
    )
    parser.add_argument("--web-workers", type=int, default=2, help="web server processes")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)
    args.only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(args.only) - set(SCENARIOS)
    if unknown:
        names = ", ".join(sorted(unknown))
        parser.error(f"unknown scenario(s) {names}; use {', '.join(SCENARIOS)}")
    try:
        args.sizes = tuple(int(size) for size in args.sizes.split(",") if size.strip())
    except ValueError:
        parser.error("--sizes takes whole numbers of videos separated by commas: 1000,10000")
    if args.quick:
        args.reps = 1
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    signal.signal(signal.SIGTERM, _stop_on_signal)
    signal.signal(signal.SIGHUP, _stop_on_signal)
    other_work = machine.OtherWork()
    other_work.start()
    started = time.monotonic()
    stack = Stack(keep=args.keep, web_workers=max(1, args.web_workers))
    results: dict = {}
    failed: list[str] = []
    notes: list[str] = []
    try:
        context = _start(stack, args)
        notes = context.notes
        # Imported once Django is set up: the scenarios use MVidarr's models.
        from bench import scenarios

        for name in [n for n in SCENARIOS if n in args.only]:
            context.log(f"scenario: {name}")
            try:
                results[name] = scenarios.RUNNERS[name](context)
            except Exception as exc:  # one broken scenario must not lose the others' figures
                traceback.print_exc()
                failed.append(f"{name}: {exc}")
    except KeyboardInterrupt:
        print("Interrupted; stopping everything the benchmark started.", file=sys.stderr)
        return 130
    except Exception as exc:  # the stack did not start: say why, after cleaning up
        traceback.print_exc()
        print(f"The benchmark could not start the stack: {exc}", file=sys.stderr)
        return 1
    finally:
        stack.close()
    run = report.Run(
        results=results,
        failed=failed,
        machine=machine.describe(),
        other_work=other_work.share(),
        seconds=time.monotonic() - started,
        reps=args.reps,
        quick=args.quick,
        database=stack.database,
        web=f"uvicorn, {stack.web_workers} processes",
        redis="started by the benchmark" if stack.started_redis else "from REDIS_URL",
        notes=notes,
    )
    print(report.write(run, args.out))
    return 1 if failed else 0


def _start(stack: Stack, args: argparse.Namespace):
    print(f"Working directory: {stack.workdir}", file=sys.stderr)
    stack.prepare()
    django.setup()
    # Imported once Django is set up: they use MVidarr's models.
    from bench import db
    from bench.context import BULK, INTERACTIVE, Context

    make_media(MEDIA_CACHE)
    stack.manage("migrate", "--noinput", "-v", "0")
    # Before the web server starts: WhiteNoise lists the static files once, at start, and
    # the pages link them through the manifest collectstatic writes.
    stack.manage("collectstatic", "--noinput", "-v", "0")
    user = db.ensure_user()
    media = start_media_server(stack, MEDIA_CACHE)
    stack.start_web()
    api = Api("127.0.0.1", stack.port)
    api.login(db.USERNAME, db.PASSWORD)
    context = Context(
        stack=stack,
        media=media,
        api=api,
        user=user,
        cookie=db.session_cookie(user),
        reps=args.reps,
        quick=args.quick,
        sizes=args.sizes,
    )
    # Both queues have a worker, as in a real deployment; the scenarios reconfigure them.
    context.use_worker(4, queue=BULK)
    context.use_worker(16, queue=INTERACTIVE)
    return context


if __name__ == "__main__":
    sys.exit(main())

"""The curve scenario's rows of the report table (see :mod:`bench.scenarios.curve`)."""

from __future__ import annotations

from bench.stats import Figure

GOAL_MS = 100.0
FLAT = 2.0  # a first or filtered page at the largest size within this many times the smallest
# The first and filtered pages, which should stay flat as the library grows.
FLAT_ENDPOINTS = (
    "library page",
    "library page, filtered by status",
    "library page, sorted by artist",
    "GET /api/videos/",
    "GET /api/jobs/",
    "job dashboard",
)
SNAPSHOT = "WebSocket snapshot"
SNAPSHOT_KB, SNAPSHOT_MS, METRICS_MS, LOCK_MS = 100, 50.0, 250.0, 200.0

Row = tuple[str, str, str, str]
TIMES = "\u00d7"


def _ms(figure: Figure) -> str:
    return figure.text("{:.1f}", "ms") if len(figure.values) else "n/a"


def _goal(ok: bool, text: str) -> str:
    return f"{text} {'✅' if ok else '❌'}"


def curve_rows(curve: dict) -> list[Row]:
    sizes = curve["sizes"]
    if not sizes:
        return []
    smallest, largest = str(sizes[0]), str(sizes[-1])
    rows: list[Row] = []
    seeded = "; ".join(
        f"{int(size):,}: {curve['seeded'][size]['jobs']:,} jobs in "
        f"{curve['seeded'][size]['seconds']:.1f} s"
        for size in map(str, sizes)
    )
    rows.append(("6 Curve", "seeded (videos: job rows in seconds)", seeded, ""))
    for name, timing in curve["timings"][largest].items():
        parts = []
        for size in map(str, sizes):
            t = curve["timings"][size][name]
            parts.append(f"{int(size):,}: {t['p50'].median:.1f} / {t['p99'].median:.1f}")
        p99 = timing["p99"]
        result = "; ".join(parts) + f" ms (p99 at {int(largest):,}: {_ms(p99)})"
        kilobytes = timing["size"].median / 1000
        result += f"; {kilobytes:.0f} kB"
        first = curve["timings"][smallest][name]["p50"].median
        ratio = timing["p50"].median / first if first else float("nan")
        if len(sizes) > 1:
            result += f"; p50 {int(largest):,} / {int(sizes[0]):,}: {ratio:.1f}{TIMES}"
        goals = []
        limit = {SNAPSHOT: SNAPSHOT_MS, "/metrics": METRICS_MS}.get(name, GOAL_MS)
        goals.append(_goal(p99.median < limit, f"p99 < {limit:.0f} ms"))
        if name == SNAPSHOT:
            goals.append(_goal(kilobytes < SNAPSHOT_KB, f"< {SNAPSHOT_KB} kB"))
        if name in FLAT_ENDPOINTS and len(sizes) > 1:
            goals.append(_goal(ratio <= FLAT, f"within {FLAT:g}{TIMES}"))
        rows.append(("6 Curve", f"{name}: p50 / p99 by library size", result, ", ".join(goals)))
    for size in map(str, sizes):
        house = curve["housekeeping"][size]
        longest = house["longest_transaction_ms"]
        goal = _goal(longest.median <= LOCK_MS, f"≤ {LOCK_MS:.0f} ms") if size == largest else ""
        rows.append(
            (
                "6 Curve",
                f"housekeeping at {int(size):,} videos: time; longest transaction; longest a "
                "worker's heartbeat write waited",
                f"pruned {house['pruned']:,} jobs in {house['seconds'].median:.1f} s; "
                f"{_ms(longest)}; {_ms(house['longest_write_wait_ms'])}",
                goal,
            )
        )
    return rows

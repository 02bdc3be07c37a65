"""The bulk scenario's rows of the report table (see :mod:`bench.scenarios.bulk`)."""

from __future__ import annotations

Row = tuple[str, str, str, str]
SUBMIT_GOAL_S = 2.0


def bulk_rows(bulk: dict) -> list[Row]:
    rows: list[Row] = []
    for size in bulk["sizes"]:
        f = bulk[str(size)]
        name = f"7 Bulk {size:,}"
        threads = bulk["parallel"]
        submit_ok = f["submit_s"].median < SUBMIT_GOAL_S
        rows += [
            (
                name,
                f"POST /api/videos/bulk/download of {size:,} videos: time (the answer's size)",
                f"{f['submit_s'].text('{:.2f}', 's')} ({f['submit_kb'].text('{:.0f}', 'kB')})",
                f"< {SUBMIT_GOAL_S:.0f} s {'✅' if submit_ok else '❌'}",
            ),
            (
                name,
                f"submit to the bulk job's end, 28 kB clips, bulk worker {threads} threads"
                if "total_s" in f
                else f"items finished in the first {f['seconds'].median:.0f} s (then "
                f"cancelled), 28 kB clips, bulk worker {threads} threads",
                (
                    f"{f['total_s'].text('{:.0f}', 's')}, "
                    if "total_s" in f
                    else f"{f['finished'].text('{:.0f}', 'items')}, "
                )
                + f["per_second"].text("{:.1f}", "items/s"),
                "",
            ),
            (
                name,
                "bulk worker CPU time per finished item (its process and the processes it "
                "waited for)",
                f["cpu_ms_per_item"].text("{:.1f}", "ms"),
                "",
            ),
            (
                name,
                f"the bulk job's refresh after an item's end, against its {size:,} items",
                f["refresh_ms"].text("{:.2f}", "ms"),
                "the same at any size",
            ),
        ]
        if "dashboard_ms" in f:
            rows += [
                (
                    name,
                    "while it runs (median time, largest size): dashboard /jobs/",
                    f"{f['dashboard_ms'].text('{:.0f}', 'ms')}, "
                    f"{f['dashboard_kb'].text('{:.0f}', 'kB')}",
                    "",
                ),
                (
                    name,
                    "while it runs: GET /api/jobs/&lt;id&gt;/ of the bulk job",
                    f"{f['job_ms'].text('{:.0f}', 'ms')}, {f['job_kb'].text('{:.0f}', 'kB')}",
                    "",
                ),
                (
                    name,
                    "while it runs: the WebSocket snapshot",
                    f"{f['snapshot_ms'].text('{:.0f}', 'ms')}, "
                    f"{f['snapshot_kb'].text('{:.0f}', 'kB')}",
                    "",
                ),
                (
                    name,
                    "while it runs: peak PSS of the web processes / of the bulk worker",
                    f"{f['web_mb'].text('{:.0f}', 'MB')} / {f['worker_mb'].text('{:.0f}', 'MB')}",
                    "",
                ),
            ]
    return rows

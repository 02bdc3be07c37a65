"""The table rows of the ``adds`` scenario (adding videos while the workers are busy)."""

from __future__ import annotations

import math

from bench.stats import Figure, rate_text

Row = tuple[str, str, str, str]
LABEL = "8 Adds"


def _ms(figure: Figure) -> str:
    return figure.text("{:.1f}", "ms")


def _goal(ok: bool, text: str) -> str:
    return f"{text} {'✅' if ok else '❌'}"


def adds_rows(adds: dict) -> list[Row]:
    where = (
        f"{adds['clients']} clients, closed loop, {adds['adds_per_client']} adds each, each add "
        f"followed by its download; {adds['background']} downloads running "
        f"({adds['background_mb']} MB at {rate_text(adds['background_rate'])} each)"
    )
    rows: list[Row] = []
    lat = adds["latency"]
    for kind, path in (
        ("POST add", "POST /api/videos/"),
        ("POST download", "POST /api/videos/&lt;id&gt;/download"),
    ):
        p99 = lat[(kind, 99)]
        result = f"{_ms(lat[(kind, 50)])} / {_ms(lat[(kind, 95)])} / {_ms(p99)}"
        rows.append(
            (
                LABEL,
                f"{path} p50 / p95 / p99 ({where})",
                result,
                _goal(p99.median < 100, "p99 < 100 ms"),
            )
        )
    rows += [
        (LABEL, "adds per second (first request to last answer)",
         adds["adds_per_second"].text("{:.1f}", "adds/s"), ""),
        (LABEL, "every added video downloaded (s from the first request)",
         adds["all_done_seconds"].text("{:.1f}", "s"), ""),
        (LABEL, "failed requests", adds["errors"].text("{:.0f}"), "0"),
    ]  # fmt: skip
    idle = Figure([adds["idle_mb"]])
    peak = adds["peak_mb"]
    processes = adds["peak_processes"].median
    count = "" if math.isnan(processes) else f", {processes:.0f} processes"
    rows += [
        (LABEL, f"whole stack PSS at idle (`make run`'s processes, {adds['idle_processes']})",
         idle.text("{:.0f}", "MB"), _goal(adds["idle_mb"] <= 250, "≤ 250 MB")),
        (LABEL, f"whole stack peak PSS during the adds{count}", peak.text("{:.0f}", "MB"),
         _goal(peak.median <= 400, "≤ 400 MB")),
    ]  # fmt: skip
    return rows

"""The chart next to the table: API latency, p99 against the offered rate, and throughput.

Imported only when matplotlib is installed (``bench.report`` does without it).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")  # files only, no display

import matplotlib.pyplot as plt
from matplotlib.ticker import NullFormatter, ScalarFormatter

from bench.stats import DASH, Figure, rate_text

if TYPE_CHECKING:
    from bench.report import Run


def chart(run: Run, path: Path) -> None:
    r = run.results
    panels = [name for name in ("api", "ladder", "throughput") if _has(r, name)]
    if not panels:
        return
    fig, axes = plt.subplots(1, len(panels), figsize=(5.2 * len(panels), 4.2), squeeze=False)
    for ax, name in zip(axes[0], panels, strict=True):
        {"api": _latency_panel, "ladder": _ladder_panel, "throughput": _throughput_panel}[name](
            ax, r
        )
    fig.suptitle(
        f"MVidarr benchmark ({run.machine['cores']} cores, {run.machine['memory']}, "
        f"{run.database}; median, bars show min{DASH}max of {run.reps})",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _has(results: dict, name: str) -> bool:
    if name in ("api", "ladder"):
        return "api" in results
    return "throughput" in results


def _bar(ax, x, figure: Figure, **kwargs) -> None:
    median = figure.median
    if math.isnan(median):
        return
    err = [[median - figure.low], [figure.high - median]]
    ax.bar(x, median, yerr=err, capsize=3, **kwargs)


def _latency_panel(ax, r: dict) -> None:
    api = r["api"]
    width = 0.38
    for offset, kind, color in (
        (-width / 2, "POST download", "#4c72b0"),
        (width / 2, "GET job", "#dd8452"),
    ):
        for i, q in enumerate((50, 95, 99)):
            _bar(
                ax,
                i + offset,
                api["latency"][(kind, q)],
                width=width,
                color=color,
                label=kind if i == 0 else None,
            )
    ax.axhline(50, color="grey", linestyle="--", linewidth=1, label="goal: p99 < 50 ms")
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(ScalarFormatter())
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_xticks(range(3), ["p50", "p95", "p99"])
    ax.set_ylabel("latency (ms, log)")
    ax.set_title(f"API at {api['rate']} req/s, {api['background']} downloads running", fontsize=9)
    ax.legend(fontsize=8)


def _ladder_panel(ax, r: dict) -> None:
    api = r["api"]
    for n, ladder in enumerate(api["ladders"]):
        points = sorted(ladder)
        rates = [rate for rate, _ in points]
        p99 = [min(value, 10_000) for _, value in points]
        ax.plot(rates, p99, marker="o", label=f"repetition {n + 1}")
    ax.axhline(100, color="grey", linestyle="--", linewidth=1)
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(ScalarFormatter())
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("offered rate (req/s)")
    ax.set_ylabel("p99 latency (ms, log), both endpoints")
    ax.set_title("p99 as the offered rate rises (limit 100 ms)", fontsize=9)
    ax.legend(fontsize=8)


def _throughput_panel(ax, r: dict) -> None:
    thr = r["throughput"]
    total_mb = thr["bytes"] / 1_000_000
    width = 0.26
    series = (
        ("mvidarr", "MVidarr", "#4c72b0"),
        ("plain", "plain HTTP", "#55a868"),
        ("blocking", "yt-dlp CLI one by one", "#c44e52"),
    )
    for i, mode in enumerate(("unthrottled", "capped")):
        for j, (key, label, color) in enumerate(series):
            seconds = thr[mode][key]
            throughput = Figure([total_mb / v for v in seconds.values])
            _bar(
                ax,
                i + (j - 1) * width,
                throughput,
                width=width,
                color=color,
                label=label if i == 0 else None,
            )
    ax.set_xticks(range(2), ["unthrottled", f"capped {rate_text(thr['cap'])}/connection"])
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(ScalarFormatter())
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_ylabel("MB/s (log)")
    ax.set_title(f"{thr['n']} videos, {total_mb:.0f} MB, {thr['parallel']} at a time", fontsize=9)
    ax.legend(fontsize=8)

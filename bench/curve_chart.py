"""The curve's chart: p99 latency against library size, log-log, one line per endpoint.

Imported only when matplotlib is installed (``bench.report`` does without it).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")  # files only, no display

import matplotlib.pyplot as plt

if TYPE_CHECKING:
    from bench.report import Run


def curve_chart(run: Run, path: Path) -> None:
    curve = run.results.get("curve")
    if not curve or not curve["sizes"]:
        return
    sizes = curve["sizes"]
    fig, ax = plt.subplots(figsize=(9, 6))
    names = list(curve["timings"][str(sizes[-1])])
    styles = ["-", "--", "-.", ":"]
    for n, name in enumerate(names):
        p99 = [curve["timings"][str(size)][name]["p99"].median for size in sizes]
        ax.plot(sizes, p99, marker="o", linestyle=styles[n % len(styles)], label=name)
    ax.axhline(100, color="grey", linestyle="--", linewidth=1)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(sizes, [f"{size:,}" for size in sizes])
    ax.set_xlabel(f"videos in the library (10 job rows each; {len(sizes)} sizes)")
    ax.set_ylabel("p99 latency (ms, log)")
    ax.set_title(
        f"Latency against library size ({run.database}, commit {run.commit}; "
        f"median of {run.reps}; grey: 100 ms)",
        fontsize=9,
    )
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)

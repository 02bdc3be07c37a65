"""Small statistics: percentiles of one run, and a figure over repetitions (median, min-max)."""

from __future__ import annotations

import gc
import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")
DASH = "\u2013"  # an en dash, for ranges


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation; nan for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100.0
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    if ordered[low] == ordered[high]:  # also inf (failed requests): inf - inf would be nan
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class Figure:
    """One benchmark figure: the value of each repetition; shown as median (min-max)."""

    values: list[float] = field(default_factory=list)

    def add(self, value: float) -> None:
        self.values.append(value)

    @property
    def median(self) -> float:
        finite = [v for v in self.values if not math.isnan(v)]
        return statistics.median(finite) if finite else math.nan

    @property
    def low(self) -> float:
        finite = [v for v in self.values if not math.isnan(v)]
        return min(finite) if finite else math.nan

    @property
    def high(self) -> float:
        finite = [v for v in self.values if not math.isnan(v)]
        return max(finite) if finite else math.nan

    def text(self, fmt: str = "{:.1f}", unit: str = "") -> str:
        """``12.3 ms (11.0-14.1)``; one value has no spread to show."""
        if not self.values or math.isnan(self.median):
            return "n/a"
        unit = f" {unit}" if unit else ""
        main = fmt.format(self.median) + unit
        if len(self.values) < 2:
            return main
        return f"{main} ({fmt.format(self.low)}{DASH}{fmt.format(self.high)})"


def rate_text(bytes_per_second: float) -> str:
    """``4 MB/s``, ``32 kB/s``."""
    if bytes_per_second >= 1_000_000:
        return f"{bytes_per_second / 1_000_000:g} MB/s"
    return f"{bytes_per_second / 1000:g} kB/s"


def without_gc(measure: Callable[[], T]) -> T:
    """Run ``measure`` with this process's cyclic GC off: a full collection of the
    benchmark's own heap (Django and MVidarr are loaded here too) takes up to 150 ms, which
    a load generator or a WebSocket client would report as the server's latency."""
    gc.collect()
    gc.disable()
    try:
        return measure()
    finally:
        gc.enable()

"""The one way MVidarr writes a number of bytes and a speed: decimal SI units (1 kB is 1000
bytes), as yt-dlp's own figures and disk makers use; one decimal above bytes ("6.6 MB",
"102.7 kB/s"). ``mvidarr/static/mvidarr/js/units.js`` is the same rule for the pages' script;
templates use the ``size`` and ``speed`` filters (``{% load units %}``)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

UNITS = ("B", "kB", "MB", "GB", "TB")


def format_bytes(count: float | None) -> str:
    """``"512 B"``, ``"6.6 MB"``; ``""`` for None (unknown)."""
    if count is None:
        return ""
    value = float(count)
    for unit in UNITS:
        if abs(value) < 1000 or unit == UNITS[-1]:
            break
        value /= 1000
    # Halves round up, as the script's toFixed does: both pages show "6.3 MB" for 6,250,000.
    places = Decimal("1") if unit == "B" else Decimal("0.1")
    return f"{Decimal(value).quantize(places, rounding=ROUND_HALF_UP)} {unit}"


def format_rate(bytes_per_second: float | None) -> str:
    """``"102.7 kB/s"``; ``""`` for None or 0 (no speed known)."""
    if not bytes_per_second:
        return ""
    return f"{format_bytes(bytes_per_second)}/s"


def format_ago(seconds: float) -> str:
    """How long ago, in one short unit for a narrow line: ``"just now"``, ``"42 min ago"``,
    ``"3 h ago"``, ``"12 d ago"`` (a moment in the future, a clock ahead, is "just now")."""
    minutes = int(seconds // 60)
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min ago"
    if minutes < 24 * 60:
        return f"{minutes // 60} h ago"
    return f"{minutes // (24 * 60):,} d ago"

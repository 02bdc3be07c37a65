"""``{{ file.size|size }}`` → "6.6 MB", ``{{ job.speed|speed }}`` → "102.7 kB/s",
``{{ job.finished_at|ago }}`` → "42 min ago": :mod:`mvidarr.units` for templates."""

from datetime import datetime

from django import template
from django.utils import timezone

from mvidarr.units import format_ago, format_bytes, format_rate

register = template.Library()


@register.filter
def size(count) -> str:
    try:
        return format_bytes(float(count)) if count not in (None, "") else ""
    except (TypeError, ValueError):
        return ""


@register.filter
def speed(bytes_per_second) -> str:
    try:
        return format_rate(float(bytes_per_second)) if bytes_per_second else ""
    except (TypeError, ValueError):
        return ""


@register.filter
def ago(moment: datetime | None) -> str:
    return format_ago((timezone.now() - moment).total_seconds()) if moment else ""

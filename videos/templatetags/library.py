"""``{{ video.duration|clock }}`` → "3:07" and ``{{ video|resolution }}`` → "1080p", "4K",
"Audio": the library's cards and rows (:mod:`videos.file_facts`)."""

from django import template

from videos.file_facts import clock as clock_text
from videos.file_facts import resolution_badge
from videos.models import Video

register = template.Library()


@register.filter
def clock(seconds) -> str:
    try:
        return clock_text(float(seconds)) if seconds not in (None, "") else ""
    except (TypeError, ValueError):
        return ""


@register.filter
def resolution(video: Video) -> str:
    return resolution_badge(video.current_file)

"""The statistics page: the library in figures (:mod:`videos.stats`), for everyone signed in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from videos.stats import library_stats


def duration_words(seconds: float) -> str:
    """A total duration as a person reads it: "3 d 4 h", "5 h 12 min", "7 min", "0 min"."""
    minutes = int(seconds // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


@login_required
@require_GET
def library_stats_page(request):
    stats = library_stats()
    return render(
        request,
        "videos/stats.html",
        {
            "stats": stats,
            "duration": duration_words(stats.duration),
            "qualities": [
                {"item": item, "duration": duration_words(item.duration)}
                for item in stats.by_quality
            ],
        },
    )

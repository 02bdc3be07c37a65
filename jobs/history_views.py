"""The history page: what happened to the library, newest first, filtered by event, artist,
source or video; every signed-in user reads it."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from jobs.forms import HistoryFilterForm
from jobs.models import HistoryEvent
from jobs.selectors import history_list

PAGE_SIZE = 50


@login_required
def history_page(request):
    filters = HistoryFilterForm(request.GET or None)
    invalid = filters.is_bound and not filters.is_valid()
    if invalid:  # say what is wrong rather than show everything (the API answers 400 too)
        rows = HistoryEvent.objects.none()
    else:
        rows = history_list(**filters.filters()).select_related("source")  # each row names it
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.details = details(row)
    video = filters.cleaned_data.get("video") if filters.is_bound and not invalid else None
    every_video = request.GET.copy()
    for key in ("video", "page"):
        every_video.pop(key, None)
    context = {
        "page": page,
        "filters": filters,
        "filtered": invalid or any(filters.filters().values()),
        "invalid": invalid,
        "video": video,
        "every_video_url": "?" + every_video.urlencode() if every_video else "",
    }
    return render(request, "jobs/history.html", context, status=400 if invalid else 200)


# The figures a person reads first, in this order; the rest follow by name. PostgreSQL's
# jsonb keeps no key order, so the row's own order cannot be the page's.
FIRST = (
    *("old_quality", "new_quality"),  # an upgrade: from, to
    *("found", "added", "existing", "ignored", "filtered", "refused", "duplicates", "downloads"),
    *("old", "new"),  # a rename: from, to
)
# What a download's row says of its file in words ("360p MP4"), never yt-dlp's format ids.
FILE_KEYS = ("height", "container", "format")
CONTAINER_IN_FORMAT = re.compile(r"\((\w+)\)\s*$")  # "137+140 (mp4)" → mp4


def details(row: HistoryEvent) -> str:
    """The row's particulars in words: the reason, else the file's quality and container
    (``360p MP4``) and its figures (``added 3 · skipped 1``)."""
    data = row.data or {}
    if data.get("reason"):
        return str(data["reason"])
    parts = [file_words(data)]
    rank = {key: place for place, key in enumerate(FIRST)}
    for key, value in sorted(
        data.items(), key=lambda item: (rank.get(item[0], len(FIRST)), item[0])
    ):
        if key in FILE_KEYS:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float | str) or value == "":
            continue
        parts.append(f"{key.replace('_', ' ')} {value}")
    return " · ".join(filter(None, parts))


def file_words(data: dict) -> str:
    """``360p MP4`` from a download's height and container (older rows name the container
    only inside yt-dlp's format, ``400 (mp4)``); "" when neither is known."""
    container = str(data.get("container") or "")
    if not container and isinstance(data.get("format"), str):
        match = CONTAINER_IN_FORMAT.search(data["format"])
        container = match.group(1) if match else ""
    height = data.get("height")
    quality = f"{height}p" if isinstance(height, int) and not isinstance(height, bool) else ""
    return " ".join(filter(None, [quality, container.upper()]))

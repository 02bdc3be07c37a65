"""The history page: what happened to the library, newest first, filtered by event, artist
or source; every signed-in user reads it."""

from __future__ import annotations

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
    rows = history_list(**filters.filters()).select_related("source")  # each row names it
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.details = details(row)
    context = {"page": page, "filters": filters, "filtered": any(filters.filters().values())}
    return render(request, "jobs/history.html", context)


# The figures a person reads first, in this order; the rest follow by name. PostgreSQL's
# jsonb keeps no key order, so the row's own order cannot be the page's.
FIRST = (
    *("old_quality", "new_quality"),  # an upgrade: from, to
    *("found", "added", "existing", "ignored", "filtered", "refused", "duplicates", "downloads"),
    *("old", "new"),  # a rename: from, to
)


def details(row: HistoryEvent) -> str:
    """The row's particulars in words: the reason, else its figures (``added 3 · skipped 1``)."""
    data = row.data or {}
    if data.get("reason"):
        return str(data["reason"])
    parts = []
    rank = {key: place for place, key in enumerate(FIRST)}
    for key, value in sorted(
        data.items(), key=lambda item: (rank.get(item[0], len(FIRST)), item[0])
    ):
        if isinstance(value, bool) or not isinstance(value, int | float | str) or value == "":
            continue
        parts.append(f"{key.replace('_', ' ')} {value}")
    return " · ".join(parts)

"""The ignore list page: every signed-in user reads it; staff take an entry off the list
(the video it kept gets its status back), through :mod:`jobs.services`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jobs import services
from mvidarr.page_errors import told
from videos.selectors import ignored_get, ignored_list

PAGE_SIZE = 50


@login_required
def ignored_page(request):
    search = request.GET.get("q", "").strip()[:200]
    page = Paginator(ignored_list(search=search), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "jobs/ignored.html", {"page": page, "search": search})


@login_required
@require_POST
def ignored_remove(request, entry_id: int):
    """Take an entry off the ignore list (staff): an index may add the video again."""
    if not request.user.is_staff:
        raise PermissionDenied("Only staff can take videos off the ignore list.")
    entry = ignored_get(entry_id=entry_id)
    if entry is None:
        raise Http404("There is no such entry on the ignore list.")
    with told(request) as outcome:
        services.ignore_remove_and_refresh(entry=entry)
    if outcome.ok:
        messages.success(
            request, f"“{entry}” is off the ignore list: it may be added and downloaded again."
        )
    return redirect("ignored-list")

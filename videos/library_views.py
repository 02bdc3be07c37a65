"""The library page: the videos sorted and filtered, as a grid of cards or a compact list,
and the choice between the two, remembered for each person (``preferences``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jobs.forms import BulkDownloadForm
from jobs.selectors import metadata_refresh_panel
from mvidarr.pagination import KeysFirst
from preferences.selectors import user_preference_get
from preferences.services import user_preference_set
from videos.forms import PAGE_SIZE, VideoFilterForm
from videos.selectors import video_list, video_list_parts

VIEW_KEY = "library.view"
VIEWS = ("grid", "list")


@login_required
def library(request):
    filters = VideoFilterForm(request.GET or None)
    chosen = filters.filters()
    rendered_at = timezone.now()  # before the read: a job finishing after it refreshes the grid
    sort = filters.chosen_sort()
    videos = KeysFirst(
        video_list(**chosen, sort=sort),
        rows=video_list(),
        parts=video_list_parts(**chosen, sort=sort),
    )
    page = Paginator(videos, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "rendered_at": rendered_at,
        "page": page,
        "bulk_form": BulkDownloadForm(),
        "next": request.get_full_path(),
        "filters": filters,
        # (An artist typed who is not in the library filters by id 0: still a filter.)
        "filtered": any(value not in ("", None) for value in chosen.values()),
        "view": library_view(request.user),
        **metadata_refresh_panel(user=request.user),
    }
    return render(request, "videos/video_list.html", context)


def library_view(user) -> str:
    """The person's view of the library: ``grid`` (the default) or ``list``."""
    view = user_preference_get(user=user, key=VIEW_KEY, default=VIEWS[0])
    return view if view in VIEWS else VIEWS[0]


@login_required
@require_POST
def library_view_set(request):
    """Remember the view the person chose, then go back to the library page they were on."""
    view = request.POST.get("view", "")
    if view not in VIEWS:
        return HttpResponseBadRequest(
            "Choose how to show the library: grid or list.", content_type="text/plain"
        )
    user_preference_set(user=request.user, key=VIEW_KEY, value=view)
    target = request.POST.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("home")

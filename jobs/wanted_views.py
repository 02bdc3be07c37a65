"""The wanted page: the videos not downloaded yet, filtered by artist and status; every
signed-in user reads it, staff download one or all of those shown (one bulk job)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jobs.forms import WantedDownloadForm, WantedFilterForm
from jobs.services.wanted import wanted_download_submit
from mvidarr.page_errors import told
from videos.wanted import wanted_list

PAGE_SIZE = 50


@login_required
def wanted_page(request):
    rendered_at = timezone.now()
    filters = WantedFilterForm(request.GET or None)
    chosen = filters.filters()
    page = Paginator(wanted_list(**chosen), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "filtered": any(chosen.values()),
        "download_form": WantedDownloadForm(
            initial={"artist": chosen.get("artist_id"), "status": chosen.get("status", "")}
        ),
        "next": request.get_full_path(),
        "rendered_at": rendered_at,
    }
    return render(request, "jobs/wanted.html", context)


@login_required
@require_POST
def wanted_download(request):
    """Download every wanted video the page shows (its filters), as one bulk job (staff)."""
    if not request.user.is_staff:
        raise PermissionDenied("Only staff can download the wanted videos.")
    form = WantedDownloadForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _back(request)
    with told(request) as outcome:
        job = wanted_download_submit(
            user=request.user,
            artist=form.cleaned_data["artist"],
            status=form.cleaned_data["status"],
            quality=form.cleaned_data["quality"],
        )
    if outcome.ok:
        messages.success(request, f"Bulk download started: {job.message}.")
    return _back(request)


def _back(request):
    """Back to the wanted page the form was on (its filters and page), else to the first."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("wanted")

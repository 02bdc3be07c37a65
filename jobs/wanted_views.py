"""The wanted pages, which every signed-in user reads: the videos not downloaded yet,
filtered by artist and status, which staff download one by one or all of those shown (one
bulk job); and the files below their profile's cutoff, which staff check for an upgrade now
(one, or every one that is due)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jobs.forms import CutoffFilterForm, UpgradeCheckForm, WantedDownloadForm, WantedFilterForm
from jobs.models import Job
from jobs.selectors import upgrade_check_outcome, videos_last_upgrade_check
from jobs.services.upgrades import upgrade_check_submit, upgrades_check_due
from jobs.services.wanted import wanted_download_submit
from mvidarr.page_errors import told
from videos.wanted import cutoff_unmet_list, file_quality_name, wanted_list

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
        "filtered": _filtered(chosen),
        "download_form": WantedDownloadForm(
            initial={"artist": chosen.get("artist_id"), "status": chosen.get("status", "")}
        ),
        "next": request.get_full_path(),
        "rendered_at": rendered_at,
    }
    return render(request, "jobs/wanted.html", context)


def _filtered(chosen: dict) -> bool:
    # An artist no one has is a filter too (its id is 0: it matches nothing).
    return any(value not in (None, "") for value in chosen.values())


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


@login_required
def cutoff_page(request):
    rendered_at = timezone.now()
    filters = CutoffFilterForm(request.GET or None)
    chosen = filters.filters()
    page = Paginator(cutoff_unmet_list(**chosen), PAGE_SIZE).get_page(request.GET.get("page"))
    checks = videos_last_upgrade_check(video.pk for video in page.object_list)
    for video in page.object_list:
        video.quality = file_quality_name(video)
        video.last_check = upgrade_check_outcome(checks.get(video.pk))
    context = {
        "page": page,
        "filters": filters,
        "filtered": _filtered(chosen),
        "refresh_keys": " ".join(f"video:{video.pk}" for video in page.object_list),
        "interval_days": settings.UPGRADE_CHECK_INTERVAL_SECONDS // 86400,
        "limit": settings.UPGRADE_CHECK_LIMIT,
        "next": request.get_full_path(),
        "rendered_at": rendered_at,
    }
    return render(request, "jobs/cutoff.html", context)


@login_required
@require_POST
def cutoff_check(request):
    """Check one video for an upgrade now, or every one that is due (staff)."""
    if not request.user.is_staff:
        raise PermissionDenied("Only staff can start upgrade checks.")
    form = UpgradeCheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _back(request, "cutoff-unmet")
    video = form.cleaned_data["video"]
    with told(request) as outcome:
        if video is not None:
            upgrade_check_submit(video=video, user=request.user)
            said = f"Checking “{video}” for an upgrade. Its check is on the jobs page."
        else:
            run = upgrades_check_due(
                now=timezone.now(),
                limit=settings.UPGRADE_CHECK_LIMIT,
                user=request.user,
                origin=Job.Origin.USER,
            )
            said = _checks_said(run.started)
    if outcome.ok:
        messages.success(request, said)
    return _back(request, "cutoff-unmet")


def _checks_said(started: int) -> str:
    """The message after a person starts upgrade checks."""
    if started == 0:
        return "Every due video is being checked already: see the jobs page."
    if started == 1:
        return "Checking 1 video for an upgrade. Its check is on the jobs page."
    return f"Checking {started} videos for an upgrade. Their checks are on the jobs page."


def _back(request, fallback: str = "wanted"):
    """Back to the page the form was on (its filters and page), else to ``fallback``."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)

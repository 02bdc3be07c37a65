"""The settings page (staff): the general settings, the cookies file, and links to the other
settings pages (naming, providers, connections, profiles). Everything here applies without a
restart; a setting its environment variable gives is shown read-only with the variable."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from jobs.services.settings import (
    cookies_remove,
    cookies_state,
    cookies_upload,
    general_settings_set,
)
from jobs.settings_forms import CookiesUploadForm, GeneralSettingsForm
from mvidarr.page_errors import told


def _require_staff(request) -> None:
    if not request.user.is_staff:
        raise PermissionDenied("Only staff can see and change the settings.")


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request):
    """The general settings; a POST saves them all or none, each wrong field with its
    sentence."""
    _require_staff(request)
    form = GeneralSettingsForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            with told(request, form=form) as outcome:
                general_settings_set(values=form.values(), user=request.user)
            if outcome.ok:
                messages.success(
                    request, "Saved the settings: they apply from the next download or run."
                )
                return redirect("settings")
        messages.error(request, "The settings were not saved; see the form below.")
        return _page(request, form, CookiesUploadForm(), status=400)
    return _page(request, form, CookiesUploadForm())


@login_required
@require_POST
def cookies_upload_view(request):
    _require_staff(request)
    upload = CookiesUploadForm(request.POST, request.FILES)
    if upload.is_valid():
        with told(request, form=upload) as outcome:
            cookies_upload(content=upload.cleaned_data["file"].read(), user=request.user)
        if outcome.ok:
            messages.success(request, "Saved the cookies file: the next download uses it.")
            return redirect("settings")
    messages.error(request, "The cookies file was not saved; see below.")
    return _page(request, GeneralSettingsForm(), upload, status=400)


@login_required
@require_POST
def cookies_remove_view(request):
    _require_staff(request)
    with told(request) as outcome:
        cookies_remove(user=request.user)
    if outcome.ok:
        messages.success(request, "Removed the cookies file: downloads go without cookies.")
    return redirect("settings")


def _page(request, form, upload, *, status: int = 200):
    context = {
        "form": form,
        "rows": form.rows(),
        "profile_field": form["default_profile"],
        "upload": upload,
        "cookies": cookies_state(),
    }
    return render(request, "jobs/settings.html", context, status=status)

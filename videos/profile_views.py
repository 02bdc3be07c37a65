"""The quality profiles page: everyone signed in reads them; staff add, change, delete them
and choose the default, through the services of :mod:`videos.profiles`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from mvidarr.page_errors import told
from videos.models import QualityProfile
from videos.profile_forms import ProfileForm
from videos.profiles import profile_create, profile_delete, profile_update
from videos.selectors import profile_get, profile_list


def _require_staff(request) -> None:
    if not request.user.is_staff:
        raise PermissionDenied("Only staff can change quality profiles.")


def _profile_or_404(profile_id: int) -> QualityProfile:
    profile = profile_get(profile_id=profile_id)
    if profile is None:
        raise Http404("There is no such quality profile.")
    return profile


@login_required
def profile_list_page(request):
    return render(request, "videos/profile_list.html", {"profiles": profile_list()})


@login_required
@require_http_methods(["GET", "POST"])
def profile_add_page(request):
    _require_staff(request)
    form = ProfileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with told(request, form=form) as outcome:
            profile = profile_create(data=form.cleaned_data)
        if outcome.ok:
            messages.success(request, f"Added the profile “{profile.name}”.")
            return redirect("profile-list")
    return _form_page(request, form, profile=None)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit_page(request, profile_id: int):
    _require_staff(request)
    profile = _profile_or_404(profile_id)
    form = ProfileForm(request.POST or None, profile=profile)
    if request.method == "POST" and form.is_valid():
        with told(request, form=form) as outcome:
            profile_update(profile=profile, data=form.cleaned_data)
        if outcome.ok:
            messages.success(request, f"Saved the profile “{profile.name}”.")
            return redirect("profile-list")
    return _form_page(request, form, profile=_profile_or_404(profile_id))


def _form_page(request, form: ProfileForm, *, profile: QualityProfile | None):
    if form.errors:
        messages.error(request, "The profile was not saved; see the form below.")
    context = {"form": form, "profile": profile}
    return render(request, "videos/profile_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def profile_default_view(request, profile_id: int):
    """Make a profile the default: artists without a profile of their own follow it."""
    _require_staff(request)
    profile = _profile_or_404(profile_id)
    with told(request) as outcome:
        profile_update(profile=profile, data={"is_default": True})
    if outcome.ok:
        messages.success(request, f"“{profile.name}” is now the default profile.")
    return redirect("profile-list")


@login_required
@require_POST
def profile_delete_view(request, profile_id: int):
    _require_staff(request)
    profile = _profile_or_404(profile_id)
    with told(request) as outcome:
        profile_delete(profile=profile)
    if outcome.ok:
        messages.success(
            request, f"Deleted the profile “{profile.name}”; its artists follow the default."
        )
    return redirect("profile-list")

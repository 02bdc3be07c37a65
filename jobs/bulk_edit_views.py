"""Editing the library's chosen videos at once (the grid's "Edit the chosen videos"): the
buttons post the grid's own selection here (``formaction``), and the next page says what
was done and, per video, what was refused."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jobs.forms import VideoChoiceField
from jobs.services.bulk_edit import ACTIONS, videos_bulk_edit
from mvidarr.page_errors import told
from videos.models import Video


class BulkEditForm(forms.Form):
    video_ids = VideoChoiceField(
        queryset=Video.objects.all(),
        error_messages={
            "required": "Choose at least one video to edit.",
            "invalid_choice": "One of the chosen videos is no longer in the library; "
            "reload the page and choose again.",
            "invalid_pk_value": "“%(pk)s” is not a video; reload the page and choose again.",
        },
    )
    action = forms.ChoiceField(
        choices=list(ACTIONS.items()),
        error_messages={"invalid_choice": "Choose what to do with the chosen videos."},
    )
    artist = forms.CharField(max_length=255, required=False)
    reason = forms.CharField(max_length=255, required=False)
    delete_file = forms.BooleanField(required=False)


@login_required
@require_POST
def bulk_edit(request):
    form = BulkEditForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _back(request)
    data = form.cleaned_data
    with told(request) as outcome:
        result = videos_bulk_edit(
            videos=data["video_ids"],
            user=request.user,
            action=data["action"],
            artist_name=data["artist"],
            reason=data["reason"],
            delete_file=data["delete_file"],
        )
    if outcome.ok:
        if result.done:
            count = len(result.done)
            messages.success(
                request, f"{ACTIONS[data['action']]} {count} video{'s' if count != 1 else ''}."
            )
        for video, sentence in result.refused:
            messages.error(request, f"“{video}”: {sentence}")
    return _back(request)


def _back(request):
    """Back to the page the selection was made on (``next``, when on this site), else home."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("home")

"""Adding in one step (the add page's first panel): many addresses, one a line, added and
downloaded or added only; the page then says per line what happened and follows the
downloads live. An address that holds many videos offers "Import all" or "Follow as a
source" (staff), there or once its probe found a playlist.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jobs.services.adding import (
    ADDED,
    COLLECTION,
    collection_follow,
    collection_import,
    videos_add_many,
)
from mvidarr.page_errors import told
from videos.forms import AddManyForm, CollectionForm, add_page_forms

IMPORT_STARTED = (
    "Import started: its videos appear in the library (no reload needed) as soon as the "
    "playlist or feed has been read."
)


@login_required
@require_POST
def video_add_many(request):
    """Add each line's address (and download it when "Add and download" was pressed)."""
    form = AddManyForm(request.POST)
    download = request.POST.get("action") != "add"
    if form.is_valid():
        data = form.cleaned_data
        with told(request, form=form) as outcome:
            lines = videos_add_many(
                urls=data["urls"],
                user=request.user,
                artist_name=data["performer"],
                quality=data["quality"],
                download=download,
            )
        if outcome.queue_down:  # nothing was added; the form keeps what was typed
            return render(
                request, "videos/video_add.html", add_page_forms(many_form=form), status=503
            )
        if outcome.ok:
            added = sum(line.outcome == ADDED for line in lines)
            context = add_page_forms(
                many_form=AddManyForm(initial={"performer": data["performer"]}),
                results=lines,
                added=added,
                collections=sum(line.outcome == COLLECTION for line in lines),
                downloading=download,
                performer=data["performer"],
                rendered_at=timezone.now(),
            )
            return render(request, "videos/video_add.html", context)
    messages.error(request, "Nothing was added; see the form below.")
    return render(request, "videos/video_add.html", add_page_forms(many_form=form), status=400)


@login_required
@require_POST
def collection_import_view(request):
    """ "Import all": every entry of a playlist, channel or feed (a probe job adds them)."""
    form = CollectionForm(request.POST)
    if not form.is_valid():
        return _refused(request, form)
    with told(request) as outcome:
        collection_import(
            url=form.cleaned_data["url"], user=request.user, replaces=form.cleaned_data["replaces"]
        )
    if not outcome.ok:
        return redirect("video-add")
    messages.success(request, IMPORT_STARTED)
    return redirect("job-dashboard")


@login_required
@require_POST
def collection_follow_view(request):
    """ "Follow as a source" (staff): a monitored source, indexed now."""
    form = CollectionForm(request.POST)
    if not form.is_valid():
        return _refused(request, form)
    with told(request) as outcome:
        source, _job = collection_follow(
            url=form.cleaned_data["url"],
            user=request.user,
            artist_name=form.cleaned_data["performer"],
            replaces=form.cleaned_data["replaces"],
        )
    if not outcome.ok:
        return redirect("video-add")
    messages.success(
        request,
        f"Following “{source}” as a source: it is being indexed now, then every "
        f"{source.index_interval_minutes} minutes.",
    )
    return redirect(reverse("source-list"))


def _refused(request, form: CollectionForm):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("video-add")

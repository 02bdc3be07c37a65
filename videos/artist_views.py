"""The artist pages: the artists list with each one's completeness and a monitor toggle, and
an artist's page (completeness, monitoring, its videos); renaming and deleting (staff).

Views read with selectors, change things with services, and render; staff-only actions
answer 403 to everyone else.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jobs.forms import BulkDownloadForm
from jobs.selectors import metadata_refresh_panel
from jobs.services import artist_edit, artist_merge
from jobs.services.sources import with_index_jobs
from mvidarr.page_errors import told
from mvidarr.pagination import KeysFirst
from videos.forms import (
    PAGE_SIZE,
    ArtistMergeForm,
    ArtistMonitorForm,
    ArtistMonitoringForm,
    ArtistRenameForm,
    SourceForm,
)
from videos.models import Artist
from videos.selectors import (
    artist_completeness,
    artist_find_by_name,
    artist_get,
    artist_list,
    artists_completeness,
    video_list,
)
from videos.services import artist_delete, artist_update
from videos.sources import SourceUrlTaken, source_create, source_list


@login_required
def artist_list_page(request):
    search = request.GET.get("q", "").strip()[:200]
    page = Paginator(artist_list(search=search), 60).get_page(request.GET.get("page"))
    completeness = artists_completeness(page.object_list)  # one batch for the whole page
    for artist in page.object_list:
        artist.completeness = completeness[artist.pk]
    context = {"page": page, "search": search, "next": request.get_full_path()}
    return render(request, "videos/artist_list.html", context)


@login_required
def artist_detail_page(request, artist_id: int):
    return _artist_page(request, _artist_or_404(artist_id))


def _artist_page(
    request,
    artist: Artist,
    *,
    rename_form=None,
    merge_form: ArtistMergeForm | None = None,
    monitoring_form: ArtistMonitoringForm | None = None,
    source_form: SourceForm | None = None,
    status: int = 200,
):
    # Before the reads: a job that finishes after it makes live.js refresh the parts.
    rendered_at = timezone.now()
    sources = with_index_jobs(list(source_list(artist_id=artist.pk)))
    videos = KeysFirst(video_list(artist_id=artist.pk))
    page = Paginator(videos, PAGE_SIZE).get_page(request.GET.get("page"))
    # The sources follow their indexes; the videos follow them too (an index adds videos)
    # and the downloads and lookups of the videos shown.
    source_keys = [f"source:{source.pk}" for source in sources]
    video_keys = [f"video:{video.pk}" for video in page.object_list]
    context = {
        "artist": artist,
        "completeness": artist_completeness(artist),
        "sources": sources,
        "source_keys": " ".join(source_keys),
        "rendered_at": rendered_at,
        "page": page,
        "refresh_keys": " ".join(source_keys + video_keys),
        "bulk_form": BulkDownloadForm(),
        "next": request.get_full_path(),
        **metadata_refresh_panel(user=request.user, artist=artist),
    }
    if request.user.is_staff:  # the controls that change the artist are for staff only
        context["rename_form"] = rename_form or ArtistRenameForm(initial={"name": artist.name})
        context["merge_form"] = merge_form or ArtistMergeForm()
        context["monitoring_form"] = monitoring_form or ArtistMonitoringForm.for_artist(artist)
        context["source_form"] = source_form or SourceForm()
    return render(request, "videos/artist_detail.html", context, status=status)


@login_required
@require_POST
def artist_rename_view(request, artist_id: int):
    """Rename an artist (staff: the name is the folder of everyone's files by it)."""
    _require_staff(request, "Only staff can rename artists.")
    artist = _artist_or_404(artist_id)
    form = ArtistRenameForm(request.POST)
    if form.is_valid():
        with told(request, form=form) as outcome:
            _, job = artist_edit(
                artist=artist, user=request.user, data={"name": form.cleaned_data["name"]}
            )
        if outcome.ok:
            files = f"; its files follow (job #{job.pk})" if job is not None else ""
            messages.success(request, f"Renamed the artist to “{artist.name}”{files}.")
            return redirect("artist-detail", artist_id=artist.pk)
    messages.error(request, "The artist was not renamed; see the form below.")
    return _artist_page(request, _artist_or_404(artist.pk), rename_form=form, status=400)


@login_required
@require_POST
def artist_merge_view(request, artist_id: int):
    """Merge this artist into another (staff): its videos, sources and history move there."""
    _require_staff(request, "Only staff can merge artists.")
    artist = _artist_or_404(artist_id)
    form = ArtistMergeForm(request.POST)
    if form.is_valid():
        name = form.cleaned_data["into"]
        into = artist_find_by_name(name)
        if into is None:
            form.add_error("into", f"There is no artist called “{name}”; choose one of the list.")
        else:
            with told(request, form=form) as outcome:
                kept, job, merged = artist_merge(artist=artist, into=into, user=request.user)
            if outcome.ok:
                files = f"; their files follow (job #{job.pk})" if job is not None else ""
                messages.success(
                    request,
                    f"Merged “{artist.name}” into “{kept.name}”: {merged.videos} "
                    f"video{'s' if merged.videos != 1 else ''} and {merged.sources} "
                    f"source{'s' if merged.sources != 1 else ''} moved{files}.",
                )
                return redirect("artist-detail", artist_id=kept.pk)
    messages.error(request, "The artists were not merged; see the form below.")
    return _artist_page(request, _artist_or_404(artist.pk), merge_form=form, status=400)


@login_required
@require_POST
def artist_monitor_view(request, artist_id: int):
    """Start or stop monitoring an artist (staff), from the artists list."""
    _require_staff(request, "Only staff can change which artists are monitored.")
    artist = _artist_or_404(artist_id)
    form = ArtistMonitorForm(request.POST)
    form.is_valid()  # a boolean field: anything but a true value is False
    monitored = form.cleaned_data.get("monitored", False)
    artist_update(artist=artist, data={"monitored": monitored})
    if monitored:
        messages.success(request, f"Monitoring “{artist.name}”: new videos follow its settings.")
    else:
        messages.success(request, f"Stopped monitoring “{artist.name}”.")
    return _back(request, "artist-list")


@login_required
@require_POST
def artist_monitoring_view(request, artist_id: int):
    """Change an artist's monitoring settings (staff), from its page."""
    _require_staff(request, "Only staff can change an artist's monitoring.")
    artist = _artist_or_404(artist_id)
    form = ArtistMonitoringForm(request.POST)
    if form.is_valid():
        with told(request, form=form) as outcome:
            artist_update(artist=artist, data=form.cleaned_data)
        if outcome.ok:
            messages.success(request, f"Saved the monitoring of “{artist.name}”.")
            return redirect("artist-detail", artist_id=artist.pk)
    messages.error(request, "The monitoring was not changed; see the form below.")
    return _artist_page(request, _artist_or_404(artist.pk), monitoring_form=form, status=400)


@login_required
@require_POST
def artist_source_add_view(request, artist_id: int):
    """Add a source whose videos are this artist's (staff)."""
    _require_staff(request, "Only staff can add sources.")
    artist = _artist_or_404(artist_id)
    form = SourceForm(request.POST)
    if form.is_valid():
        with told(request, form=form) as outcome:
            try:
                source = source_create(data={**form.cleaned_data, "artist": artist})
            except SourceUrlTaken as taken:  # a conflict, but about the URL typed: show it there
                form.add_error("url", taken.message)
                form.taken = getattr(taken, "existing", None)  # the page links to it
        if outcome.ok and not form.errors:
            messages.success(request, _source_added(source))
            return redirect(f"{reverse('artist-detail', args=[artist.pk])}#sources")
    messages.error(request, "The source was not added; see the form below.")
    return _artist_page(request, _artist_or_404(artist.pk), source_form=form, status=400)


def _source_added(source) -> str:
    if source.monitored:
        return (
            f"Added the source “{source}”: it is indexed at the scheduler's next tick, then "
            f"every {source.index_interval_minutes} minutes. Index it now to see its videos."
        )
    return f"Added the source “{source}”; it is not monitored, so index it when you choose."


@login_required
@require_POST
def artist_delete_view(request, artist_id: int):
    """Delete an artist (staff); its videos stay in the library without one."""
    _require_staff(request, "Only staff can delete artists.")
    artist = _artist_or_404(artist_id)
    artist_delete(artist=artist)
    messages.success(request, f"Deleted the artist “{artist.name}”; its videos stay.")
    return redirect("artist-list")


def _back(request, fallback: str, **kwargs):
    """Back to the page named in ``next`` when it is on this site, else to ``fallback``."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback, **kwargs)


def _require_staff(request, sentence: str) -> None:
    if not request.user.is_staff:
        raise PermissionDenied(sentence)


def _artist_or_404(artist_id: int) -> Artist:
    artist = artist_get(artist_id=artist_id)
    if artist is None:
        raise Http404("There is no such artist.")
    return artist

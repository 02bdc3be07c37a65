"""The sources pages: the list of every source (everyone signed in reads it), and changing,
deleting and indexing one now (staff), through the services of :mod:`videos.sources` and
:mod:`jobs.services.sources`. An artist's page lists its own sources with the same rows."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from jobs.models import Job
from jobs.services.sources import source_index_submit, with_index_jobs
from mvidarr.page_errors import told
from videos.forms import SourceEditForm
from videos.models import Source
from videos.sources import SourceUrlTaken, source_delete, source_get, source_list, source_update

PAGE_SIZE = 100


@login_required
def source_list_page(request):
    rendered_at = timezone.now()  # before the reads: a later index makes live.js refresh
    page = Paginator(source_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    sources = with_index_jobs(list(page.object_list))
    context = {
        "page": page,
        "sources": sources,
        "source_keys": " ".join(f"source:{source.pk}" for source in sources),
        "rendered_at": rendered_at,
        "next": request.get_full_path(),
    }
    return render(request, "videos/source_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def source_edit_page(request, source_id: int):
    """Change a source (staff); back to ``next`` (the page it was changed from) when saved."""
    _require_staff(request, "Only staff can change sources.")
    source = _source_or_404(source_id)
    form = SourceEditForm(request.POST or None, source=source)
    if request.method == "POST" and form.is_valid():
        with told(request, form=form) as outcome:
            try:
                source_update(source=source, data=form.cleaned_data)
            except SourceUrlTaken as taken:  # a conflict, but about the URL typed: show it there
                form.add_error("url", taken.message)
                form.taken = getattr(taken, "existing", None)
        if outcome.ok and not form.errors:
            messages.success(request, f"Saved the source “{source}”.")
            return _back(request)
    if form.errors:
        messages.error(request, "The source was not changed; see the form below.")
    context = {"form": form, "source": _source_or_404(source_id), "next": _next(request)}
    return render(request, "videos/source_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def source_delete_view(request, source_id: int):
    """Delete a source (staff); the videos it found stay in the library."""
    _require_staff(request, "Only staff can delete sources.")
    source = _source_or_404(source_id)
    source_delete(source=source)
    messages.success(request, f"Deleted the source “{source}”; the videos it found stay.")
    return _back(request)


@login_required
@require_POST
def source_index_view(request, source_id: int):
    """Index a source now (staff): a ``source_index`` job that the page follows live."""
    _require_staff(request, "Only staff can index sources.")
    source = _source_or_404(source_id)
    with told(request) as outcome:
        source_index_submit(source=source, user=request.user, origin=Job.Origin.USER)
    to_artist = source.artist_id is not None and (
        not _next(request) or _next(request).startswith(f"/artists/{source.artist_id}/")
    )
    if outcome.ok:
        where = "its new videos appear below" if to_artist else "its row below shows how it goes"
        messages.success(request, f"Indexing “{source}”: {where}.")
    if to_artist and not _next(request):
        return redirect("artist-detail", artist_id=source.artist_id)
    return _back(request)


def _next(request) -> str:
    """The page named in ``next`` (posted, else in the query) when it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _back(request):
    return redirect(_next(request) or "source-list")


def _require_staff(request, sentence: str) -> None:
    if not request.user.is_staff:
        raise PermissionDenied(sentence)


def _source_or_404(source_id: int) -> Source:
    source = source_get(source_id=source_id)
    if source is None:
        raise Http404("There is no such source.")
    return source

"""The metadata pages: search IMVDb and add an artist or a video from the results (staff),
"Refresh metadata" for a video, an artist and the library (staff), and the providers'
settings with a Test per provider (staff).

Adding and refreshing start jobs (``jobs.services.providers``) that the pages follow live;
only the search, its pictures and the Test ask a provider during the request, since a
person waits for their answer. IMVDb's pictures come through MVidarr (the pages' CSP allows
no other site's images), fetched through the private-address guard, and only addresses this
page signed.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobs import kinds
from jobs.models import Job
from jobs.selectors import jobs_visible_to
from jobs.services.providers import (
    artist_import_submit,
    metadata_refresh_submit,
    video_import_submit,
)
from mvidarr.page_errors import told
from videos.library.artwork import ArtworkUnavailable, fetch_image
from videos.library.images import image_kind
from videos.provider_forms import ImvdbSearchForm, ProviderAddForm, ProviderSettingsForm
from videos.providers.base import PermanentError, TransientError
from videos.providers.configure import provider_settings_set
from videos.providers.registry import LABELS, NAMES, provider_get
from videos.providers.search import imvdb_configured, imvdb_search, provider_hits_known
from videos.selectors import artist_get, video_get

IMAGE_SALT = "mvidarr.imvdb-image"
IMAGE_MAX_AGE = 24 * 3600
# What a result shows when its picture cannot be fetched, as one without a picture does.
PLACEHOLDER_MAX_AGE = 300
PLACEHOLDER_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 9">'
    '<text x="8" y="6" font-size="3.5" text-anchor="middle" fill="#d7defa">\u266a</text></svg>'
)
ADD_KINDS = (kinds.ARTIST_IMPORT, kinds.VIDEO_IMPORT)


def _require_staff(request, sentence: str) -> None:
    if not request.user.is_staff:
        raise PermissionDenied(sentence)


# --- IMVDb search -------------------------------------------------------------------------
@login_required
@require_GET
def imvdb_search_page(request):
    """Search IMVDb's artists or videos; each result says whether the library has it, and
    staff get "Add artist" / "Add video". ``?job=`` shows an add job, followed live."""
    rendered_at = timezone.now()
    form = ImvdbSearchForm(request.GET if "q" in request.GET else None)
    context = {
        "form": form,
        "configured": imvdb_configured(),
        "results": None,
        "problem": "",
        "down": False,
        "rendered_at": rendered_at,
        "job": _add_job(request),
    }
    if context["configured"] and form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            found = imvdb_search(query=data["q"], type=data["type"], page=data["page"])
        except TransientError as exc:
            context["problem"], context["down"] = exc.message, True
        except PermanentError as exc:
            context["problem"] = exc.message
        else:
            context.update(_results(found, data))
    job = context["job"]
    if job is not None:
        options = job.options or {}
        if options.get("artist"):
            context["added_artist"] = artist_get(artist_id=options["artist"])
        if options.get("video"):
            context["added_video"] = video_get(video_id=options["video"])
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "videos/imvdb_search.html", context, status=status)


def _results(found, data: dict) -> dict:
    known = provider_hits_known(provider="imvdb", page=found, type=data["type"])
    signer = signing.Signer(salt=IMAGE_SALT)
    results = []
    for item in found.items:
        image = ""
        if item.image_url:
            image = f"{reverse('imvdb-image')}?{urlencode({'u': signer.sign(item.image_url)})}"
        results.append(
            {
                "id": item.id,
                "name": getattr(item, "name", "") or getattr(item, "title", ""),
                "artist": getattr(item, "artist", ""),
                "version": getattr(item, "version_name", ""),
                "year": getattr(item, "year", None),
                "video_count": getattr(item, "video_count", None),
                "image": image,
                "in_library": known.artists.get(item.id) or known.videos.get(item.id),
            }
        )
    query = {"q": data["q"], "type": data["type"]}
    return {
        "results": results,
        "found": found,
        "type": data["type"],
        "search": query,
        "previous": urlencode({**query, "page": found.page - 1}) if found.page > 1 else "",
        "next": urlencode({**query, "page": found.page + 1})
        if found.page < found.total_pages
        else "",
    }


def _add_job(request) -> Job | None:
    job_id = request.GET.get("job", "")
    if not job_id.isdigit():
        return None
    return jobs_visible_to(request.user).filter(pk=int(job_id), kind__in=ADD_KINDS).first()


@login_required
@require_GET
def imvdb_image(request):
    """A picture of a search result, fetched through the guard; only addresses the search
    page signed (so this is no way to make MVidarr fetch anything else)."""
    try:
        url = signing.Signer(salt=IMAGE_SALT).unsign(request.GET.get("u", ""))
    except signing.BadSignature:
        raise Http404("There is no such picture.") from None
    try:
        data = fetch_image(url)
    except ArtworkUnavailable:
        # The card shows the same note as a result without a picture, not a broken image;
        # asked again after a few minutes (the site may answer then).
        response = HttpResponse(PLACEHOLDER_SVG, content_type="image/svg+xml")
        response["Cache-Control"] = f"private, max-age={PLACEHOLDER_MAX_AGE}"
        return response
    response = HttpResponse(data, content_type=f"image/{image_kind(data)}")
    response["Cache-Control"] = f"private, max-age={IMAGE_MAX_AGE}"
    return response


@login_required
@require_POST
def imvdb_artist_add(request):
    """Add an artist and its whole videography (staff): the search page follows the job."""
    _require_staff(request, "Only staff can add artists from IMVDb.")
    return _add(request, artist_import_submit)


@login_required
@require_POST
def imvdb_video_add(request):
    """Add one video with its metadata and IMVDb's source (staff)."""
    _require_staff(request, "Only staff can add videos from IMVDb.")
    return _add(request, video_import_submit)


def _add(request, submit):
    form = ProviderAddForm(request.POST)
    if not form.is_valid():
        sentence = " ".join(error for errors in form.errors.values() for error in errors)
        return HttpResponse(sentence, status=400, content_type="text/plain; charset=utf-8")
    data = form.cleaned_data
    back = {"q": data["q"], "type": data["type"], "page": data["page"]} if data["q"] else {}
    with told(request) as outcome:
        job = submit(provider="imvdb", provider_id=data["id"], user=request.user)
    if outcome.ok:
        back["job"] = job.pk
    return redirect(f"{reverse('imvdb-search')}?{urlencode(back)}#imvdb-job")


# --- refresh metadata ---------------------------------------------------------------------
@login_required
@require_POST
def video_refresh_metadata_view(request, video_id: int):
    _require_staff(request, "Only staff can refresh metadata.")
    video = video_get(video_id=video_id)
    if video is None:
        raise Http404("There is no such video.")
    _refresh(request, video=video)
    return redirect(f"{reverse('video-detail', args=[video.pk])}#metadata-refresh")


@login_required
@require_POST
def artist_refresh_metadata_view(request, artist_id: int):
    _require_staff(request, "Only staff can refresh metadata.")
    artist = artist_get(artist_id=artist_id)
    if artist is None:
        raise Http404("There is no such artist.")
    _refresh(request, artist=artist)
    return redirect(f"{reverse('artist-detail', args=[artist.pk])}#metadata-refresh")


@login_required
@require_POST
def library_refresh_metadata_view(request):
    _require_staff(request, "Only staff can refresh the library's metadata.")
    _refresh(request)
    return redirect(f"{reverse('home')}#metadata-refresh")


def _refresh(request, **scope) -> None:
    with told(request) as outcome:
        metadata_refresh_submit(user=request.user, **scope)
    if outcome.ok:
        messages.success(
            request, "Refreshing the metadata from the providers: the outcome shows below."
        )


# --- provider settings --------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def provider_settings_page(request):
    """The providers' settings (staff): keys write-only, per-field sentences, Test."""
    _require_staff(request, "Only staff can see and change the providers' settings.")
    form = ProviderSettingsForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            with told(request, form=form) as outcome:
                provider_settings_set(values=form.values(), user=request.user)
            if outcome.ok:
                messages.success(request, "Saved the providers' settings.")
                return redirect("provider-settings")
        messages.error(request, "The providers' settings were not saved; see the form below.")
        return _settings_page(request, form, status=400)
    return _settings_page(request, form)


def _settings_page(request, form, *, tested: dict | None = None, status: int = 200):
    providers = [
        {"name": name, "label": LABELS[name], "tested": (tested or {}).get(name)} for name in NAMES
    ]
    context = {"form": form, "rows": form.rows(), "providers": providers}
    return render(request, "videos/provider_settings.html", context, status=status)


@login_required
@require_POST
def provider_test_view(request, name: str):
    """One small request to the provider with the settings in effect; the outcome is shown
    beside its Test button."""
    _require_staff(request, "Only staff can test the providers.")
    if name not in NAMES:
        raise Http404("There is no such provider.")
    try:
        result = {"ok": True, "detail": provider_get(name).check()}
    except (TransientError, PermanentError) as exc:
        result = {"ok": False, "detail": exc.message}
    return _settings_page(request, ProviderSettingsForm(), tested={name: result})

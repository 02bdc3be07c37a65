"""The library pages: videos, adding, importing, deleting, and the file itself (the artist
pages are in :mod:`videos.artist_views`).

Views read with selectors, change things with services, and render. Downloads are started
from these pages by the forms in ``jobs.views``.
"""

from __future__ import annotations

import asyncio
import mimetypes
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.handlers.asgi import ASGIRequest
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_http_methods, require_POST

from jobs import services as jobs_services
from jobs.forms import DownloadForm
from jobs.selectors import (
    job_representation,
    metadata_refresh_panel,
    video_last_download,
    video_last_probe,
    video_last_resolve,
)
from mvidarr.page_errors import told
from mvidarr.tokens import login_or_bearer_required
from videos.add_views import IMPORT_STARTED
from videos.file_facts import clock, file_facts, site_name
from videos.forms import (
    ImportForm,
    VideoAddForm,
    VideoDeleteForm,
    VideoSourceForm,
    VideoUrlForm,
    add_page_forms,
)
from videos.library import video_file_path
from videos.library.artwork import artist_artwork, video_artwork
from videos.metadata import metadata_rows
from videos.metadata_forms import VideoDetailsForm
from videos.metadata_rules import source_label
from videos.models import Video, is_http_url
from videos.selectors import artist_get, video_get

CHUNK_BYTES = 256 * 1024


# --- one video ----------------------------------------------------------------------------
@login_required
def video_detail_page(
    request,
    video_id: int,
    *,
    url_form: VideoUrlForm | None = None,
    details_form: VideoDetailsForm | None = None,
):
    # Taken before the reads: a job that finishes after it makes live.js refresh the panels.
    rendered_at = timezone.now()
    video = _video_or_404(video_id)
    last = video_last_download(user=request.user, video=video)
    rows = metadata_rows(video)
    context = {
        "video": video,
        "has_file": video_file_path(video) is not None,
        "file_facts": file_facts(video, video.current_file) if video.current_file else [],
        "site": site_name(video),  # "YouTube", a host: not yt-dlp's extractor and id
        # The "Needs a source" panel: not for a video with a source, nor for one with a
        # file (imported from a folder, it has no link and needs none).
        "needs_source": not video.source_url and video.current_file is None,
        "duration": clock(video.duration),
        "last_download": job_representation(last) if last else None,
        "download_form": DownloadForm(
            initial={"force": video.status == Video.Status.DOWNLOADED}, video=video
        ),
        "delete_form": VideoDeleteForm(),
        "last_probe": video_last_probe(video),
        "last_resolve": video_last_resolve(video),
        "candidates": candidates_shown(video),
        "may_change_url": jobs_services.video_url_change_allowed(user=request.user, video=video),
        "url_form": url_form or VideoUrlForm(initial={"url": video.source_url}),
        "metadata": rows,
        "has_metadata": any(row.value for row in rows),
        "title_source": source_label(video.field_sources.get("title")),
        "artist_source": source_label(video.field_sources.get("artist")),
        "details_form": details_form or VideoDetailsForm.for_video(video),
        "rendered_at": rendered_at,
        **metadata_refresh_panel(user=request.user, video=video),
    }
    invalid = any(form is not None and form.errors for form in (url_form, details_form))
    status = 400 if invalid else 200
    return render(request, "videos/video_detail.html", context, status=status)


@login_required
@require_POST
def video_url_change(request, video_id: int):
    """Correct a video's link and look it up again (a new probe job)."""
    video = _video_or_404(video_id)
    form = VideoUrlForm(request.POST)
    if form.is_valid():
        # A conflict (busy, or another video's link) goes next to the link; a refusal to
        # this user and Redis being down are a message on the video's page.
        with told(request, form=form, form_field="url") as outcome:
            jobs_services.video_url_change(
                video=video, url=form.cleaned_data["url"], user=request.user
            )
        if outcome.ok:
            messages.success(request, "Link saved: looking the video up again.")
        if not form.errors:
            return redirect("video-detail", video_id=video.pk)
    messages.error(request, "The link was not changed; see the form below.")
    return video_detail_page(request, video_id, url_form=form)


def candidates_shown(video: Video) -> list[dict]:
    """The candidates kept for a video, as its page shows them: a link only when http(s),
    the length as a clock."""
    return [
        {
            **candidate,
            "link": candidate.get("url") if is_http_url(candidate.get("url")) else "",
            "length": clock(candidate.get("duration")),
        }
        for candidate in video.source_candidates
        if isinstance(candidate, dict)
    ]


@login_required
@require_POST
def video_resolve_view(request, video_id: int):
    """Look for a video's source again (staff, or whoever added it)."""
    video = _video_or_404(video_id)
    if not jobs_services.video_url_change_allowed(user=request.user, video=video):
        messages.error(request, "Only staff, or whoever added this video, can look for its source.")
        return redirect("video-detail", video_id=video.pk)
    with told(request) as outcome:
        jobs_services.resolve_submit(video=video, user=request.user)
    if outcome.ok:
        messages.success(request, "Looking for its source: the candidates appear here.")
    return redirect("video-detail", video_id=video.pk)


@login_required
@require_POST
def video_source_view(request, video_id: int):
    """Use a candidate (or any link) as the video's source and download it."""
    video = _video_or_404(video_id)
    form = VideoSourceForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("url", []):
            messages.error(request, error)
        return redirect("video-detail", video_id=video.pk)
    with told(request) as outcome:
        jobs_services.source_choose(video=video, url=form.cleaned_data["url"], user=request.user)
    if outcome.ok:
        messages.success(request, "Source chosen: downloading it.")
    return redirect("video-detail", video_id=video.pk)


@login_required
@require_POST
def video_details_change(request, video_id: int):
    """Change the title, artist and descriptive fields (any signed-in user); the fields
    changed are recorded as set by hand."""
    video = _video_or_404(video_id)
    form = VideoDetailsForm.for_video(video, request.POST)
    if form.is_valid():
        changes = form.changes()
        if changes:
            with told(request) as outcome:
                jobs_services.video_edit(video=video, user=request.user, data=changes)
            if outcome.ok:
                messages.success(request, "Details saved.")
        else:
            messages.info(request, "Nothing was changed.")
        return redirect("video-detail", video_id=video.pk)
    messages.error(request, "The details were not saved; see the form below.")
    return video_detail_page(request, video_id, details_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def video_add_page(request):
    """Add one video by URL (its details are then found by a probe job), or by artist and
    title (its source is then looked for by a source_resolve job)."""
    form = VideoAddForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            by_name = not data["url"]
            with told(request, form=form, form_field="title" if by_name else "url") as outcome:
                if by_name:
                    video, _job = jobs_services.video_add_by_name(
                        artist_name=data["artist"], title=data["title"], user=request.user
                    )
                else:
                    video, _job = jobs_services.video_add_and_probe(
                        url=data["url"],
                        user=request.user,
                        title=data["title"],
                        artist_name=data["artist"],
                    )
            if outcome.queue_down:  # the form keeps what was typed
                context = add_page_forms(add_form=form)
                return render(request, "videos/video_add.html", context, status=503)
            if outcome.ok:
                messages.success(
                    request,
                    "Video added: its source is being looked for."
                    if by_name
                    else "Video added. Its title and details appear here as soon as they are "
                    "found.",
                )
                return redirect("video-detail", video_id=video.pk)
        messages.error(request, "The video was not added; see the form below.")
    context = add_page_forms(add_form=form)
    return render(request, "videos/video_add.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def video_import(request):
    """Import every entry of a playlist or feed (a probe job adds them)."""
    form = ImportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing was imported; see the form below.")
        context = add_page_forms(import_form=form)
        return render(request, "videos/video_add.html", context, status=400)
    with told(request) as outcome:
        jobs_services.probe_submit(user=request.user, url=form.cleaned_data["url"])
    if not outcome.ok:
        return redirect("video-add")
    messages.success(request, IMPORT_STARTED)
    return redirect("job-dashboard")


@login_required
@require_POST
def video_delete_view(request, video_id: int):
    video = _video_or_404(video_id)
    if not request.user.is_staff:
        messages.error(request, "Only staff can delete videos from the library.")
        return redirect("video-detail", video_id=video.pk)
    form = VideoDeleteForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect("video-detail", video_id=video.pk)
    title = str(video)
    with told(request) as outcome:
        jobs_services.video_remove(
            video=video,
            delete_file=form.cleaned_data["delete_file"],
            user=request.user,
            ignore=form.cleaned_data["ignore"],
            reason=form.cleaned_data["reason"],
        )
    if not outcome.ok:
        return redirect("video-detail", video_id=video.pk)
    ignored = (
        " It is on the ignore list: it is not downloaded again."
        if form.cleaned_data["ignore"]
        else ""
    )
    messages.success(request, f"Deleted “{title}” from the library.{ignored}")
    return redirect(reverse("home"))


@login_required
@require_POST
def video_tags_view(request, video_id: int):
    """Write the video's tags into its file (staff): a ``tags_write`` job."""
    video = _video_or_404(video_id)
    if not request.user.is_staff:
        messages.error(request, "Only staff can write tags into the library's files.")
        return redirect("video-detail", video_id=video.pk)
    with told(request) as outcome:
        jobs_services.tags_submit(video=video, user=request.user)
    if outcome.ok:
        messages.success(request, "Writing the tags into the file; the job says when it is done.")
    return redirect("video-detail", video_id=video.pk)


# --- artwork: MVidarr's own copy, never the site's ------------------------------------------
@login_or_bearer_required
@require_http_methods(["GET", "HEAD"])
def video_artwork_view(request, video_id: int):
    path = video_artwork(_video_or_404(video_id))
    if path is None:
        raise Http404("This video has no artwork.")
    return _picture(request, path)


@login_or_bearer_required
@require_http_methods(["GET", "HEAD"])
def artist_artwork_view(request, artist_id: int):
    artist = artist_get(artist_id=artist_id)
    path = artist_artwork(artist) if artist is not None else None
    if path is None:
        raise Http404("This artist has no artwork.")
    return _picture(request, path)


def _picture(request, path: Path) -> HttpResponse:
    """A stored JPEG; a versioned address (``?v=``) may be kept by the browser for a year."""
    try:
        data = path.read_bytes()
        stat = path.stat()
    except OSError:
        raise Http404("The artwork is gone.") from None
    etag = quote_etag(f"{stat.st_mtime_ns:x}-{len(data):x}")
    cache = "private, max-age=31536000, immutable" if "v" in request.GET else "private, no-cache"
    headers = {"ETag": etag, "Cache-Control": cache, "Last-Modified": http_date(stat.st_mtime)}
    if request.headers.get("If-None-Match") == etag:
        return HttpResponse(status=304, headers=headers)
    body = b"" if request.method == "HEAD" else data
    response = HttpResponse(body, content_type="image/jpeg", headers=headers)
    response["Content-Length"] = str(len(data))
    return response


def _video_or_404(video_id: int) -> Video:
    video = video_get(video_id=video_id)
    if video is None:
        raise Http404("There is no such video.")
    return video


# --- the file, with Range support so that seeking works -----------------------------------
_RANGE = re.compile(r"^\s*(\d*)\s*-\s*(\d*)\s*$")
UNSATISFIABLE = "unsatisfiable"
# More digits than any file's size has; also keeps int() far from its 4300-digit limit.
_MAX_POSITION_DIGITS = 18


def parse_range(header: str, size: int) -> tuple[int, int] | str | None:
    """The one byte range ``header`` asks of a ``size``-byte file, as ``(first, last)``.

    Returns None when the header is to be ignored (not bytes, malformed, or several
    ranges: the whole file is then sent, as RFC 9110 allows) and ``UNSATISFIABLE`` when
    no byte of the range is in the file, or a position has more digits than any file size.
    """
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    match = _RANGE.match(spec)
    if match is None or match.group(1) == match.group(2) == "":
        return None
    first, last = match.groups()
    if len(first) > _MAX_POSITION_DIGITS or len(last) > _MAX_POSITION_DIGITS:
        return UNSATISFIABLE  # an absurd position: past the end of any file
    if first == "":  # a suffix: the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            return UNSATISFIABLE
        return max(size - length, 0), size - 1
    start = int(first)
    if last and int(last) < start:
        return None
    if start >= size:
        return UNSATISFIABLE
    return start, min(int(last), size - 1) if last else size - 1


@login_required
@require_http_methods(["GET", "HEAD"])
def video_file(request, video_id: int):
    """The video's file, whole (200) or one byte range (206); 416 for a range past its end.

    Only a file inside the library is served (``video_file_path`` resolves it there).
    """
    path = video_file_path(_video_or_404(video_id))
    if path is None:
        raise Http404("This video has no file in the library.")
    stat = path.stat()
    size = stat.st_size
    etag = quote_etag(f"{stat.st_mtime_ns:x}-{size:x}")
    headers = {
        "Accept-Ranges": "bytes",
        "ETag": etag,
        "Last-Modified": http_date(stat.st_mtime),
        "Content-Type": mimetypes.guess_type(path.name)[0] or "application/octet-stream",
        "Cache-Control": "private, max-age=3600",
    }
    wanted = request.headers.get("Range")
    if_range = request.headers.get("If-Range")
    if wanted and if_range and if_range not in (etag, headers["Last-Modified"]):
        wanted = None  # the file changed since the client's copy: send all of it
    byte_range = parse_range(wanted, size) if wanted else None
    if byte_range == UNSATISFIABLE:
        response = HttpResponse(status=416, headers={**headers, "Content-Range": f"bytes */{size}"})
        response["Content-Type"] = "text/plain"
        return response
    if byte_range is None:
        status, start, length = 200, 0, size
    else:
        start, last = byte_range
        status, length = 206, last - start + 1
        headers["Content-Range"] = f"bytes {start}-{last}/{size}"
    headers["Content-Length"] = str(length)
    if request.method == "HEAD":
        return HttpResponse(status=status, headers=headers)
    # Under ASGI a synchronous iterator would be read whole into memory before sending.
    chunks = _async_chunks if isinstance(request, ASGIRequest) else _chunks
    return StreamingHttpResponse(chunks(path, start, length), status=status, headers=headers)


def _chunks(path: Path, start: int, length: int) -> Iterator[bytes]:
    with path.open("rb") as handle:
        handle.seek(start)
        while length > 0:
            data = handle.read(min(CHUNK_BYTES, length))
            if not data:
                return
            length -= len(data)
            yield data


async def _async_chunks(path: Path, start: int, length: int) -> AsyncIterator[bytes]:
    handle = await asyncio.to_thread(path.open, "rb")
    try:
        await asyncio.to_thread(handle.seek, start)
        while length > 0:
            data = await asyncio.to_thread(handle.read, min(CHUNK_BYTES, length))
            if not data:
                return
            length -= len(data)
            yield data
    finally:
        handle.close()

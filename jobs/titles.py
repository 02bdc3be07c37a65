"""A job's title and link, the one place every face reads them from: the job serializer
(the API and the live feed, so the dashboard's new rows and the downloads panel) and the
dashboard's rows."""

from __future__ import annotations

from django.urls import reverse

from jobs import kinds
from jobs.models import Job
from videos.providers.registry import LABELS as PROVIDER_LABELS


def job_title(job: Job) -> str:
    """What a person calls the job: a bulk download's count of videos, a download's or
    lookup's video, an index's source (its title, else its URL, as it was when the index
    was started), a renamed artist's files, else the URL it works on, else the kind's
    subject ("The library's files")."""
    options = job.options or {}
    if kinds.get(job.kind).has_children:
        # "requested" since issue 19; older bulk jobs kept the ids themselves.
        count = options.get("requested", len(options.get("video_ids", [])))
        return f"{count} video{'s' if count != 1 else ''}"
    if job.video_id and job.video is not None:
        return job.video.title or job.video.source_url
    if job.kind == kinds.SOURCE_INDEX:
        return options.get("source_name") or options.get("title") or _source(options)
    if job.kind == kinds.LIBRARY_RENAME and options.get("artist"):
        return f"The files of {options.get('artist_name') or 'an artist'}"
    if job.kind == kinds.LIBRARY_RENAME and options.get("video"):
        return f"The file of {options.get('video_title') or 'a video'}"
    if job.kind in (kinds.ARTIST_IMPORT, kinds.VIDEO_IMPORT) and options.get("provider_id"):
        what = "artist" if job.kind == kinds.ARTIST_IMPORT else "video"
        label = PROVIDER_LABELS.get(options.get("provider"), options.get("provider"))
        return f"{label} {what} {options['provider_id']}"
    if job.kind == kinds.METADATA_REFRESH and options.get("scope") == "artist":
        return f"The videos of artist #{options.get('target')}"
    if job.kind == kinds.METADATA_REFRESH and options.get("scope") == "library":
        return "The whole library"
    return options.get("url", "") or kinds.get(job.kind).subject or f"Job #{job.pk}"


def job_counts_said(counts: dict[str, int] | None) -> str:
    """A bulk job's items by status in words, the empty ones left out ("2 running ·
    40 queued · 10 completed"); the page's script (live.js, countsText) says it alike."""
    return " · ".join(f"{n:,} {name}" for name, n in (counts or {}).items() if n)


def job_link(job: Job) -> str | None:
    """The page of what the job works on: its video's, an index's source on its artist's
    page (else on the Sources page), a rename's page (a renamed artist's: its page); None
    when there is none (a bulk download)."""
    options = job.options or {}
    if job.video_id:
        return reverse("video-detail", args=[job.video_id])
    if job.kind == kinds.SOURCE_INDEX and options.get("source"):
        if options.get("source_artist"):
            return reverse("artist-detail", args=[options["source_artist"]]) + "#sources"
        return f"{reverse('source-list')}#source-{options['source']}"
    if job.kind == kinds.LIBRARY_RENAME and options.get("artist"):
        return reverse("artist-detail", args=[options["artist"]])
    if job.kind == kinds.LIBRARY_RENAME and options.get("video"):
        return reverse("video-detail", args=[options["video"]])
    if job.kind == kinds.LIBRARY_RENAME:
        return reverse("library-rename")
    if job.kind == kinds.ARTIST_IMPORT and options.get("artist"):
        return reverse("artist-detail", args=[options["artist"]])
    if job.kind == kinds.METADATA_REFRESH and options.get("scope") == "artist":
        return reverse("artist-detail", args=[options["target"]])
    if job.kind == kinds.METADATA_REFRESH and options.get("scope") == "library":
        return reverse("home")
    return None


def _source(options: dict) -> str:
    return f"Source #{options['source']}" if options.get("source") else "A source"

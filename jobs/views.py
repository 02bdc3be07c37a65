"""The job pages and the download actions: the dashboard, cancel/retry/hide, download forms.

Every action calls a service from :mod:`jobs.services` and tells the person what happened
with a message; the pages then follow the job over the WebSocket (``/ws/jobs/``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jobs import kinds, services
from jobs.forms import BulkDownloadForm, DownloadForm
from jobs.models import Job
from jobs.selectors import (
    DashboardJobs,
    bulk_items,
    bulk_items_shown,
    job_get,
    job_newest_id,
    job_representations,
)
from jobs.titles import job_counts_said, job_link, job_title
from mvidarr.page_errors import told
from videos.selectors import video_get

Status = Job.Status


@dataclass
class JobRow:
    """A job for a template: the row, its representation (live figures), its children."""

    job: Job
    live: dict
    children: list[JobRow] = field(default_factory=list)

    @property
    def is_active(self) -> bool:
        return self.job.status in Job.ACTIVE_STATUSES

    @property
    def is_retryable(self) -> bool:
        return self.job.status in (Status.FAILED, Status.CANCELLED)

    @property
    def title(self) -> str:
        return job_title(self.job)

    @property
    def link(self) -> str | None:
        return job_link(self.job)

    @property
    def total(self) -> int:
        """A bulk job's number of items (its row shows at most ITEMS_SHOWN of them)."""
        return sum(self.job.item_counts.values())

    @property
    def short_kind(self) -> str:
        """The kind in a word for a narrow row; empty for a video download, the usual job
        (the downloads panel names them alike)."""
        return kinds.get(self.job.kind).short_label

    @property
    def counts_said(self) -> str:
        return job_counts_said(self.live.get("counts"))


def job_rows(jobs: Iterable[Job]) -> list[JobRow]:
    jobs = list(jobs)
    shown = bulk_items_shown(job.pk for job in jobs if kinds.get(job.kind).has_children)
    rows = []
    for job, live in zip(jobs, job_representations(jobs, items=shown), strict=True):
        children = {child.pk: child for child in shown.get(job.pk, [])}
        rows.append(
            JobRow(
                job=job,
                live=live,
                children=[
                    JobRow(job=children[item["id"]], live=item)
                    for item in live["items"] or []
                    if item["id"] in children
                ],
            )
        )
    return rows


# The dashboard's page size: a few dozen jobs made a page 5,200 px long on a phone.
DASHBOARD_PAGE_SIZE = 25


@login_required
def dashboard(request):
    """Active jobs, then finished ones, DASHBOARD_PAGE_SIZE a page; the routine kinds (probes,
    indexes) finished are left out unless ``?routine=1``.

    Only the first page takes in new jobs live (its script fetches their rows): a job that
    started after the page was rendered (``newest_id``), or an active one newer than the
    page's last row when the page is all active jobs (``active_from``: older active ones are
    on the next pages). The other pages update the rows they show.
    """
    routine = request.GET.get("routine") == "1"
    page = Paginator(DashboardJobs(request.user, routine=routine), DASHBOARD_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = job_rows(page.object_list)
    active = [row for row in rows if row.is_active]
    context = {
        "page": page,
        "active": active,
        "finished": [row for row in rows if not row.is_active],
        "back": request.get_full_path(),  # the rows' actions come back to this page
        "takes_new_jobs": page.number == 1,
        "newest_id": job_newest_id(),
        "active_from": active[-1].job.pk if page.has_next() and len(active) == len(rows) else 0,
        "show_routine": routine,
        "routine_kinds": kinds.names(routine=True),
        "routine_labels": [kinds.get(name).label for name in kinds.names(routine=True)],
    }
    return render(request, "jobs/dashboard.html", context)


@login_required
def job_row(request, job_id: int):
    """One dashboard row, for a page that learns of a new job over the WebSocket."""
    job = job_get(user=request.user, job_id=job_id)
    if job is None or job.parent_id is not None:
        raise Http404("There is no such job.")
    return render(request, "jobs/_job.html", {"row": job_rows([job])[0]})


# A page of a bulk job's items (its dashboard row shows the first few).
ITEMS_PAGE_SIZE = 50


@login_required
def job_items(request, job_id: int):
    """Every item of a bulk job, a page at a time, in the order they were added."""
    job = job_get(user=request.user, job_id=job_id)
    if job is None or not kinds.get(job.kind).has_children:
        raise Http404("There is no such bulk job.")
    page = Paginator(bulk_items(job), ITEMS_PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    children = [
        JobRow(job=item, live=live)
        for item, live in zip(items, job_representations(items), strict=True)
    ]
    row = JobRow(job=job, live=job_representations([job], with_items=False)[0])
    return render(request, "jobs/items.html", {"row": row, "page": page, "children": children})


# --- actions on jobs ----------------------------------------------------------------------
def _act(request, job_id: int, service: Callable, done: Callable[[Job], str]):
    job = job_get(user=request.user, job_id=job_id)
    if job is None:
        messages.error(request, f"There is no job #{job_id}; it may have been removed.")
    else:
        with told(request) as outcome:
            job = service(job=job, user=request.user)
        if outcome.ok:
            messages.success(request, done(job))
    return _back(request, "job-dashboard")


def _cancelled(job: Job) -> str:
    if job.status == Status.CANCELLED:
        return f"Cancelled job #{job.pk}."
    return f"Cancelling job #{job.pk}: it stops within a few seconds."


@login_required
@require_POST
def job_cancel(request, job_id: int):
    return _act(request, job_id, services.job_cancel, _cancelled)


@login_required
@require_POST
def job_retry(request, job_id: int):
    return _act(request, job_id, services.job_retry, lambda job: f"Retrying job #{job.pk}.")


@login_required
@require_POST
def job_hide(request, job_id: int):
    return _act(
        request,
        job_id,
        services.job_hide,
        lambda job: f"Hid job #{job.pk} (the admin still lists it).",
    )


@login_required
@require_POST
def jobs_clear_finished(request):
    with told(request) as outcome:
        hidden = services.jobs_clear_finished(user=request.user)
    if outcome.ok:
        if hidden:
            plural = "s" if hidden != 1 else ""
            messages.success(
                request, f"Cleared {hidden} finished job{plural} (the admin still lists them)."
            )
        else:
            messages.info(request, "There were no finished jobs to clear.")
    return _back(request, "job-dashboard")


@login_required
@require_POST
def jobs_retry_failed(request):
    with told(request) as outcome:
        result = services.jobs_retry_failed(user=request.user)
    if outcome.ok:
        if not result.retried and not result.skipped:
            messages.info(request, "There were no failed jobs to retry.")
        else:
            plural = "s" if result.retried != 1 else ""
            text = f"Retrying {result.retried} failed job{plural}."
            if result.skipped:
                text += (
                    f" {result.skipped} could not be: their video is being downloaded by "
                    "another job, or they changed meanwhile."
                )
            messages.success(request, text)
    return _back(request, "job-dashboard")


# --- downloads ----------------------------------------------------------------------------
@login_required
@require_POST
def video_download(request, video_id: int):
    video = video_get(video_id=video_id)
    if video is None:
        messages.error(request, f"There is no video #{video_id}; it may have been deleted.")
        return _back(request, "home")
    form = DownloadForm(request.POST, video=video)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _back(request, "video-detail", video_id=video.pk)
    with told(request) as outcome:
        _job, created = services.download_submit(
            video=video,
            user=request.user,
            quality=form.cleaned_data["quality"],
            force=form.cleaned_data["force"],
        )
    if outcome.ok:
        if created:
            quality = form.cleaned_data["quality"] or "the profile's quality"
            messages.success(request, f"Download started ({quality}).")
        else:
            messages.info(request, "You are already downloading this video; see its progress.")
    return _back(request, "video-detail", video_id=video.pk)


@login_required
@require_POST
def bulk_download(request):
    form = BulkDownloadForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _back(request, "home")
    with told(request) as outcome:
        job = services.bulk_download_submit(
            videos=form.cleaned_data["video_ids"],
            user=request.user,
            quality=form.cleaned_data["quality"],
            force=form.cleaned_data["force"],
        )
    if outcome.ok:
        messages.success(request, f"Bulk download started: {job.message}.")
    return _back(request, "home")


def _form_errors(form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def _back(request, fallback: str, **kwargs):
    """Back to the page named in ``next`` when it is on this site, else to ``fallback``."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback, **kwargs)

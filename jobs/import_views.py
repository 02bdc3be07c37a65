"""The import page (staff): name a folder and a mode, scan it (followed live), tick the
rows to import, apply them (followed live)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jobs import kinds
from jobs.models import ImportRow, Job
from jobs.services.importing import import_apply_submit, import_scan_find, import_scan_submit
from mvidarr.page_errors import told
from videos.library.import_paths import ImportMode, allowed_roots

PAGE_SIZE = 100
MODES = [
    (ImportMode.MOVE.value, "Move the files into the library"),
    (ImportMode.COPY.value, "Copy them (the originals stay)"),
    (ImportMode.HARDLINK.value, "Hard-link them (same filesystem; no extra space)"),
    (ImportMode.IN_PLACE.value, "Leave them in the library, only renamed"),
]


class ImportScanForm(forms.Form):
    path = forms.CharField(label="Folder", max_length=4096, strip=False)
    mode = forms.ChoiceField(label="Mode", choices=MODES, initial=ImportMode.COPY.value)


def _staff_only(request) -> None:
    if not request.user.is_staff:
        raise PermissionDenied("Only staff can import files.")


@login_required
def import_page(request):
    _staff_only(request)
    scan = import_scan_find(_int(request.GET.get("scan")))
    if scan is None and "scan" not in request.GET:
        scan = Job.objects.filter(kind=kinds.IMPORT_SCAN).order_by("-created_at", "-pk").first()
    rows = ImportRow.objects.filter(job=scan).select_related("matched_video") if scan else []
    page = Paginator(rows.order_by("index") if scan else [], PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    applies = Job.objects.filter(kind=kinds.IMPORT_APPLY, options__scan=scan.pk) if scan else None
    form = ImportScanForm(
        initial={"path": scan.options.get("path"), "mode": scan.options.get("mode")}
        if scan
        else None
    )
    context = {
        "form": form,
        "roots": [str(root) for root in allowed_roots()],
        "scan": scan,
        "apply_job": applies.order_by("-created_at", "-pk").first() if applies else None,
        "page": page,
        "refresh_key": f"kind:{kinds.IMPORT_SCAN} kind:{kinds.IMPORT_APPLY}",
        "rendered_at": timezone.now(),
    }
    return render(request, "jobs/import.html", context)


@login_required
@require_POST
def import_scan(request):
    _staff_only(request)
    form = ImportScanForm(request.POST)
    if form.is_valid():
        with told(request, prefix="The folder was not scanned: ") as outcome:
            job = import_scan_submit(
                path=form.cleaned_data["path"], mode=form.cleaned_data["mode"], user=request.user
            )
        if outcome.ok:
            messages.success(request, "Scanning the folder: follow it below.")
            return redirect(f"{reverse('library-import')}?scan={job.pk}")
    else:
        messages.error(request, "Give a folder and a mode.")
    return redirect(reverse("library-import"))


@login_required
@require_POST
def import_apply(request):
    _staff_only(request)
    scan_id = _int(request.POST.get("scan"))
    rows = [_int(value) for value in request.POST.getlist("rows")]
    with told(request, prefix="Nothing was imported: ") as outcome:
        import_apply_submit(
            scan_id=scan_id, rows=[row for row in rows if row is not None], user=request.user
        )
    if outcome.ok:
        messages.success(request, "Importing the rows ticked: follow it below.")
    return redirect(f"{reverse('library-import')}?scan={scan_id or ''}")


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None

"""The naming pages: the naming templates (everyone signed in reads them, staff change them,
with a live preview on a sample video) and the rename preview with "Apply" (staff), which
starts the ``library_rename`` job and follows it live."""

from __future__ import annotations

from pathlib import PurePosixPath

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from jobs import kinds, live
from jobs.models import Job
from jobs.services.rename import active_rename_job, library_rename_submit
from mvidarr.page_errors import told
from videos.library.rename import rename_preview
from videos.library.templates import PRESETS, TOKENS, NamingTemplate, versions_warning
from videos.naming import naming_preview, naming_sources, naming_template, naming_template_set

PAGE_SIZE = 100
PRESETS_BY_NAME = {preset.name: preset for preset in PRESETS}


class NamingForm(forms.Form):
    artist_folder = forms.CharField(
        required=False,
        strip=False,
        max_length=1000,
        label="Artist folder",
        help_text="Empty: every file in the library's top folder. / makes folders in folders.",
    )
    file = forms.CharField(
        strip=False,
        max_length=1000,
        label="File name",
        help_text="Without the extension (.mp4, .webm…), which is added.",
        error_messages={"required": "Give the file name a template, such as {title}."},
    )


@login_required
@require_http_methods(["GET", "POST"])
def naming_page(request):
    """The naming templates; a staff member's POST saves them, or fills in a preset."""
    sources = naming_sources()
    if request.method == "POST":
        if not request.user.is_staff:
            raise PermissionDenied("Only staff can change the naming templates.")
        preset = PRESETS_BY_NAME.get(request.POST.get("preset", ""))
        if preset is not None:  # a preset's button without the script: fill it in, unsaved
            form = NamingForm(initial=_as_initial(preset.template))
            return _naming_page(request, form, preset.template, sources, filled=preset)
        data = request.POST.copy()
        current = naming_template()
        for field, source in sources.items():
            if source.startswith("environment"):  # shown disabled: the browser sends nothing
                data[field] = getattr(current, field)
        form = NamingForm(data)
        if form.is_valid():
            try:
                naming_template_set(**form.cleaned_data, user=request.user)
            except ValidationError as error:
                for field, sentences in error.message_dict.items():
                    for sentence in sentences:
                        form.add_error(field if field in form.fields else None, sentence)
            else:
                messages.success(
                    request,
                    "Saved the naming templates: new downloads follow them. Files already in "
                    "the library keep their names until you rename them.",
                )
                return redirect("naming-settings")
        messages.error(request, "The naming templates were not saved; see the form below.")
        current = NamingTemplate(form.data.get("artist_folder", ""), form.data.get("file", ""))
        return _naming_page(request, form, current, sources, status=400)
    template = naming_template()
    return _naming_page(request, NamingForm(initial=_as_initial(template)), template, sources)


def _as_initial(template: NamingTemplate) -> dict:
    return {"artist_folder": template.artist_folder, "file": template.file}


def _naming_page(request, form, template, sources, *, filled=None, status=200):
    preview = None if form.errors else naming_preview(template)
    for field, source in sources.items():
        if source.startswith("environment"):
            form.fields[field].disabled = True
            form.fields[field].help_text = f"Set in the {source}: change it there."
    context = {
        "form": form,
        "preview": preview,
        "sources": sources,
        "presets": PRESETS,
        "tokens": TOKENS.items(),
        "filled": filled,
    }
    return render(request, "videos/naming.html", context, status=status)


@login_required
def rename_page(request):
    """What a rename would move (staff), the rename job when one runs, and "Apply"."""
    if not request.user.is_staff:
        raise PermissionDenied("Only staff can rename the library's files.")
    template = naming_template()
    page = Paginator(rename_preview(template), PAGE_SIZE).get_page(request.GET.get("page"))
    job = active_rename_job() or _last_rename_job()
    warnings = (versions_warning(PurePosixPath(item.new)) for item in page.object_list)
    context = {
        "page": page,
        "warning": next((warning for warning in warnings if warning), ""),
        "template": template,
        "job": job,
        "job_progress": _progress(job),
        "refresh_key": f"kind:{kinds.LIBRARY_RENAME}",
        "rendered_at": timezone.now(),
    }
    return render(request, "videos/rename.html", context)


@login_required
@require_POST
def rename_apply_view(request):
    """Start the rename (staff): a ``library_rename`` job that the page follows live."""
    if not request.user.is_staff:
        raise PermissionDenied("Only staff can rename the library's files.")
    with told(request) as outcome:
        library_rename_submit(template=naming_template(), user=request.user)
    if outcome.ok:
        messages.success(request, "Renaming the library's files: follow it below.")
    return redirect(reverse("library-rename"))


def _last_rename_job() -> Job | None:
    return Job.objects.filter(kind=kinds.LIBRARY_RENAME).order_by("-created_at", "-pk").first()


def _progress(job: Job | None) -> float:
    """The job's progress: the live figure while it runs, else the row's."""
    if job is None:
        return 0.0
    figures = live.read_live([job.pk]).get(job.pk, {}) if job.is_active else {}
    return float(figures.get("progress", job.progress))

from collections.abc import Callable

from django.contrib import admin, messages
from django.utils.html import format_html

from jobs.models import HistoryEvent, Job
from jobs.services import job_cancel, job_retry
from mvidarr.page_errors import told


class ChildJobInline(admin.TabularInline):
    model = Job
    fk_name = "parent"
    fields = ["video", "status_display", "progress_bar", "attempts", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Progress")
    def progress_bar(self, obj: Job) -> str:
        return progress_bar(obj)

    @admin.display(description="Status")
    def status_display(self, obj: Job) -> str:
        return status_badge(obj)


def progress_bar(job: Job) -> str:
    return format_html(
        '<progress class="job-progress" data-job-id="{}" max="100" value="{}">{} %</progress>'
        ' <span class="job-progress-label" data-job-id="{}">{} %</span>',
        job.pk,
        round(job.progress),
        round(job.progress),
        job.pk,
        round(job.progress),
    )


def status_badge(job: Job) -> str:
    """The status as text the live feed keeps current (templates/admin/jobs/job/)."""
    return format_html(
        '<span class="job-status" data-status="{}" data-job-id="{}" data-job-field="status">'
        "{}</span>",
        job.status,
        job.pk,
        "Running" if job.status == Job.Status.PROCESSING else job.get_status_display(),
    )


def run_on_each(request, queryset, service: Callable, verb: str) -> None:
    """Call ``service`` for every job; one message for the successes, one per failure."""
    done = 0
    for job in queryset.order_by("id"):
        with told(request, prefix=f"Job #{job.pk}: ") as outcome:
            service(job=job, user=request.user)
        if outcome.queue_down:
            break
        done += outcome.ok
    if done:
        messages.success(request, f"{verb} {done} job{'s' if done != 1 else ''}.")


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    actions = ["cancel_selected", "retry_selected"]
    list_display = [
        "id",
        "kind",
        "status_display",
        "progress_display",
        "video",
        "user",
        "origin",
        "attempts",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "kind", "origin", "hidden"]
    search_fields = ["video__title", "user__username", "error", "message"]
    list_select_related = ["video", "user"]
    raw_id_fields = ["video", "parent", "user"]
    inlines = [ChildJobInline]
    readonly_fields = [
        "kind",
        "origin",
        "status_display",
        "progress_display",
        "message_display",
        "error",
        "options",
        "video",
        "parent",
        "user",
        "message_id",
        "attempts",
        "cancel_requested",
        "worker",
        "created_at",
        "started_at",
        "finished_at",
        "heartbeat_at",
    ]
    fields = [*readonly_fields, "hidden"]

    def has_add_permission(self, request) -> bool:
        # Jobs are created by the services (API, pages, admin actions), never by hand.
        return False

    @admin.display(description="Progress", ordering="progress")
    def progress_display(self, obj: Job) -> str:
        return progress_bar(obj)

    @admin.display(description="Status", ordering="status")
    def status_display(self, obj: Job) -> str:
        return status_badge(obj)

    @admin.display(description="Message")
    def message_display(self, obj: Job) -> str:
        """What the job says it is doing, kept current by the live feed like its progress."""
        return format_html(
            '<span data-job-id="{}" data-job-field="message">{}</span>', obj.pk, obj.message
        )

    @admin.action(description="Cancel selected jobs")
    def cancel_selected(self, request, queryset) -> None:
        run_on_each(request, queryset, job_cancel, "Cancelled or cancelling")

    @admin.action(description="Retry selected jobs")
    def retry_selected(self, request, queryset) -> None:
        run_on_each(request, queryset, job_retry, "Retrying")


@admin.register(HistoryEvent)
class HistoryEventAdmin(admin.ModelAdmin):
    """The library's history, read only: rows are written by ``jobs.history`` alone and
    pruned by housekeeping."""

    list_display = ["created_at", "event", "title", "artist", "source", "job", "user", "origin"]
    list_filter = ["event", "origin"]
    search_fields = ["title", "artist__name", "user__username"]
    list_select_related = ["artist", "source", "job", "user"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

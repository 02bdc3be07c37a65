from django.contrib import admin
from django.utils.html import format_html

from jobs.models import DownloadJob


class ChildJobInline(admin.TabularInline):
    model = DownloadJob
    fk_name = "parent"
    fields = ["video", "status", "progress_bar", "attempts", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Progress")
    def progress_bar(self, obj: DownloadJob) -> str:
        return progress_bar(obj)


def progress_bar(job: DownloadJob) -> str:
    return format_html(
        '<progress class="job-progress" data-job-id="{}" max="100" value="{}">{} %</progress>'
        ' <span class="job-progress-label" data-job-id="{}">{} %</span>',
        job.pk,
        round(job.progress),
        round(job.progress),
        job.pk,
        round(job.progress),
    )


@admin.register(DownloadJob)
class DownloadJobAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "kind",
        "status",
        "progress_display",
        "video",
        "user",
        "attempts",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "kind", "hidden"]
    search_fields = ["video__title", "user__username", "error", "message"]
    list_select_related = ["video", "user"]
    raw_id_fields = ["video", "parent", "user"]
    inlines = [ChildJobInline]
    readonly_fields = [
        "kind",
        "status",
        "progress_display",
        "message",
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
    def progress_display(self, obj: DownloadJob) -> str:
        return progress_bar(obj)

"""DownloadJob became Job: the rows, the permissions and the admin's old addresses survive."""

from __future__ import annotations

from django.core.management import call_command
from django.urls import reverse

BEFORE = [("jobs", "0001_initial")]
# The rest of the project as it stands when jobs 0001 is the latest jobs migration.
AROUND = [
    ("contenttypes", "0002_remove_content_type_name"),
    ("auth", "0012_alter_user_first_name_max_length"),
]
AFTER = [("jobs", "0002_rename_downloadjob_to_job")]


def test_the_rename_keeps_the_rows_and_what_users_were_granted(migrator):
    old = migrator.loader.project_state(BEFORE + AROUND).apps
    User = old.get_model("auth", "User")
    ContentType = old.get_model("contenttypes", "ContentType")
    OldPermission = old.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="jobs", model="downloadjob")
    change, _ = OldPermission.objects.get_or_create(
        content_type=content_type, codename="change_downloadjob", defaults={"name": "Can change"}
    )
    operator = User.objects.create(username="operator")
    operator.user_permissions.add(change)
    old.get_model("jobs", "DownloadJob").objects.create(
        kind="video_download", status="completed", user=operator, message="kept"
    )

    call_command("migrate", "jobs", AFTER[0][1], verbosity=0)

    new = migrator.loader.project_state(AFTER + AROUND).apps
    job = new.get_model("jobs", "Job").objects.get()
    assert (job.kind, job.status, job.message, job.user.username) == (
        "video_download",
        "completed",
        "kept",
        "operator",
    )
    granted = new.get_model("auth", "User").objects.get(username="operator").user_permissions
    assert list(granted.values_list("codename", "content_type__model")) == [("change_job", "job")]


def test_the_admins_old_addresses_lead_to_the_new_ones(admin_client):
    response = admin_client.get("/admin/jobs/downloadjob/12/change/?_changelist_filters=x")
    assert response.status_code == 301
    assert response["Location"] == "/admin/jobs/job/12/change/?_changelist_filters=x"
    listing = admin_client.get("/admin/jobs/downloadjob/")
    assert listing["Location"] == reverse("admin:jobs_job_changelist")

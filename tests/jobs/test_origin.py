"""Jobs say who started them: existing rows were a user's; a job the scheduler or MVidarr
starts has no user."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from jobs.models import Job
from jobs.services import JobError, download_submit, probe_submit
from videos.models import Video

BEFORE = [("jobs", "0003_job_kind_choices_from_registry")]
AROUND = [("auth", "0012_alter_user_first_name_max_length")]
AFTER = [("jobs", "0004_job_origin")]


def test_the_migration_says_every_existing_job_was_started_by_a_user(migrator):
    old = migrator.loader.project_state(BEFORE + AROUND).apps
    owner = old.get_model("auth", "User").objects.create(username="owner")
    OldJob = old.get_model("jobs", "Job")
    OldJob.objects.create(kind="video_download", status="completed", user=owner)
    OldJob.objects.create(kind="metadata_probe", status="failed", user=None)

    call_command("migrate", "jobs", AFTER[0][1], verbosity=0)

    new = migrator.loader.project_state(AFTER + AROUND).apps
    rows = new.get_model("jobs", "Job").objects.order_by("id").values_list("kind", "origin")
    assert list(rows) == [("video_download", "user"), ("metadata_probe", "user")]


@pytest.mark.parametrize("origin", [Job.Origin.SCHEDULE, Job.Origin.SYSTEM])
def test_a_job_the_scheduler_or_mvidarr_starts_has_no_user(db, origin):
    video = Video.objects.create(source_url="https://example.com/v/1")
    probe = probe_submit(user=None, video=video, origin=origin)
    download, created = download_submit(video=video, user=None, origin=origin)
    assert created
    assert [(job.user_id, job.origin) for job in (probe, download)] == [(None, origin)] * 2


def test_a_job_started_by_a_person_must_name_them(db):
    video = Video.objects.create(source_url="https://example.com/v/1")
    with pytest.raises(JobError, match="needs that person"):
        probe_submit(user=None, video=video)
    assert not Job.objects.exists()

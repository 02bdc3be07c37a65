"""The pages' "Refresh metadata" panel finds the newest metadata_refresh among that kind's
jobs (the ``job_kind_newest`` index), not by reading every job backwards."""

from __future__ import annotations

import pytest
from django.db import connection

from jobs import kinds
from jobs.models import Job
from jobs.selectors import metadata_refresh_last

pytestmark = pytest.mark.django_db


def test_the_newest_refresh_of_the_library_is_found_among_many_other_jobs(alice, make_job):
    library = {"kind": kinds.METADATA_REFRESH, "video": None, "options": {"scope": "library"}}
    make_job(alice, Job.Status.COMPLETED, **library)
    newest = make_job(alice, Job.Status.COMPLETED, **library)
    for _ in range(3):
        make_job(alice, Job.Status.COMPLETED)
    assert metadata_refresh_last() == newest


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL chooses by statistics")
def test_the_newest_refresh_is_read_from_the_kind_index():
    query = Job.objects.filter(kind=kinds.METADATA_REFRESH, options__scope="library")
    sql, params = query.order_by("-id")[:1].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "USING INDEX job_kind_newest" in plan and "TEMP B-TREE" not in plan

"""/metrics: Prometheus text for staff or the bearer token, figures that match the jobs."""

from __future__ import annotations

from datetime import timedelta

import dramatiq
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from prometheus_client.parser import text_string_to_metric_families

from jobs import live
from jobs.housekeeping import prune_finished_jobs
from jobs.models import Job
from jobs.ops_selectors import ROLLED_TOTALS_KEY, roll_up_totals, totals
from jobs.services.queueing import send_job

Status = Job.Status
TOKEN = "s3cret-metrics-token"


def scrape(client, **headers) -> dict:
    """``{sample name: {labels as a sorted tuple: value}}`` from /metrics."""
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    samples: dict = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
    return samples


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN
    return TOKEN


@pytest.fixture
def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_anonymous_clients_are_refused(client, db, token):
    response = client.get("/metrics")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer not-the-token")
    assert wrong.status_code == 401


def test_signed_in_users_who_are_not_staff_are_refused(client, alice):
    client.force_login(alice)
    assert client.get("/metrics").status_code == 403


def test_no_token_is_accepted_when_none_is_configured(client, db, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 401


def test_staff_may_scrape_with_their_session(client, boss):
    client.force_login(boss)
    samples = scrape(client)
    assert samples["mvidarr_dependency_up"] == {
        (("dependency", "redis"),): 1.0,
        (("dependency", "database"),): 1.0,
    }


def test_the_figures_match_known_jobs(client, make_job, bearer, settings):
    broker = dramatiq.get_broker()
    broker.flush_all()
    for seconds, size in ((3, 1000), (40, 2000), (400, 4000)):
        make_job(duration=seconds, file_size=size, attempts=1)
    make_job(status=Status.FAILED, attempts=3, error="Gone.")  # 2 retries
    make_job(status=Status.COMPLETED, attempts=2, duration=10, file_size=500)  # 1 retry
    for _ in range(2):
        send_job(make_job(status=Status.QUEUED))

    samples = scrape(client, **bearer)

    jobs = samples["mvidarr_jobs"]
    assert jobs[(("kind", "video_download"), ("status", "completed"))] == 4
    assert jobs[(("kind", "video_download"), ("status", "failed"))] == 1
    assert jobs[(("kind", "video_download"), ("status", "queued"))] == 2
    assert samples["mvidarr_queue_messages"][(("queue", "interactive"), ("state", "waiting"))] == 2
    assert samples["mvidarr_downloaded_bytes_total"][()] == 7500
    assert samples["mvidarr_job_retries_total"][()] == 3
    finished = samples["mvidarr_jobs_finished_total"]
    assert finished[(("kind", "video_download"), ("status", "completed"))] == 4
    buckets = samples["mvidarr_download_duration_seconds_bucket"]
    assert buckets[(("le", "5.0"),)] == 1
    assert buckets[(("le", "15.0"),)] == 2
    assert buckets[(("le", "60.0"),)] == 3
    assert buckets[(("le", "+Inf"),)] == 4
    assert samples["mvidarr_download_duration_seconds_count"][()] == 4
    assert samples["mvidarr_download_duration_seconds_sum"][()] == pytest.approx(453)
    [(labels, value)] = samples["mvidarr_build_info"].items()
    assert value == 1 and dict(labels)["version"] and dict(labels)["yt_dlp"]
    broker.flush_all()


def test_web_request_latency_is_measured(client, boss):
    client.force_login(boss)
    client.get("/healthz")
    samples = scrape(client)
    counts = samples["mvidarr_http_request_duration_seconds_count"]
    key = (("method", "GET"), ("route", "/healthz"), ("status", "2xx"))
    assert counts[key] >= 1


def test_counters_do_not_drop_when_housekeeping_prunes_old_jobs(client, make_job, bearer):
    make_job(duration=20, file_size=100, finished_ago=timedelta(days=60), attempts=2)
    make_job(duration=30, file_size=200, finished_ago=timedelta(hours=1))
    before = scrape(client, **bearer)
    assert prune_finished_jobs(older_than_days=30)
    after = scrape(client, **bearer)
    for name in (
        "mvidarr_downloaded_bytes_total",
        "mvidarr_job_retries_total",
        "mvidarr_download_duration_seconds_count",
        "mvidarr_download_duration_seconds_sum",
    ):
        assert after[name] == before[name], name
    assert after["mvidarr_downloaded_bytes_total"][()] == 300
    # The gauge counts the rows that are left.
    assert sum(after["mvidarr_jobs"].values()) == 1


def test_counters_never_go_down_when_rows_disappear(client, make_job, bearer):
    job = make_job(duration=20, file_size=100)
    make_job(duration=30, file_size=200)
    assert scrape(client, **bearer)["mvidarr_downloaded_bytes_total"][()] == 300
    job.video.delete()  # takes its jobs with it
    assert scrape(client, **bearer)["mvidarr_downloaded_bytes_total"][()] == 300
    make_job(duration=5, file_size=1000)
    assert scrape(client, **bearer)["mvidarr_downloaded_bytes_total"][()] == 1200


def test_a_scrape_adds_up_only_the_rows_not_rolled_up_yet(client, make_job, bearer):
    make_job(duration=20, file_size=100, finished_ago=timedelta(hours=2))
    first = scrape(client, **bearer)  # rolls the job of two hours ago up
    assert live.client().hget(ROLLED_TOTALS_KEY, "through")
    make_job(duration=30, file_size=200)  # just now: not rolled up

    with CaptureQueriesContext(connection) as queries:
        second = scrape(client, **bearer)

    assert first["mvidarr_downloaded_bytes_total"][()] == 100
    assert second["mvidarr_downloaded_bytes_total"][()] == 300
    assert second["mvidarr_download_duration_seconds_count"][()] == 2
    finished = second["mvidarr_jobs_finished_total"]
    assert finished[(("kind", "video_download"), ("status", "completed"))] == 2
    totals_sql = [q["sql"] for q in queries if "SUM(" in q["sql"]]
    assert totals_sql and all('"finished_at" >=' in sql for sql in totals_sql)


def test_rows_pruned_after_their_roll_up_are_not_counted_twice(client, make_job, bearer):
    make_job(duration=20, file_size=100, finished_ago=timedelta(days=60), attempts=2)
    scrape(client, **bearer)  # rolled up
    assert prune_finished_jobs(older_than_days=30)
    live.client().delete("mvidarr:metrics:high")  # only the sums, not the high-water mark

    after = scrape(client, **bearer)

    assert after["mvidarr_downloaded_bytes_total"][()] == 100
    assert after["mvidarr_job_retries_total"][()] == 1


def test_two_roll_ups_at_once_add_the_same_rows_once(make_job, monkeypatch):
    make_job(duration=20, file_size=100, finished_ago=timedelta(hours=2))
    sums = totals.job_totals

    def another_process_rolls_up_meanwhile(jobs=None):
        monkeypatch.setattr(totals, "job_totals", sums)
        roll_up_totals()  # the other process wins the race
        return sums(jobs)

    monkeypatch.setattr(totals, "job_totals", another_process_rolls_up_meanwhile)
    rolled, _ = roll_up_totals()

    assert rolled.downloaded_bytes == 100
    assert roll_up_totals()[0].downloaded_bytes == 100

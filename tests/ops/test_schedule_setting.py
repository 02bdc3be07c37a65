"""The housekeeping schedule is a setting: the scheduler follows a change without a restart
(``mvidarr.scheduler.ScheduleFollower``, ticked by ``manage.py crontab``)."""

from __future__ import annotations

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from mvidarr.scheduler import ScheduleFollower
from preferences.services import setting_set

pytestmark = pytest.mark.django_db


def fields(trigger: CronTrigger) -> dict[str, str]:
    return {field.name: str(field) for field in trigger.fields}


@pytest.fixture
def schedule(monkeypatch):
    monkeypatch.delenv("MVIDARR_HOUSEKEEPING_CRON", raising=False)
    scheduler = BackgroundScheduler()
    scheduler.add_job(print, CronTrigger.from_crontab("*/5 * * * *"), name="housekeeping")
    scheduler.start(paused=True)
    yield scheduler
    scheduler.shutdown(wait=False)


def housekeeping_trigger(scheduler) -> dict[str, str]:
    [job] = [job for job in scheduler.get_jobs() if job.name == "housekeeping"]
    return fields(job.trigger)


def test_a_changed_schedule_is_followed_at_the_next_tick(schedule, boss):
    follower = ScheduleFollower(schedule)
    assert follower.tick() == "*/5 * * * *"

    setting_set("jobs.housekeeping_cron", "30 3 * * sun", user=boss)
    assert follower.tick() == "30 3 * * sun"

    trigger = housekeeping_trigger(schedule)
    assert (trigger["minute"], trigger["hour"], trigger["day_of_week"]) == ("30", "3", "sun")


def test_the_environment_schedule_wins(schedule, monkeypatch):
    monkeypatch.setenv("MVIDARR_HOUSEKEEPING_CRON", "0 * * * *")

    assert ScheduleFollower(schedule).tick() == "0 * * * *"
    assert housekeeping_trigger(schedule)["minute"] == "0"

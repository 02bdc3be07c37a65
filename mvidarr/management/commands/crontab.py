"""``manage.py crontab``: dramatiq-crontab's scheduler, surviving a Redis restart.

This command shadows dramatiq-crontab's (``mvidarr`` comes first in INSTALLED_APPS): the
schedule and its options are the same, but the lock is held by
:class:`mvidarr.scheduler.SchedulerLock`, which waits for Redis and takes the lock again
instead of exiting.
"""

from __future__ import annotations

import importlib

from django.conf import settings
from dramatiq_crontab import conf, scheduler
from dramatiq_crontab.management.commands import crontab

from mvidarr.ops.healthwatch import HealthWatch
from mvidarr.scheduler import ScheduleFollower, SchedulerLock, run_scheduler


class Command(crontab.Command):
    help = "Run the scheduled actors (housekeeping); waits for Redis through an outage."

    def handle(self, *args, **options) -> None:
        if not options["no_task_loading"]:
            self.load_tasks(options)
        if not options["no_heartbeat"]:
            importlib.import_module("dramatiq_crontab.tasks")
        lock_settings = conf.get_settings()
        lock = SchedulerLock(
            settings.REDIS_URL,
            timeout=lock_settings.LOCK_TIMEOUT,
            refresh=lock_settings.LOCK_REFRESH_INTERVAL,
        )
        # Run here, not by a worker: "no worker" is one of the faults it tells.
        scheduler.add_job(
            HealthWatch().tick,
            "interval",
            seconds=settings.HEALTH_WATCH_SECONDS,
            id="health_watch",
            replace_existing=True,
            max_instances=1,
            coalesce=True,
        )
        # The housekeeping schedule is a setting: followed without a restart.
        follower = ScheduleFollower(scheduler)
        follower.tick()
        scheduler.add_job(
            follower.tick,
            "interval",
            seconds=ScheduleFollower.FOLLOW_SECONDS,
            id="follow_settings",
            replace_existing=True,
            max_instances=1,
            coalesce=True,
        )
        self.stdout.write("Starting the scheduler; it runs the schedule while it holds its lock.")
        run_scheduler(scheduler, lock)

"""MVidarr's own actors: housekeeping, sent every few minutes by the scheduler process, the
sources' tick, every minute (claims the due sources and starts their index jobs), and the
upgrade check, every hour (claims files below their cutoff and starts a check of each).

Workers find it here (django_dramatiq imports every installed app's ``actors`` module); the
scheduler (``manage.py crontab``) finds its schedule through ``mvidarr/tasks.py``.
"""

import dramatiq
from django.conf import settings
from django.utils import timezone
from dramatiq_crontab import cron

from jobs.housekeeping import run_housekeeping
from jobs.preferences import DEFAULT_HOUSEKEEPING_CRON
from jobs.progress import DirectPublisher
from jobs.services.sources import sources_index_due
from jobs.services.upgrades import upgrades_check_due


# The default here; the scheduler follows the setting (mvidarr.scheduler.ScheduleFollower).
@cron(DEFAULT_HOUSEKEEPING_CRON)
@dramatiq.actor(
    actor_name="housekeeping",
    queue_name=settings.QUEUE_INTERACTIVE,
    max_retries=0,  # the next run comes in a few minutes anyway
    time_limit=10 * 60 * 1000,
)
def housekeeping() -> None:
    run_housekeeping(publisher=DirectPublisher())


@cron(settings.SOURCE_INDEX_CRON)
@dramatiq.actor(
    actor_name="index_due_sources",
    queue_name=settings.QUEUE_INTERACTIVE,
    max_retries=0,  # the next tick comes in a minute and claims what is still due
    time_limit=60 * 1000,
)
def index_due_sources() -> None:
    sources_index_due(now=timezone.now(), limit=settings.SOURCE_TICK_LIMIT)


@cron(settings.UPGRADE_CHECK_CRON)
@dramatiq.actor(
    actor_name="check_upgrades",
    queue_name=settings.QUEUE_INTERACTIVE,
    max_retries=0,  # the next run claims what is still due
    time_limit=60 * 1000,
)
def check_upgrades() -> None:
    upgrades_check_due(now=timezone.now(), limit=settings.UPGRADE_CHECK_LIMIT)

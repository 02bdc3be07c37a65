"""MVidarr's own actor: housekeeping, sent every few minutes by the scheduler process.

Workers find it here (django_dramatiq imports every installed app's ``actors`` module); the
scheduler (``manage.py crontab``) finds its schedule through ``mvidarr/tasks.py``.
"""

import dramatiq
from django.conf import settings
from dramatiq_crontab import cron

from jobs.housekeeping import run_housekeeping
from jobs.progress import DirectPublisher


@cron(settings.HOUSEKEEPING_CRON)
@dramatiq.actor(
    actor_name="housekeeping",
    queue_name=settings.QUEUE_INTERACTIVE,
    max_retries=0,  # the next run comes in a few minutes anyway
    time_limit=10 * 60 * 1000,
)
def housekeeping() -> None:
    run_housekeeping(publisher=DirectPublisher())

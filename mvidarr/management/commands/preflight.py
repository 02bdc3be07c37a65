"""Check the secret key, settings given in the environment, the database and Redis before a
process starts, and make the library's folder when it is not there yet.

Every process of ``make run`` and of the image runs this first, so a placeholder or short
``SECRET_KEY`` stops them all with one sentence. It is checked here rather than when the
settings are read, so build steps (``collectstatic`` with a throwaway key) keep working.
"""

import logging
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mvidarr.credentials import secret_key_problem
from mvidarr.services import check_database, check_redis
from preferences.selectors import environment_problems

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Check that SECRET_KEY is strong and that the database and Redis are reachable "
        "(waiting up to --wait seconds for them)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--wait", type=float, default=0.0, help="seconds to keep trying")
        parser.add_argument("--skip-redis", action="store_true")

    def handle(self, *args, wait: float, skip_redis: bool, **options) -> None:
        problem = secret_key_problem(settings.SECRET_KEY)
        if problem:
            raise CommandError(problem)
        problems = environment_problems()
        if problems:
            raise CommandError(" ".join(problems))
        deadline = time.monotonic() + wait
        checks = [check_database] + ([] if skip_redis else [check_redis])
        for check in checks:
            while True:
                result = check()
                if result.ok:
                    break
                if time.monotonic() >= deadline:
                    raise CommandError(result.detail)
                time.sleep(0.25)
        make_library_folder()


def make_library_folder() -> None:
    """A fresh install has no library folder until its first download; made here, the health
    watch does not report the library missing (and tell the connections) at the first start.
    A folder that cannot be made is left for the health checks to report."""
    try:
        settings.LIBRARY_ROOT.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        logger.warning("The library folder %s cannot be made: %s", settings.LIBRARY_ROOT, exc)

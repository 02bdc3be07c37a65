"""Check the secret key, settings given in the environment, the database and Redis before a
process starts.

Every process of ``make run`` and of the image runs this first, so a placeholder or short
``SECRET_KEY`` stops them all with one sentence. It is checked here rather than when the
settings are read, so build steps (``collectstatic`` with a throwaway key) keep working.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mvidarr.credentials import secret_key_problem
from mvidarr.services import check_database, check_redis
from preferences.selectors import environment_problems


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

"""Check the database and Redis before a process starts; one clear sentence on failure."""

import time

from django.core.management.base import BaseCommand, CommandError

from mvidarr.services import check_database, check_redis


class Command(BaseCommand):
    help = "Check that the database and Redis are reachable (waiting up to --wait seconds)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--wait", type=float, default=0.0, help="seconds to keep trying")
        parser.add_argument("--skip-redis", action="store_true")

    def handle(self, *args, wait: float, skip_redis: bool, **options) -> None:
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

"""Serve HTTP and WebSockets: replace this process with :mod:`mvidarr.webserver`."""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Serve MVidarr (HTTP and WebSockets, static files included) with uvicorn in "
        "MVIDARR_WEB_WORKERS processes."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST") or "127.0.0.1")
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("MVIDARR_HTTP_PORT") or 8000)
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.WEB_WORKERS,
            help="processes (default MVIDARR_WEB_WORKERS, 2)",
        )

    def handle(self, *args, host: str, port: int, workers: int, **options) -> None:
        # exec, not a child: the supervisor keeps this PID (signals from honcho or docker
        # reach it) without the ~70 MB of Django's apps that this process has loaded.
        root = str(settings.BASE_DIR)
        path = os.environ.get("PYTHONPATH")
        env = {**os.environ, "PYTHONPATH": root + (os.pathsep + path if path else "")}
        argv = [sys.executable, "-m", "mvidarr.webserver", "--host", host, "--port", str(port)]
        os.execve(sys.executable, [*argv, "--workers", str(workers)], env)

"""Serve HTTP and WebSockets: replace this process with :mod:`mvidarr.webserver`."""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from mvidarr.config import env_str


class Command(BaseCommand):
    help = (
        "Serve MVidarr (HTTP and WebSockets, static files included) with uvicorn in "
        "MVIDARR_WEB_WORKERS processes."
    )

    def add_arguments(self, parser) -> None:
        # The defaults are mvidarr.webserver's; only what is given here is passed on.
        parser.add_argument("--host", help="default: HOST, else 127.0.0.1")
        parser.add_argument("--port", type=int, help="default: MVIDARR_HTTP_PORT, else 8000")
        parser.add_argument("--workers", type=int, help="default: MVIDARR_WEB_WORKERS, else 2")

    def handle(self, *args, **options) -> None:
        # exec, not a child: the supervisor keeps this PID (signals from honcho or docker
        # reach it) without the ~70 MB of Django's apps that this process has loaded.
        root = str(settings.BASE_DIR)
        path = env_str("PYTHONPATH")
        env = {**os.environ, "PYTHONPATH": root + (os.pathsep + path if path else "")}
        argv = [sys.executable, "-m", "mvidarr.webserver"]
        for name in ("host", "port", "workers"):
            if options[name] is not None:
                argv += [f"--{name}", str(options[name])]
        os.execve(sys.executable, argv, env)

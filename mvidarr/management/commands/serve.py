"""Serve HTTP and WebSockets: uvicorn with MVidarr's ASGI application."""

from __future__ import annotations

import os

import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand

APPLICATION = "mvidarr.asgi:application"
# Open WebSockets would otherwise hold a stopping server forever; the pages reconnect.
GRACEFUL_SHUTDOWN_SECONDS = 10
# Longer than a reverse proxy keeps its idle upstream connections (nginx: 60 s), so the
# server never closes one the proxy is about to reuse (uvicorn's default is 5 s).
KEEP_ALIVE_SECONDS = 65


class Command(BaseCommand):
    help = (
        "Serve MVidarr (HTTP and WebSockets) with uvicorn in MVIDARR_WEB_WORKERS processes. "
        "Static files are served too (WhiteNoise)."
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
        uvicorn.run(
            APPLICATION,
            host=host,
            port=port,
            workers=max(1, workers),
            # Channels' router has no lifespan handler; uvicorn would say so at every start.
            lifespan="off",
            # Behind a reverse proxy (another container) the client's address and scheme
            # come from X-Forwarded-For / -Proto; otherwise nobody's forwarded headers count.
            proxy_headers=settings.BEHIND_PROXY,
            forwarded_allow_ips="*" if settings.BEHIND_PROXY else None,
            access_log=settings.ACCESS_LOG,
            # Django's LOGGING (text or JSON lines) formats uvicorn's messages too.
            log_config=None,
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
        )

"""The web server: uvicorn serving ``mvidarr.asgi`` in ``MVIDARR_WEB_WORKERS`` processes.

``manage.py serve`` replaces itself with ``python -m mvidarr.webserver``. This process
supervises uvicorn's worker processes (each imports the application) and only reads the
settings, so it stays small: about 22 MB, against about 90 MB for a process with Django's
apps loaded.
"""

from __future__ import annotations

import argparse
import logging.config
import os

import uvicorn

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mvidarr.settings")
# Reads the settings module only; no app is loaded in this process.
from django.conf import settings

APPLICATION = "mvidarr.asgi:application"
# Open WebSockets would otherwise hold a stopping server forever; the pages reconnect.
GRACEFUL_SHUTDOWN_SECONDS = 10
# Longer than a reverse proxy keeps its idle upstream connections (nginx: 60 s), so the
# server never closes one the proxy is about to reuse (uvicorn's default is 5 s).
KEEP_ALIVE_SECONDS = 65


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m mvidarr.webserver")
    parser.add_argument("--host", default=settings.WEB_HOST)
    parser.add_argument("--port", type=int, default=settings.WEB_PORT)
    parser.add_argument("--workers", type=int, default=settings.WEB_WORKERS)
    args = parser.parse_args(argv)
    # Django's LOGGING (text or JSON lines) formats uvicorn's messages too.
    logging.config.dictConfig(settings.LOGGING)
    uvicorn.run(
        APPLICATION,
        host=args.host,
        port=args.port,
        workers=max(1, args.workers),
        # Channels' router has no lifespan handler; uvicorn would say so at every start.
        lifespan="off",
        # Behind a reverse proxy (another container) the client's address and scheme come
        # from X-Forwarded-For / -Proto; otherwise nobody's forwarded headers count.
        proxy_headers=settings.BEHIND_PROXY,
        forwarded_allow_ips="*" if settings.BEHIND_PROXY else None,
        access_log=settings.ACCESS_LOG,
        log_config=None,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )


if __name__ == "__main__":
    main()

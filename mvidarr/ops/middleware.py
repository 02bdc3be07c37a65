"""Web request latency, measured in the web process for ``/metrics``."""

from __future__ import annotations

import time

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from prometheus_client import Histogram

# Module level because Prometheus metrics are process-wide by design: the registry refuses a
# second metric of the same name.
REQUEST_LATENCY = Histogram(
    "mvidarr_http_request_duration_seconds",
    "Time to answer a web request, by method, route and status class.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def route_of(request) -> str:
    """The URL pattern that answered (``api/jobs/<int:pk>/``), never the raw path: one series
    per route, however many ids there are."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unmatched>"
    return "/" + (match.route or match.view_name or "")


def observe(request, response, started: float) -> None:
    status = f"{response.status_code // 100}xx"
    REQUEST_LATENCY.labels(request.method, route_of(request), status).observe(
        time.perf_counter() - started
    )


class RequestMetricsMiddleware:
    """Sync and async alike, so Daphne does not hop threads for it."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self.is_async:
            return self._acall(request)
        started = time.perf_counter()
        response = self.get_response(request)
        observe(request, response, started)
        return response

    async def _acall(self, request):
        started = time.perf_counter()
        response = await self.get_response(request)
        observe(request, response, started)
        return response

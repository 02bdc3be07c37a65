"""Middleware of the project itself (not of an app)."""

from __future__ import annotations


class SyncMiddlewareChain:
    """Keep the whole middleware chain in one thread per request under ASGI. Goes last.

    Django runs a middleware in async mode when the handler below it is async, and under
    ASGI the innermost handler always is. A ``MiddlewareMixin`` middleware in async mode
    sends each of its hooks to a thread through ``sync_to_async``: with WhiteNoise (sync
    only) near the top, every request went back and forth between the event loop and a
    thread about a dozen times, which cost more CPU than the view itself (bench/README.md).
    Being sync only and innermost, this makes every middleware above it run sync, in the one
    thread Django hands the chain to.
    """

    sync_capable = True
    async_capable = False

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

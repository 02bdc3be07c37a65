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


# Scripts only from our own files (no inline script, no handler attributes, no eval), no
# plugins, no <base> pointing elsewhere, and no framing. Images only from MVidarr itself
# (its own copy of each video's artwork: no page hot-links a site's picture, so no site
# learns who looks at it) and data: URLs (the API docs' icons). Styles are left alone: the
# pages use style attributes.
CONTENT_SECURITY_POLICY = (
    "script-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    """The Content-Security-Policy on every response, and ``Secure`` cookies on secure requests.

    Goes right after Django's SecurityMiddleware (which sends HSTS and Referrer-Policy), so
    its response step sees every cookie the middleware below it set (session, CSRF,
    messages). A request is secure when it came over HTTPS, or through a proxy that says so
    and is trusted to (``MVIDARR_BEHIND_PROXY``: ``SECURE_PROXY_SSL_HEADER``). Cookies stay
    usable over plain HTTP on a laptop or a LAN, where ``Secure`` would drop them.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        if request.is_secure():
            for morsel in response.cookies.values():
                morsel["secure"] = True
        return response

"""Middleware of the project itself (not of an app)."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from whitenoise.middleware import WhiteNoiseFileResponse, WhiteNoiseMiddleware


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


class StaticFileResponse(WhiteNoiseFileResponse):
    """A static file that the ASGI server reads without Django's warning.

    Django's ASGI handler reads every streaming response with ``async for``; WhiteNoise's
    (a file, read synchronously) made Django warn "StreamingHttpResponse must consume
    synchronous iterators" and read it whole in a thread. This reads it the same way — one
    trip to a thread for the whole file: static files are small (the largest, Swagger UI's
    bundle, about 1.5 MB) — without the warning. WSGI and the test client iterate it as before.
    """

    block_size = 64 * 1024

    async def __aiter__(self):
        for part in await sync_to_async(list, thread_sensitive=False)(self.streaming_content):
            yield part


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise (``/static/``), answering with :class:`StaticFileResponse`."""

    @staticmethod
    def serve(static_file, request):
        # WhiteNoiseMiddleware.serve (whitenoise 6.12) with this module's response class.
        response = static_file.get_response(request.method, request.META)
        http_response = StaticFileResponse(response.file or (), status=int(response.status))
        del http_response["content-type"]
        for key, value in response.headers:
            http_response[key] = value
        return http_response

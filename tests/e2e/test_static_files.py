"""The web server (uvicorn, ASGI) serves static files and /favicon.ico without Django's
"StreamingHttpResponse must consume synchronous iterators" warning."""

from __future__ import annotations

import requests


def test_static_files_answer_under_the_asgi_server_without_a_warning(running_stack):
    for path, kind in (
        ("/static/mvidarr/css/app.css", "text/css"),
        ("/static/mvidarr/js/live.js", "text/javascript"),
        ("/favicon.ico", "image/svg+xml"),
    ):
        response = requests.get(running_stack.url(path), timeout=10)
        assert response.status_code == 200, path
        assert response.headers["Content-Type"].startswith(kind), path
        assert response.content, path
    whole = requests.get(running_stack.url("/static/mvidarr/js/live.js"), timeout=10)
    assert int(whole.headers["Content-Length"]) == len(whole.content)
    assert requests.head(running_stack.url("/static/mvidarr/css/app.css"), timeout=10).ok
    output = running_stack.web.output(chars=200_000)
    assert "GET /static/mvidarr/css/app.css" in output  # the access log: the server answered
    assert "StreamingHttpResponse must consume" not in output

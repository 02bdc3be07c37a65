"""REST API of the library: artists (:mod:`.artists`) and videos (:mod:`.videos`), with the
representations both answer with (:mod:`.serializers`). Routed by ``mvidarr.api_urls``.

Views validate, call services and selectors, and serialise; what a service refuses is
answered by the one exception handler (``mvidarr.api_errors``). The download endpoints live
in ``jobs.api``.
"""

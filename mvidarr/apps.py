from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig as DjangoStaticFilesConfig


class MvidarrConfig(AppConfig):
    name = "mvidarr"
    verbose_name = "MVidarr"


class StaticFilesConfig(DjangoStaticFilesConfig):
    """Django's static files, less Redoc: only Swagger UI is served from the sidecar.

    collectstatic runs at every start of ``make run``; Redoc's bundle and its 4 MB source map
    only made it slower.
    """

    ignore_patterns = [*DjangoStaticFilesConfig.ignore_patterns, "redoc"]

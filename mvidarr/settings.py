"""MVidarr settings, read from the environment (see README "Settings").

Defaults run on a laptop: SQLite and the library under ``var/``, and the Redis that
``make run`` starts itself when ``REDIS_URL`` is unset.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

from whitenoise.compress import Compressor

from mvidarr.config import (
    ConfigError,
    database_config,
    env_bool,
    env_float,
    env_fraction,
    env_int,
    env_list,
    env_path_list,
    env_str,
    http_url,
    log_format,
    optional_http_url,
    private_hosts,
    redis_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MVIDARR_VAR", str(BASE_DIR / "var"))).resolve()

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and env_bool("MVIDARR_REQUIRE_SECRET_KEY", False):
        raise ConfigError("SECRET_KEY is not set; set it to a long random string.")
    # A laptop default; `make run` writes a random one to var/secret_key on first start.
    key_file = VAR_DIR / "secret_key"
    SECRET_KEY = (
        key_file.read_text().strip()
        if key_file.exists()
        else "mvidarr-insecure-development-key-set-SECRET_KEY"
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# daphne makes `manage.py runserver` serve WebSockets too (development only; see `serve`). It
# is installed for that command alone: it loads Twisted and Autobahn, about 10 MB in every
# web, worker and scheduler process that never uses them (issue 23: the stack's footprint).
DEV_SERVER_APPS = ["daphne"] if sys.argv[1:2] == ["runserver"] else []
INSTALLED_APPS = [
    *DEV_SERVER_APPS,
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "mvidarr.apps.StaticFilesConfig",  # django.contrib.staticfiles, less what we never serve
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served by us: /api/docs/ works offline
    "channels",
    "django_dramatiq",
    "mvidarr",
    "accounts",
    "preferences",
    "videos",
    "jobs",
    "connections",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "mvidarr.middleware.SecurityHeadersMiddleware",  # CSP; Secure cookies on HTTPS
    "mvidarr.middleware.StaticFilesMiddleware",  # WhiteNoise, without the ASGI warning
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",  # a one-time password first
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "mvidarr.middleware.SyncMiddlewareChain",  # last: see its docstring
]

ROOT_URLCONF = "mvidarr.urls"
WSGI_APPLICATION = "mvidarr.wsgi.application"
ASGI_APPLICATION = "mvidarr.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- database -----------------------------------------------------------------------------
DATABASES = {
    "default": database_config(
        env_str("DATABASE_URL"),
        default_sqlite=VAR_DIR / "mvidarr.sqlite3",
        # Several test runs side by side each get a test database of their own.
        test_name=env_str("MVIDARR_TEST_ID", "main"),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

# --- Redis: broker, channel layer and live progress share one server ----------------------
# Unset, the Redis that `make run` starts itself (bin/embedded-redis) on MVIDARR_REDIS_PORT.
_embedded_redis_port = env_int("MVIDARR_REDIS_PORT", 6380, minimum=1)
REDIS_URL = redis_url(env_str("REDIS_URL", f"redis://127.0.0.1:{_embedded_redis_port}/0"))

DRAMATIQ_BROKER = {
    "BROKER": "dramatiq.brokers.redis.RedisBroker",
    "OPTIONS": {
        "url": REDIS_URL,
        "namespace": "mvidarr",
        # How long a dead worker's unacknowledged messages wait before another worker
        # takes them back; tests with a killed worker set it low.
        "heartbeat_timeout": env_int("MVIDARR_BROKER_HEARTBEAT_MS", 60_000, minimum=1_000),
        "dead_message_ttl": 86_400_000,
    },
    "MIDDLEWARE": [
        "dramatiq.middleware.AgeLimit",
        "dramatiq.middleware.TimeLimit",
        "dramatiq.middleware.Callbacks",
        "dramatiq.middleware.Retries",
        "dramatiq.middleware.Pipelines",
        "dramatiq.middleware.ShutdownNotifications",
        "django_dramatiq.middleware.DbConnectionsMiddleware",
    ],
}
DRAMATIQ_AUTODISCOVER_MODULES = ["actors"]

# The cache (API throttle counters) lives in the same Redis, so every web process counts
# the same requests; it fails open while Redis is down (mvidarr/cache.py). Sessions are in
# the database (Django's default SESSION_ENGINE), so logins do not need Redis.
CACHES = {
    "default": {
        "BACKEND": "mvidarr.cache.FailOpenRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "mvidarr:cache",
        "TIMEOUT": 300,
    }
}

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL], "prefix": "mvidarr:asgi", "expiry": 30},
    }
}

# --- the library and downloads --------------------------------------------------------
LIBRARY_ROOT = Path(env_str("MVIDARR_LIBRARY", str(VAR_DIR / "library"))).resolve()
# Folders (os.pathsep-separated) besides the library that a manual import may read; one that
# does not exist is skipped and logged when an import looks at the roots (videos.library.imports).
IMPORT_ROOTS = env_path_list("MVIDARR_IMPORT_ROOTS")
# Files looked at per message of an import scan, and rows applied per message of an import.
IMPORT_PAGE_SIZE = env_int("MVIDARR_IMPORT_PAGE_SIZE", 100, minimum=1)
# MVidarr's own copy of each video's and artist's artwork (videos.library.artwork).
ARTWORK_ROOT = VAR_DIR / "artwork"
# The minimum free space, the proxy, the per-site and per-worker download limits, the
# retention of finished jobs and the housekeeping schedule are settings people change while
# MVidarr runs (the settings store: jobs/preferences.py, videos/download_settings.py); their
# environment variables still win there. The cookies file may be uploaded there too; this
# path, when set, wins over the upload.
FFMPEG_PATH = env_str("FFMPEG_PATH")
JS_RUNTIME = env_str("JS_RUNTIME")  # "node", "deno", "node:/path/to/node" or "none"
YTDLP_COOKIES_FILE = env_str("YTDLP_COOKIES_FILE")
YTDLP_SOCKET_TIMEOUT = env_float("YTDLP_SOCKET_TIMEOUT", 20.0, minimum=1.0)
YTDLP_RETRIES = env_int("YTDLP_RETRIES", 2, minimum=0)
# Private addresses (loopback, RFC 1918, link-local …) a user's link may reach anyway:
# "host[:port]" or CIDR entries; empty, the default, refuses them all (videos.netguard).
ALLOWED_PRIVATE_HOSTS = private_hosts(env_list("MVIDARR_ALLOWED_PRIVATE_HOSTS", []))
# Where a YouTube channel's or playlist's RSS feed is read between full indexes (the fast
# index, videos.feeds); tests point it at the local media server.
YOUTUBE_FEED_BASE_URL = http_url(
    "MVIDARR_YOUTUBE_FEED_URL", "https://www.youtube.com/feeds/videos.xml"
)

# --- jobs -------------------------------------------------------------------------------
JOB_MAX_ATTEMPTS = env_int("MVIDARR_JOB_MAX_ATTEMPTS", 4, minimum=1)
JOB_BACKOFF_BASE_SECONDS = env_float("MVIDARR_JOB_BACKOFF_BASE", 5.0, minimum=0.0)
JOB_BACKOFF_MAX_SECONDS = env_float("MVIDARR_JOB_BACKOFF_MAX", 300.0, minimum=0.0)
JOB_TIME_LIMIT_SECONDS = env_int("MVIDARR_JOB_TIME_LIMIT", 6 * 3600, minimum=10)
JOB_HEARTBEAT_SECONDS = env_float("MVIDARR_JOB_HEARTBEAT", 5.0, minimum=0.1)
JOB_STALE_SECONDS = env_float("MVIDARR_JOB_STALE_AFTER", 60.0, minimum=0.5)
JOB_PROGRESS_INTERVAL_SECONDS = env_float("MVIDARR_PROGRESS_INTERVAL", 1.0, minimum=0.0)
JOB_LIVE_TTL_SECONDS = 3600
# The download threads of a worker (rundramatiq --threads): the most the "downloads at once
# per worker" setting may be.
WORKER_THREADS = env_int("MVIDARR_WORKER_THREADS", 16, minimum=1)
HOST_BACKOFF_SECONDS = env_float("MVIDARR_HOST_BACKOFF", 30.0, minimum=0.0)
# How long an idle worker thread waits on an empty queue before asking again (Dramatiq's
# default is 1 s, which delays the first download of a click by up to a second).
WORKER_POLL_MS = env_int("MVIDARR_WORKER_POLL_MS", 100, minimum=10)
# The CPU priority a worker process lowers itself by when it boots (os.nice; its ffmpeg and
# other children inherit it): on a small machine a saturated worker then yields the cores to
# the web processes, and a click is answered while probes and downloads start (issue 23).
# 0 keeps the priority it was started with; at most 19.
WORKER_NICE = min(env_int("MVIDARR_WORKER_NICE", 10, minimum=0), 19)
QUEUE_INTERACTIVE = "interactive"
QUEUE_BULK = "bulk"
# --- indexing sources (jobs/worker/index.py, jobs/services/sources.py) -----------------
# Entries listed per message of an index: a page is listed, stored, and the next page is a
# new message, so an index of thousands of entries never holds a worker thread for long.
SOURCE_INDEX_PAGE_SIZE = env_int("MVIDARR_INDEX_PAGE_SIZE", 250, minimum=1)
# Files looked at per message of a library rename (each renamed one moves on its own).
LIBRARY_RENAME_PAGE_SIZE = env_int("MVIDARR_RENAME_PAGE_SIZE", 500, minimum=1)
# The scheduler's tick: every minute it claims at most this many due sources.
SOURCE_INDEX_CRON = "* * * * *"
SOURCE_TICK_LIMIT = 1000
# Between full indexes (one a week), a YouTube channel or playlist is indexed fast through
# its RSS feed (its newest entries only).
SOURCE_FULL_INDEX_SECONDS = 7 * 24 * 3600
# A failing source waits its interval * 2^failures before the next try, at most this long.
SOURCE_BACKOFF_MAX_SECONDS = 24 * 3600
# --- finding a source for a video added by artist and title (jobs/worker/resolve.py) -------
# The best candidate is taken when its score (0 to 1, videos.scoring) is at least this.
RESOLVE_THRESHOLD = env_fraction("MVIDARR_RESOLVE_THRESHOLD", 0.7)
# A search service answering JSON candidates (videos.finders); when set it is asked instead
# of YouTube's search (tests point it at the local media server).
SEARCH_URL = optional_http_url("MVIDARR_SEARCH_URL")
# --- upgrades (jobs/services/upgrades.py, jobs/worker/upgrade.py) ---------------------------
# When the scheduler checks the files below their profile's cutoff for a better format: at
# most UPGRADE_CHECK_LIMIT videos a run, each at most once in UPGRADE_CHECK_INTERVAL.
UPGRADE_CHECK_CRON = env_str("MVIDARR_UPGRADE_CHECK_CRON", "23 * * * *")
UPGRADE_CHECK_LIMIT = 100
UPGRADE_CHECK_INTERVAL_SECONDS = 7 * 24 * 3600

# --- auth, static, i18n ---------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TZ", "UTC") or "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if env_bool("MVIDARR_TESTING", False):
    # Tests (and the servers they start) use static files without running collectstatic.
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    WHITENOISE_USE_FINDERS = True
    # Django's advice for test suites: a fast hasher. Every test user and every login hashes
    # a password, and PBKDF2's million rounds made that most of the login tests' time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Source maps are for browsers' developer tools only: compressing them (twice, gzip and
# brotli, at every collectstatic) took most of the start-up time of `make run`.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
# Pages ask for static files by their hashed names only; the unhashed copies were compressed
# for nothing.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

# LOGGING: see the operations block at the end.


# --- REST API ---------------------------------------------------------------------------
_RATE_PERIODS = {"s", "sec", "second", "m", "min", "minute", "h", "hour", "d", "day"}


def _throttle_rate(name: str, default: str) -> str | None:
    """A DRF rate ("120/min", "5/s", "1000/day") from the environment; "off" turns it off."""
    raw = env_str(name, default).strip().lower()
    if raw in {"off", "none"}:
        return None
    count, _, period = raw.partition("/")
    if not count.isdigit() or period not in _RATE_PERIODS:
        raise ConfigError(
            f"{name} must be a rate like 120/min (per s, min, hour or day) or off, not {raw!r}."
        )
    return raw


REST_FRAMEWORK = {
    # JWT first, so an anonymous request gets 401 with WWW-Authenticate: Bearer. Each
    # refuses a user who must change a one-time password first (accounts.authentication).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # simplejwt's, refusing tokens issued before the password last changed.
        "mvidarr.tokens.JWTAuthentication",
        "accounts.authentication.ApiKeyAuthentication",  # Authorization: Token <key>
        "accounts.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "mvidarr.parsers.JSONParser",  # deep nesting is a 400, not a RecursionError
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "mvidarr.renderers.JSONRenderer",  # a lone surrogate quoted back is not a 500
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "EXCEPTION_HANDLER": "mvidarr.api_errors.exception_handler",  # Redis down: 503
    "PAGE_SIZE": 50,
    # The scope the API views name: "submit" per user on the endpoints that start jobs or
    # add videos. Counted in the default cache (Redis). Logins: see LOGIN_* below.
    "DEFAULT_THROTTLE_RATES": {
        "submit": _throttle_rate("MVIDARR_API_SUBMIT_RATE", "120/min"),
    },
}
# Failed logins on the token endpoint and the three login forms (mvidarr/logins.py), counted
# in the default cache (Redis) per client address and per account.
LOGIN_ADDRESS_RATE = _throttle_rate("MVIDARR_API_LOGIN_RATE", "10/min")
LOGIN_ACCOUNT_FAILURES = env_int("MVIDARR_LOGIN_ACCOUNT_FAILURES", 10, minimum=1)
LOGIN_ACCOUNT_WINDOW_SECONDS = env_int("MVIDARR_LOGIN_ACCOUNT_WINDOW", 900, minimum=1)
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": datetime.timedelta(
        minutes=env_int("MVIDARR_JWT_ACCESS_MINUTES", 30, minimum=1)
    ),
    "REFRESH_TOKEN_LIFETIME": datetime.timedelta(
        days=env_int("MVIDARR_JWT_REFRESH_DAYS", 7, minimum=1)
    ),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MVidarr API",
    "DESCRIPTION": "Music-video library and background downloads. Get a token with POST "
    "/api/auth/token/ and send it as `Authorization: Bearer <access>`, or log in "
    "(/api/auth/login/) to use this page and the browsable API.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["mvidarr.api_urls.schema_without_slash_twins"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "mvidarr.api_urls.schema_job_items",
    ],
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 0}},
    "ENUM_NAME_OVERRIDES": {
        "VideoStatusEnum": "videos.models.Video.Status",
        "VideoTypeEnum": "videos.models.Video.VideoType",
        "JobStatusEnum": "jobs.models.Job.Status",
        "JobKindEnum": "jobs.models.Job.Kind",
        "JobOriginEnum": "jobs.models.Job.Origin",
        "HistoryEventEnum": "jobs.models.HistoryEvent.Event",
        "QualityEnum": "videos.ytdlp.QUALITIES",
    },
    "TAGS": [
        {"name": "auth", "description": "Tokens for scripts."},
        {"name": "artists", "description": "The library's artists."},
        {"name": "videos", "description": "The library (shared by all users)."},
        {"name": "downloads", "description": "Start downloads; each answers with its job."},
        {"name": "jobs", "description": "Your jobs (staff: everyone's)."},
        {"name": "ignore list", "description": "Videos never downloaded nor added again."},
        {"name": "history", "description": "What happened to the library, and who did it."},
        {
            "name": "wanted",
            "description": "What the library still wants: videos not downloaded, files below "
            "their profile's cutoff, and upgrades.",
        },
    ],
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": True},
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# --- operations ---------------------------------------------------------------------------
# Health, monitoring, metrics, logs and housekeeping (README "Deployment and operations").
MVIDARR_VERSION = env_str("MVIDARR_VERSION")  # empty: pyproject.toml's version
# /metrics answers staff sessions, and requests with "Authorization: Bearer <this>" when set.
METRICS_TOKEN = env_str("METRICS_TOKEN")
# /readyz wants a worker heartbeat on each of these queues within this many seconds.
READY_QUEUES = [QUEUE_INTERACTIVE, QUEUE_BULK]
READY_WORKER_WINDOW_SECONDS = env_int("MVIDARR_READY_WORKER_WINDOW", 60, minimum=1)
WORKER_HEARTBEAT_SECONDS = env_float("MVIDARR_WORKER_HEARTBEAT", 10.0, minimum=0.1)
OPS_POLL_SECONDS = env_float("MVIDARR_OPS_POLL", 2.5, minimum=0.5)
# How often the scheduler checks readiness to tell the connections (Health, HealthRestored).
HEALTH_WATCH_SECONDS = env_int("MVIDARR_HEALTH_WATCH_SECONDS", 60, minimum=5)
LOST_MESSAGE_GRACE_SECONDS = env_float("MVIDARR_LOST_MESSAGE_GRACE", 300.0, minimum=0.0)
INSTALLED_APPS += ["dramatiq_crontab"]  # `manage.py crontab`: the scheduler process
# One scheduler at a time: a second one waits on this Redis lock.
DRAMATIQ_CRONTAB = {"REDIS_URL": REDIS_URL}

# Per-queue worker heartbeats (and the job id on a worker's log lines).
DRAMATIQ_BROKER["MIDDLEWARE"].append("mvidarr.ops.heartbeat.WorkerHeartbeat")
if env_bool("DRAMATIQ_PROMETHEUS", False):
    # Dramatiq's own per-message metrics, served by each worker host on :9191 (no auth).
    DRAMATIQ_BROKER["MIDDLEWARE"].insert(0, "dramatiq.middleware.Prometheus")
MIDDLEWARE.insert(0, "mvidarr.ops.middleware.RequestMetricsMiddleware")

# The web server (`manage.py serve`): worker processes, each with its own event loop. Two
# keep the API's tail latency low on a 2-core machine while downloads run (bench/README.md).
WEB_WORKERS = env_int("MVIDARR_WEB_WORKERS", 2, minimum=1)
WEB_HOST = env_str("HOST") or "127.0.0.1"
WEB_PORT = env_int("MVIDARR_HTTP_PORT", 8000, minimum=1)
# A log line per request; off by default: request latency is in /metrics, and a line per
# request would drown the job logs.
ACCESS_LOG = env_bool("MVIDARR_ACCESS_LOG", False)
# Larger request bodies are answered 413 before Django reads them (mvidarr.body_limit).
MAX_BODY_BYTES = env_int("MVIDARR_MAX_BODY_KB", 1024, minimum=1) * 1024
BEHIND_PROXY = env_bool("MVIDARR_BEHIND_PROXY", False)
# The client's address for throttles: the one our proxy appended to X-Forwarded-For, or the
# peer's own address; never what a client wrote in X-Forwarded-For itself.
REST_FRAMEWORK["NUM_PROXIES"] = 1 if BEHIND_PROXY else 0
if BEHIND_PROXY:
    # The reverse proxy terminates TLS and says so in X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Sent on secure requests only (SecurityMiddleware), like the Secure flag on cookies
# (mvidarr.middleware.SecurityHeadersMiddleware). 0 turns HSTS off.
SECURE_HSTS_SECONDS = env_int("MVIDARR_HSTS_SECONDS", 31_536_000, minimum=0)
SECURE_REFERRER_POLICY = "same-origin"

# Logs: one JSON object per line (LOG_FORMAT=json, as the Docker image sets) or readable text
# (the default, for `make run`). Both carry job_id and video_id on the lines a job writes.
# In json mode manage.py also turns the text that commands print into JSON lines.
LOG_FORMAT = log_format()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"job_context": {"()": "mvidarr.ops.logs.JobContextFilter"}},
    "formatters": {
        "text": {"()": "mvidarr.ops.logs.TextFormatter"},
        "json": {"()": "mvidarr.ops.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["job_context"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The scheduler would log two lines every 5 s for renewing its lock.
        "apscheduler.executors": {"level": "WARNING"},
    },
}

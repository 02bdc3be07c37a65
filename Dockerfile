# MVidarr's image, for the web, worker and scheduler services of docker-compose.yml.
#   docker compose build                                       # yt-dlp as pinned
#   docker compose build --build-arg YTDLP_VERSION=latest      # the newest yt-dlp
#   docker compose build --build-arg YTDLP_VERSION=2026.11.05  # a given one
ARG DENO_VERSION=2.9.3

# Deno: the JavaScript runtime yt-dlp needs for YouTube (Debian's nodejs is older than the
# Node 22 yt-dlp requires); the official image's single binary.
FROM denoland/deno:bin-${DENO_VERSION} AS deno

FROM python:3.11-slim

ARG YTDLP_VERSION=pinned
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=mvidarr.settings \
    MVIDARR_VAR=/app/var \
    MVIDARR_LIBRARY=/library \
    MVIDARR_REQUIRE_SECRET_KEY=1 \
    LOG_FORMAT=json \
    FFMPEG_PATH=/usr/bin/ffmpeg \
    JS_RUNTIME=deno \
    HOME=/app/var/home \
    XDG_CACHE_HOME=/app/var/cache \
    DENO_DIR=/app/var/cache/deno

# ffmpeg merges video and audio; tini reaps the processes yt-dlp starts; setpriv (in
# util-linux, always there) drops root for PUID:PGID in the entrypoint.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ffmpeg tini \
    && rm -rf /var/lib/apt/lists/*
COPY --from=deno /deno /usr/local/bin/deno

# The default unprivileged user; PUID/PGID choose another at start.
RUN groupadd --gid 1000 mvidarr \
    && useradd --uid 1000 --gid 1000 --no-create-home --home-dir /app/var/home \
       --shell /usr/sbin/nologin mvidarr

WORKDIR /app
COPY requirements.txt ./
# The app's packages alone (the tests' and the benchmark's live in their own files); then
# yt-dlp alone when asked for another one.
RUN pip install -r requirements.txt \
    && case "$YTDLP_VERSION" in \
         pinned) ;; \
         latest) pip install --upgrade "yt-dlp[default]" ;; \
         *) pip install --upgrade "yt-dlp[default]==$YTDLP_VERSION" ;; \
       esac

COPY . .
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput -v 0 \
    && chmod 0755 deploy/entrypoint.sh \
    && mkdir -p /library /app/var/home /app/var/cache \
    && chown mvidarr:mvidarr /library /app/var /app/var/home /app/var/cache

VOLUME ["/library"]
EXPOSE 8000
ENTRYPOINT ["tini", "--", "/app/deploy/entrypoint.sh"]
CMD ["web"]

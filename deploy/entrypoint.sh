#!/bin/sh
# The image's entrypoint: start one MVidarr process.
#   web | worker | scheduler | manage <manage.py arguments> | any other command
# Started as root (the default), it hands the library and var folders to PUID:PGID and drops
# to that user, so the files it downloads belong to the host user who owns the library.
# Started as another user (compose `user:`), it runs as that user and changes no owner.
set -eu

PUID=${PUID:-1000}
PGID=${PGID:-1000}
if [ "$(id -u)" = 0 ] && [ "$PUID" != 0 ]; then
  mkdir -p "$MVIDARR_LIBRARY" "$MVIDARR_VAR/home" "$MVIDARR_VAR/cache"
  # The library's top folder and our scratch space only: a large library is not walked.
  chown "$PUID:$PGID" "$MVIDARR_LIBRARY" "$MVIDARR_VAR" "$MVIDARR_VAR/home"
  chown -R "$PUID:$PGID" "$MVIDARR_VAR/cache"
  if [ -d "$MVIDARR_LIBRARY/.incoming" ]; then
    chown -R "$PUID:$PGID" "$MVIDARR_LIBRARY/.incoming"
  fi
  exec setpriv --reuid="$PUID" --regid="$PGID" --clear-groups --inh-caps=-all -- "$0" "$@"
fi

umask "${UMASK:-0002}"
wait_for_services() { python manage.py preflight --wait "${MVIDARR_START_WAIT:-60}"; }

command=${1:-web}
[ "$#" -gt 0 ] && shift
case "$command" in
  web)
    wait_for_services
    python manage.py migrate --noinput
    python manage.py ensure_admin
    exec python manage.py serve --host 0.0.0.0 --port "${MVIDARR_HTTP_PORT:-8000}"
    ;;
  worker)
    wait_for_services
    # --skip-logging: the worker process logs through Django's LOGGING (JSON lines), not
    # through Dramatiq's own text format.
    exec python manage.py rundramatiq --skip-logging --processes "${MVIDARR_WORKER_PROCESSES:-1}" \
      --threads "${MVIDARR_WORKER_THREADS:-16}" --queues interactive bulk \
      --worker-shutdown-timeout 30000
    ;;
  scheduler)
    wait_for_services
    # --no-heartbeat: dramatiq-crontab's demo actor would fill a queue nobody consumes.
    exec python manage.py crontab --no-heartbeat
    ;;
  manage)
    exec python manage.py "$@"
    ;;
  *)
    exec "$command" "$@"
    ;;
esac

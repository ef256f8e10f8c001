#!/usr/bin/env bash
# `make serve`: the production settings on PostgreSQL, on this machine, over plain HTTP.
# Migrates, collects the static files, then runs gunicorn and the task worker until stopped.
# In front of real users put deploy/nginx.conf (TLS) and the systemd units in deploy/.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"

# The value of NAME from the environment, else from .env (the settings read both the same way).
setting() {
  local name="$1"
  if [ -n "${!name:-}" ]; then printf '%s' "${!name}"; return; fi
  [ -f .env ] && sed -n "s/^${name}=//p" .env | tail -n1 | sed -e 's/^"//' -e 's/"$//' || true
}

if [ -z "$(setting DATABASE_URL)" ]; then
  echo "make serve needs PostgreSQL: set DATABASE_URL (environment or .env), e.g." >&2
  echo "  DATABASE_URL=postgres://user:password@127.0.0.1:5432/mhpss make serve" >&2
  exit 1
fi
case "$(setting DATABASE_URL)" in
  postgres://*|postgresql://*|pgsql://*) ;;
  *) echo "make serve runs on PostgreSQL; DATABASE_URL is not a postgres:// URL." >&2; exit 1 ;;
esac

if [ -z "$(setting SECRET_KEY)" ]; then
  # A throw-away key for this machine only, kept in .env (git-ignored) so sessions survive a restart.
  echo "SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')" >> .env
  echo "No SECRET_KEY was set: wrote a new random one to .env (local use; set your own in production)."
fi

export DJANGO_SETTINGS_MODULE=config.settings.production
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-$(setting ALLOWED_HOSTS)}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
# Plain HTTP here: no redirect to HTTPS unless asked (nginx terminates TLS in a real deployment).
export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-$(setting SECURE_SSL_REDIRECT)}"
export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-false}"
export GUNICORN_BIND="${HOST}:${PORT}"

"$PY" manage.py check --deploy --fail-level ERROR
"$PY" manage.py migrate --no-input
"$PY" manage.py collectstatic --no-input -v 0
"$PY" manage.py load_roadmap

"$PY" manage.py db_worker &
worker=$!
"$PY" -m gunicorn -c deploy/gunicorn.conf.py &
web=$!
# Stop both on Ctrl-C or TERM; gunicorn finishes the requests in flight (graceful_timeout).
trap 'kill -TERM $web $worker 2>/dev/null; wait $web $worker 2>/dev/null' EXIT INT TERM
echo "Serving the production settings on http://${HOST}:${PORT}/ (gunicorn pid $web, task worker pid $worker)"
# Either one ending ends the run.
wait -n $web $worker

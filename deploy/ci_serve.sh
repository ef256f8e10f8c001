#!/usr/bin/env bash
# CI: start `make serve` on a throw-away PostgreSQL database and a free port, run the smoke check
# (deploy/smoke.py: /health/, a sign-in, a compressed static file), then stop it and drop the
# database it created (and only that one).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
DB="mhpss_serve_$$_$(date +%s)"
PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
URL="postgres://postgres@127.0.0.1:5432/${DB}"
LOG="$(mktemp)"
psql -h 127.0.0.1 -U postgres -q -c "CREATE DATABASE ${DB}"
server=""
cleanup() {
  if [ -n "$server" ]; then
    kill -TERM -- "-$server" 2>/dev/null || true
    for _ in $(seq 40); do kill -0 -- "-$server" 2>/dev/null || break; sleep 0.5; done
  fi
  psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS ${DB}" >/dev/null 2>&1 || true
  rm -f "$LOG"
}
trap cleanup EXIT

export DATABASE_URL="$URL"
# A throw-away key in the environment, so the checkout's .env is left alone.
SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')"
export SECRET_KEY
# Its own process group, so that stopping it stops make, gunicorn and the worker together.
setsid make serve PORT="$PORT" >"$LOG" 2>&1 &
server=$!
up=""
# migrate, collectstatic and load_roadmap come first: minutes on a busy machine.
for _ in $(seq 600); do
  curl -fs -m 2 "http://127.0.0.1:${PORT}/health/" >/dev/null 2>&1 && { up=1; break; }
  kill -0 "$server" 2>/dev/null || break
  sleep 1
done
if [ -z "$up" ]; then
  tail -n 40 "$LOG"
  echo "make serve did not answer /health/ on port ${PORT}"
  exit 1
fi
DJANGO_SETTINGS_MODULE=config.settings.production ALLOWED_HOSTS=127.0.0.1 \
  DJANGO_SUPERUSER_PASSWORD=smoke-check-password "$PY" manage.py createsuperuser \
  --no-input --email smoke@example.org >/dev/null
"$PY" deploy/smoke.py "http://127.0.0.1:${PORT}" smoke@example.org smoke-check-password \
  || { tail -n 40 "$LOG"; exit 1; }

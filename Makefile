# The project's vocabulary: run, test, lint, bench, e2e.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Two stamps: the runtime set (run, serve) and the development tools on top (test, lint, bench).
STAMP_RUNTIME := $(VENV)/.installed-runtime
STAMP := $(VENV)/.installed-dev
# Python keeps compiled byte-code (__pycache__) and pytest its rewritten test modules: with
# PYTHONDONTWRITEBYTECODE set (some machines set it), every process of a run (each test worker,
# each subprocess a test starts) compiled the whole project again, 10-14 s of each worker's start.
unexport PYTHONDONTWRITEBYTECODE
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test lint format bench e2e loadtest install install-runtime messages

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall only when a lock file changes. `uv pip sync` would remove the dev tools from a venv
# that has them, so both stamps install (add) and never remove.
$(STAMP_RUNTIME): requirements/runtime.lock pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip uv
	$(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY) -r requirements/runtime.lock
	$(VENV)/bin/uv pip install --quiet --python $(PY) --no-deps -e .
	touch $(STAMP_RUNTIME)

$(STAMP): $(STAMP_RUNTIME) requirements/dev.lock
	$(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY) -r requirements/dev.lock
	touch $(STAMP)

install-runtime: $(STAMP_RUNTIME)
install: $(STAMP)

# Compiling the catalogues needs GNU gettext's msgfmt (Debian package gettext).
messages: install-runtime
	@command -v msgfmt >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq gettext >/dev/null; } || \
		{ echo "msgfmt not found: install gettext (apt-get install gettext)"; exit 1; }
	$(PY) manage.py compilemessages --ignore=.venv -v 0

run: install-runtime messages
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input -v 0
	$(PY) manage.py load_roadmap
	$(PY) manage.py load_demo
	@echo "Serving on http://$(HOST):$(PORT)/ — sign in as admin@example.org / roadmap-demo"
	@$(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production settings on PostgreSQL (DATABASE_URL from the environment or .env): migrate,
# collectstatic, then gunicorn (deploy/gunicorn.conf.py) and the task worker. See deploy/serve.sh.
serve: install-runtime messages
	HOST=$(HOST) PORT=$(PORT) PY=$(PY) deploy/serve.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The suite runs on every core (pytest-xdist: one test database per worker).
test: install messages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -m "not e2e" -q -n auto --dist worksteal

e2e: install messages
	$(VENV)/bin/pytest -m e2e -q -n 2 --dist worksteal

bench: install messages
	$(PY) -m benchmarks

loadtest: install messages
	$(PY) -m loadtest --users 50 --seconds 60

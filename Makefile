# The project's vocabulary: run, test, lint, bench, e2e.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format bench e2e loadtest install messages

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the lock file changes.
$(STAMP): requirements.lock pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip uv
	$(VENV)/bin/uv pip install --quiet --python $(PY) -r requirements.lock
	$(VENV)/bin/uv pip install --quiet --python $(PY) --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Compiling the catalogues needs GNU gettext's msgfmt (Debian package gettext).
messages: install
	@command -v msgfmt >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq gettext >/dev/null; } || \
		{ echo "msgfmt not found: install gettext (apt-get install gettext)"; exit 1; }
	$(PY) manage.py compilemessages --ignore=.venv -v 0

run: install messages
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input -v 0
	$(PY) manage.py load_roadmap
	$(PY) manage.py load_demo
	@echo "Serving on http://$(HOST):$(PORT)/ — sign in as admin@example.org / roadmap-demo"
	@$(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: install messages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -m "not e2e" -q

e2e: install messages
	$(VENV)/bin/pytest -m e2e -q

bench: install messages
	$(PY) -m benchmarks

loadtest: install messages
	$(PY) -m loadtest --users 50 --seconds 60

"""The test databases' schema: made from the models on SQLite, migrated once per run for the
tests that need the real migrations.

Migrating the project (80-odd migrations, most of the time spent rendering model states) took
12-17 s of every xdist worker's start; creating the same tables from the models takes half a
second. So on SQLite each worker's in-memory test database is made from the models (Django's
``TEST: {"MIGRATE": False}``), and the migrations are run once per run, into a file, by the
first test that asks for it (`migrated_template`): tests/test_migrations.py proves that file has
the same schema as the models, and subprocesses that need a database of their own (the
production probe) start from a copy of it. PostgreSQL runs keep pytest-django's set-up: every
worker migrates, so CI runs every migration on both databases.

The file is named by the run (an id the workers inherit from the controller), so a run never sees
another run's schema, and the controller removes it when the run ends.
"""

import fcntl
import os
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Set when this module is first imported, in the xdist controller (or a run without xdist)
# before the workers start; the workers inherit it, so all of one run share one name.
RUN_ENV = "MHPSS_TEST_RUN"
os.environ.setdefault(RUN_ENV, uuid.uuid4().hex)


def template_path() -> Path:
    return Path(tempfile.gettempdir()) / f"mhpss-test-migrated-{os.environ[RUN_ENV]}.sqlite3"


def schema_from_models(databases: dict) -> None:
    """Tell Django to make SQLite test databases from the models, without migrations."""
    for database in databases.values():
        if database["ENGINE"] == "django.db.backends.sqlite3":
            database.setdefault("TEST", {})["MIGRATE"] = False


def migrated_template() -> Path:
    """This run's SQLite file with every migration applied, made once (one process at a time:
    the others wait for it) by `manage.py migrate` in a subprocess."""
    template = template_path()
    with open(template.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template.exists():
            partial = template.with_suffix(".partial")
            partial.unlink(missing_ok=True)
            migrated = subprocess.run(  # noqa: S603 - our own manage.py
                [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
                cwd=ROOT,
                env={
                    **os.environ,
                    "DJANGO_SETTINGS_MODULE": "config.settings.test",
                    "DATABASE_URL": f"sqlite:///{partial}",
                },
                capture_output=True,
                text=True,
            )
            if migrated.returncode:
                raise RuntimeError(f"migrate failed:\n{migrated.stderr[-3000:]}")
            # The migration wrote in WAL mode: fold the log into the file before moving it.
            folded = sqlite3.connect(partial)
            folded.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            folded.execute("PRAGMA journal_mode=DELETE")
            folded.close()
            os.replace(partial, template)
    return template


def migrated_copy(destination: Path) -> Path:
    """A copy of `migrated_template` at `destination` (SQLite's backup API: a consistent copy)."""
    source = sqlite3.connect(migrated_template())
    target = sqlite3.connect(destination)
    source.backup(target)
    source.close()
    target.close()
    return destination


def remove_template() -> None:
    template = template_path()
    for path in (template, template.with_suffix(".lock"), template.with_suffix(".partial")):
        path.unlink(missing_ok=True)

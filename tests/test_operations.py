"""Operations: health check, backup and restore, production settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Organisation
from roadmap.models import Evidence, IndicatorValue, ProgressUpdate
from tests import factories

BASE_DIR = Path(__file__).resolve().parent.parent


def test_health_reports_database_and_worker(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["worker"]["status"] == "ok"


def test_health_reports_a_stalled_worker(client, db):
    import datetime

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="reports.tasks.nothing",
        backend_name="default",
        run_after=timezone.now() - datetime.timedelta(hours=1),
    )
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(hours=1))
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["worker"]["status"] == "stalled"


@pytest.mark.django_db(transaction=True)
def test_restore_reproduces_every_record_and_file(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    update = factories.ProgressUpdateFactory()
    evidence = Evidence(update=update, title="Minutes", added_by=update.author)
    evidence.file.save("minutes.pdf", ContentFile(b"%PDF-1.4 minutes"), save=True)
    value = factories.IndicatorValueFactory(value=61)
    counts = {
        m: m.objects.count() for m in (Organisation, ProgressUpdate, Evidence, IndicatorValue)
    }
    archive = tmp_path / "backup.tar.gz"

    call_command("backup_data", out=archive, stdout=open(os.devnull, "w"))

    # Change and lose things after the backup: the restore must bring the old state back.
    IndicatorValue.objects.filter(pk=value.pk).update(value=1)
    factories.IndicatorValueFactory(value=99)
    Path(evidence.file.path).unlink()

    call_command("restore_data", str(archive), yes=True, stdout=open(os.devnull, "w"))

    assert {m: m.objects.count() for m in counts} == counts
    assert IndicatorValue.objects.get(pk=value.pk).value == 61
    restored = Evidence.objects.get(pk=evidence.pk)
    assert Path(restored.file.path).read_bytes() == b"%PDF-1.4 minutes"


def test_restore_refuses_a_broken_archive(tmp_path, db):
    from django.core.management.base import CommandError

    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not a tar file")
    with pytest.raises(CommandError, match="Not a readable backup"):
        call_command("restore_data", str(bogus), yes=True)


def _run_with_production_settings(extra_env: dict) -> subprocess.CompletedProcess:
    unwanted = {
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }  # the e2e conftest sets the last
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env.update(extra_env, DJANGO_SETTINGS_MODULE="config.settings.production")
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _run_with_production_settings({"ALLOWED_HOSTS": "tracker.example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _run_with_production_settings({"SECRET_KEY": "x" * 60})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


@pytest.mark.slow
def test_check_deploy_is_clean_with_production_settings():
    result = _run_with_production_settings(
        {"SECRET_KEY": "k3y-" + "q8Zr5t" * 10, "ALLOWED_HOSTS": "tracker.example.org"}
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _sqlite_holder():
    """A second connection to the test database, as another process would open it."""
    import sqlite3

    from django.db import connection

    params = connection.get_connection_params()
    return sqlite3.connect(
        params["database"], uri=params.get("uri", False), isolation_level=None, timeout=0.1
    )


@pytest.mark.django_db(transaction=True)
def test_health_fails_while_sqlite_is_write_locked(client):
    """Another connection holds the write lock (a long import, a stuck worker): /health/ says so
    within about a second instead of answering ok while sign-ins and autosaves fail."""
    import time

    from django.db import connection

    if connection.vendor != "sqlite":
        # PostgreSQL has no database-wide write lock: the check is SQLite's only.
        assert client.get(reverse("health")).json()["database"] == "ok"
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout")
        busy = cursor.fetchone()[0]
    # The settings' WAL and busy timeout (an in-memory test database has no WAL journal).
    assert journal in ("wal", "memory")
    assert busy >= 5000
    assert client.get(reverse("health")).status_code == 200

    holder = _sqlite_holder()
    try:
        holder.execute("BEGIN IMMEDIATE")
        holder.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date) "
            "VALUES ('lock-holder', '', '2099-01-01')"
        )
        started = time.perf_counter()
        response = client.get(reverse("health"))
        seconds = time.perf_counter() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "locked"
    assert "write-locked for more than 1000 ms" in body["database_reasons"][0]
    assert seconds < 5  # the short wait, not the 10 s busy timeout
    # The lock released, the check passes again and the busy timeout is back.
    assert client.get(reverse("health")).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == busy


def test_a_sqlite_file_database_runs_in_wal_with_a_busy_timeout(tmp_path, django_db_blocker):
    """The settings' SQLite options, on a database file as `make run` uses one."""
    from django.db.utils import ConnectionHandler

    from config.settings.base import SQLITE_OPTIONS

    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(tmp_path / "db.sqlite3"),
                "OPTIONS": SQLITE_OPTIONS,
            }
        }
    )
    wrapper = handler["default"]
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 10000
    finally:
        wrapper.close()


@pytest.mark.django_db(transaction=True)  # SQLite's backup API waits on an open transaction
def test_backup_archives_are_readable_by_their_owner_only(tmp_path, settings):
    import io
    import stat

    settings.MEDIA_ROOT = tmp_path / "media"
    out = tmp_path / "backups" / "b.tar.gz"
    out.parent.mkdir()
    out.write_bytes(b"old")
    out.chmod(0o644)  # an earlier file with wider rights is tightened too
    old_umask = os.umask(0)
    try:
        call_command("backup_data", out=out, stdout=io.StringIO())
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    fresh = tmp_path / "new" / "c.tar.gz"
    call_command("backup_data", out=fresh, stdout=io.StringIO())
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    assert stat.S_IMODE(fresh.parent.stat().st_mode) & 0o077 == 0


def _cached_templates():
    """The cached loader's templates (template_partials wraps Django's cached loader)."""
    from django.template import engines

    (partials,) = engines["django"].engine.template_loaders
    (cached,) = partials.loaders
    return cached


def test_the_warm_up_compiles_every_project_template(caplog):
    """What gunicorn's workers do before their first request (config/warmup.py): every template
    of the project folder compiles, so none is left for a person's first request, and none has
    a syntax error that only a page nobody opened in the tests would have shown."""
    from config.warmup import project_template_names, warm_up

    names = project_template_names()
    assert "base.html" in names and len(names) > 100
    _cached_templates().reset()
    with caplog.at_level("WARNING", logger="config.warmup"):
        assert warm_up() == len(names), caplog.text
    assert len(_cached_templates().get_template_cache) >= len(names)


@pytest.mark.parametrize("conf", ["deploy/gunicorn.conf.py", "loadtest/gunicorn.conf.py"])
def test_gunicorn_workers_warm_up_before_their_first_request(conf):
    """The production and load-test gunicorn configurations warm each worker up."""
    import runpy

    hooks = runpy.run_path(str(BASE_DIR / conf))
    _cached_templates().reset()
    hooks["post_worker_init"](None)
    assert len(_cached_templates().get_template_cache) > 100

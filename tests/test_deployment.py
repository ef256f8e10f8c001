"""Production set-up: settings that refuse the published key, the session refresh, gunicorn."""

import datetime
import os
import runpy
import subprocess
import sys
from pathlib import Path

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from config.middleware import REFRESHED_AT
from tests import factories

BASE_DIR = Path(__file__).resolve().parent.parent


def _import_settings(module: str, env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", f"import {module}"],
        cwd=BASE_DIR,
        env={**clean, "DATABASE_URL": "sqlite:///:memory:", **env},
        capture_output=True,
        text=True,
    )


def test_base_settings_refuse_the_fallback_key_without_debug(tmp_path):
    result = _import_settings("config.settings.base", {"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set and DEBUG is off" in result.stderr


def test_local_settings_run_from_a_fresh_clone_with_debug():
    result = _import_settings(
        "config.settings.local; from config.settings import local; "
        "assert local.DEBUG and local.SECRET_KEY == local.DEVELOPMENT_SECRET_KEY",
        {},
    )
    assert result.returncode == 0, result.stderr


def test_production_refuses_the_published_development_key():
    result = _import_settings(
        "config.settings.production",
        {
            "SECRET_KEY": "insecure-local-development-key-change-me",
            "ALLOWED_HOSTS": "tracker.example.org",
        },
    )
    assert result.returncode != 0
    assert "published development key" in result.stderr


def test_wsgi_and_asgi_default_to_production():
    for name in ("wsgi.py", "asgi.py"):
        text = (BASE_DIR / "config" / name).read_text()
        assert 'setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")' in text


def _session_row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_a_signed_in_request_does_not_rewrite_a_fresh_session(client, db, settings):
    settings.SESSION_REFRESH_AFTER = 3600
    client.force_login(factories.AdminFactory())
    client.get(reverse("home"))  # first request stamps the session
    row = _session_row(client)
    stamped = row.get_decoded()[REFRESHED_AT]
    Session.objects.filter(pk=row.pk).update(expire_date=row.expire_date.replace(year=2030))

    response = client.get(reverse("home"))

    assert response.status_code == 200
    after = _session_row(client)
    assert after.expire_date.year == 2030  # not saved again
    assert after.get_decoded()[REFRESHED_AT] == stamped


def test_an_old_session_is_saved_again_and_its_expiry_moves(client, db, settings):
    settings.SESSION_REFRESH_AFTER = 3600
    client.force_login(factories.AdminFactory())
    client.get(reverse("home"))
    session = client.session
    session[REFRESHED_AT] -= 7200  # stamped two hours ago
    session.save()
    soon = timezone.now() + datetime.timedelta(hours=1)
    Session.objects.filter(session_key=session.session_key).update(expire_date=soon)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    after = _session_row(client)
    # Saved again: the expiry is SESSION_COOKIE_AGE from now, not the hour it had left.
    assert after.expire_date > soon + datetime.timedelta(days=1)
    assert after.get_decoded()[REFRESHED_AT] > session[REFRESHED_AT]


def test_an_anonymous_visit_creates_no_session(client, db):
    client.get(reverse("accounts:login"))
    assert Session.objects.count() == 0


def test_gunicorn_configuration_scales_with_the_cpus(monkeypatch):
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 3)
    conf = runpy.run_path(str(BASE_DIR / "deploy" / "gunicorn.conf.py"))
    assert conf["workers"] == 6
    assert conf["threads"] == 4
    assert conf["worker_class"] == "gthread"
    assert conf["timeout"] == 30
    assert conf["graceful_timeout"] == 30
    assert conf["accesslog"] == "-"
    assert conf["wsgi_app"] == "config.wsgi:application"


def test_pages_are_compressed_for_clients_that_ask(client, db):
    response = client.get(reverse("accounts:login"), headers={"accept-encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.content[:2] == b"\x1f\x8b"

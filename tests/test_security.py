"""Security headers, cookies, throttling, passwords, CSRF, uploads and CSP-safe pages.

Production-only settings (Secure cookies, HSTS) are checked in a subprocess that runs the
real ``config.settings.production`` module against a throw-away SQLite database.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.helpers import build_world, inline_code

ROOT = Path(__file__).resolve().parents[1]
LOGIN = "/accounts/login/"


def _csp(response) -> dict:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


# ---------------------------------------------------------------- headers and cookies


@pytest.mark.django_db
def test_csp_header_forbids_inline_scripts_and_styles(client):
    response = client.get(LOGIN)
    csp = _csp(response)
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp.get("style-src", [])
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]


@pytest.mark.django_db
def test_clickjacking_and_sniffing_headers(client, reader):
    client.force_login(reader)
    for url in (LOGIN, reverse("home")):
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_httponly(client, reader):
    response = client.get(LOGIN)
    assert response.cookies["csrftoken"]["httponly"]
    response = client.post(LOGIN, {"username": reader.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"]
    assert session["samesite"] == "Lax"
    # Session expiry: a bounded age, and the cookie carries it.
    assert 0 < settings.SESSION_COOKIE_AGE <= 60 * 60 * 24 * 14
    assert int(session["max-age"]) == settings.SESSION_COOKIE_AGE
    # The cookie lasts its max-age, not until the browser closes.
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is False


PRODUCTION_PROBE = r"""
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
from accounts.models import User
plain_storage = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
override_settings(STORAGES=plain_storage).enable()
User.objects.create_user(email="probe@example.org", password="a-long-probe-passphrase-42")
c = Client(HTTP_HOST="example.org")
r = c.get("/accounts/login/", secure=True)
token = r.cookies["csrftoken"].value
r2 = c.post("/accounts/login/", {"username": "probe@example.org",
            "password": "a-long-probe-passphrase-42"}, secure=True)
plain = Client(HTTP_HOST="example.org").get("/accounts/login/")
print(json.dumps({
    "hsts": r.get("Strict-Transport-Security", ""),
    "csrf_secure": bool(r.cookies["csrftoken"]["secure"]),
    "csrf_httponly": bool(r.cookies["csrftoken"]["httponly"]),
    "session_secure": bool(r2.cookies[settings.SESSION_COOKIE_NAME]["secure"]),
    "session_httponly": bool(r2.cookies[settings.SESSION_COOKIE_NAME]["httponly"]),
    "login_status": r2.status_code,
    "http_redirect": plain.status_code,
    "http_location": plain.get("Location", ""),
    "xfo": r.get("X-Frame-Options", ""),
}))
"""


@pytest.mark.slow
def test_production_cookies_are_secure_and_hsts_is_sent(tmp_path, migrated_sqlite):
    # The probe's `migrate` finds nothing to do on a copy of the run's migrated schema.
    database = migrated_sqlite
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "p" * 60,
        "ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["login_status"] == 302
    assert "max-age=31536000" in probe["hsts"]
    assert "includeSubDomains" in probe["hsts"]
    assert probe["csrf_secure"] and probe["csrf_httponly"]
    assert probe["session_secure"] and probe["session_httponly"]
    assert probe["http_redirect"] == 301
    assert probe["http_location"].startswith("https://")
    assert probe["xfo"] == "DENY"


# ---------------------------------------------------------------- sign-in throttling, passwords


@pytest.mark.django_db
def test_axes_locks_out_after_five_failures_and_shows_the_page(client, reader):
    assert settings.AXES_FAILURE_LIMIT == 5
    for attempt in range(5):
        response = client.post(LOGIN, {"username": reader.email, "password": f"wrong{attempt}"})
        assert response.status_code == (429 if attempt == 4 else 200)
    response = client.post(LOGIN, {"username": reader.email, "password": factories.PASSWORD})
    assert response.status_code == 429
    assert "locked" in response.content.decode().lower()
    assert "_auth_user_id" not in client.session
    # Another person from the same address is not locked out (username + address).
    other = factories.UserFactory(email="other@example.org")
    other.set_password("a-good-long-passphrase-7")
    other.save()
    response = client.post(LOGIN, {"username": other.email, "password": "a-good-long-passphrase-7"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_weak_passwords_are_refused_by_the_password_change_form(client, reader):
    reader.set_password("old-passphrase-with-length-11")
    reader.save()
    client.force_login(reader)
    for weak in ("password", "12345678", "abc", reader.email):
        response = client.post(
            reverse("accounts:password_change"),
            {
                "old_password": "old-passphrase-with-length-11",
                "new_password1": weak,
                "new_password2": weak,
            },
        )
        assert response.status_code == 200, weak
        assert response.context["form"].errors["new_password2"], weak
    reader.refresh_from_db()
    assert reader.check_password("old-passphrase-with-length-11")
    with pytest.raises(ValidationError):
        validate_password("password")


# ---------------------------------------------------------------- CSRF


@pytest.mark.django_db
def test_csrf_is_enforced_on_posts_including_htmx(focal_lebanon):
    client = Client(enforce_csrf_checks=True)
    client.force_login(focal_lebanon)
    url = reverse("accounts:profile")
    data = {"full_name": "Changed without token", "language": "en"}
    assert client.post(url, data).status_code == 403
    assert client.post(url, data, HTTP_HX_REQUEST="true").status_code == 403
    assert client.post(reverse("accounts:logout")).status_code == 403
    focal_lebanon.refresh_from_db()
    assert focal_lebanon.full_name != "Changed without token"
    # With the token from the page (as htmx sends it from <body hx-headers>): accepted.
    page = client.get(url)
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else None
    token = token or client.cookies["csrftoken"].value
    assert "hx-headers=" in page.content.decode()
    response = client.post(url, data, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token)
    assert response.status_code in (200, 204, 302)
    focal_lebanon.refresh_from_db()
    assert focal_lebanon.full_name == "Changed without token"


@pytest.mark.django_db
def test_anonymous_login_post_needs_csrf(reader):
    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"username": reader.email, "password": factories.PASSWORD})
    assert response.status_code == 403


# ---------------------------------------------------------------- uploads


def test_uploads_live_outside_static():
    media = Path(settings.MEDIA_ROOT).resolve()
    for folder in [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]:
        folder = Path(folder).resolve()
        assert not media.is_relative_to(folder)
        assert not folder.is_relative_to(media)
    assert not settings.MEDIA_URL.lstrip("/").startswith(settings.STATIC_URL.lstrip("/"))


@pytest.mark.django_db
def test_evidence_is_served_only_through_the_checked_view(client):
    world = build_world()
    evidence = world.objects["evidence"]
    name = evidence.file.name
    assert Path(evidence.file.path).exists()
    url = reverse("roadmap:evidence-download", args=[evidence.pk])
    # Anonymous: sent to sign in.
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    # Never from /static/ or the media URL, whoever asks.
    client.force_login(world.users["admin"])
    for path in (f"/static/{name}", f"{settings.MEDIA_URL}{name}", f"/media/{name}"):
        assert client.get(path).status_code == 404, path
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


# ---------------------------------------------------------------- pages that CSP would break


def test_the_inline_code_finder_finds_what_csp_blocks():
    """Every page's check (in the access table, tests/test_access_table.py) can fail: an inline
    script, a <style> element, and style= and on*= attributes are each found; a JSON script
    and a script file are not."""
    page = (
        '<p style="color: red" onclick="go()">x</p><style>p {}</style><script>go()</script>'
        '<script type="application/json">{"a": 1}</script><script src="/static/app.js"></script>'
    )
    problems = inline_code(page)
    assert len(problems) == 4, problems
    assert [p.split()[0] for p in problems] == ["<p", "<p", "<style>", "inline"]

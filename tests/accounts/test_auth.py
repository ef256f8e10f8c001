"""Signing in with e-mail, lock-out, password reset, language switch, profile, production settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
ROLES = ["anonymous", "admin", "reader", "staff", "focal"]


@pytest.fixture
def people(admin_user, reader, staff, focal_kenya):
    return {"admin": admin_user, "reader": reader, "staff": staff, "focal": focal_kenya}


def _login(client, email, password=factories.PASSWORD):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


class TestLogin:
    def test_login_page_describes_the_product(self, client, db):
        html = client.get(reverse("accounts:login")).content.decode()
        assert "MHPSS Roadmap Tracker" in html
        assert "psychosocial support" in html
        assert 'type="email"' in html

    def test_login_with_email_any_case(self, client, reader):
        response = _login(client, "Reader@Example.org")
        assert response.status_code == 302
        # Sign-in leads through the landing, which sends a reader (in no group) home.
        assert response["Location"] == reverse("workinggroups:landing")
        assert client.get(response["Location"])["Location"] == reverse("home")
        assert client.get(reverse("home")).status_code == 200

    def test_wrong_password_is_refused_with_a_message(self, client, reader):
        response = _login(client, reader.email, "wrong")
        assert response.status_code == 200
        assert "correct" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_lockout_after_five_failures(self, client, reader):
        for _ in range(5):
            _login(client, reader.email, "wrong")
        response = _login(client, reader.email)  # even the right password
        assert response.status_code == 429
        assert "locked" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_logout_is_post_only(self, client, reader):
        client.force_login(reader)
        assert client.get(reverse("accounts:logout")).status_code == 405
        response = client.post(reverse("accounts:logout"))
        assert response.status_code == 302
        assert client.get(reverse("home")).status_code == 302


class TestPasswordReset:
    def test_reset_mail_and_new_password(self, client, reader):
        response = client.post(reverse("accounts:password_reset"), {"email": reader.email})
        assert response.status_code == 302
        (message,) = mail.outbox
        assert "MHPSS Roadmap Tracker" in message.subject
        link = next(line for line in message.body.splitlines() if "/reset/" in line)
        path = link.split("testserver", 1)[1]
        response = client.get(path, follow=True)
        assert response.status_code == 200
        form_url = response.redirect_chain[-1][0]
        response = client.post(
            form_url, {"new_password1": "a-long-new-pass-42", "new_password2": "a-long-new-pass-42"}
        )
        assert response.status_code == 302
        reader.refresh_from_db()
        assert reader.check_password("a-long-new-pass-42")

    def test_unknown_address_sends_nothing_but_looks_the_same(self, client, db):
        response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
        assert response.status_code == 302
        assert mail.outbox == []

    def test_bad_link_is_explained(self, client, db):
        url = reverse("accounts:password_reset_confirm", args=["MQ", "bad-token"])
        assert "no longer works" in client.get(url).content.decode()


# Every accounts page for every role: (url name, expected GET status per role).
PAGES = {
    "accounts:login": dict.fromkeys(ROLES, 200) | {r: 302 for r in ROLES if r != "anonymous"},
    "accounts:password_reset": dict.fromkeys(ROLES, 200),
    "accounts:password_reset_done": dict.fromkeys(ROLES, 200),
    "accounts:password_reset_complete": dict.fromkeys(ROLES, 200),
    "accounts:profile": dict.fromkeys(ROLES, 200) | {"anonymous": 302},
    "accounts:password_change": dict.fromkeys(ROLES, 200) | {"anonymous": 302},
    "accounts:password_change_done": dict.fromkeys(ROLES, 200) | {"anonymous": 302},
    "accounts:set-language": dict.fromkeys(ROLES, 405),
    "accounts:logout": dict.fromkeys(ROLES, 405) | {"anonymous": 302},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(PAGES))
def test_accounts_pages_for_each_role(client, people, name, role):
    if role != "anonymous":
        client.force_login(people[role])
    response = client.get(reverse(name))
    assert response.status_code == PAGES[name][role]


class TestProfile:
    def test_edit_own_profile(self, client, staff):
        client.force_login(staff)
        response = client.post(
            reverse("accounts:profile"), {"full_name": "New Name", "language": "fr"}
        )
        assert response.status_code == 302
        staff.refresh_from_db()
        assert (staff.full_name, staff.language) == ("New Name", "fr")

    def test_bad_language_refused(self, client, staff):
        client.force_login(staff)
        response = client.post(reverse("accounts:profile"), {"full_name": "X", "language": "xx"})
        assert response.status_code == 200
        assert "is-invalid" in response.content.decode()
        staff.refresh_from_db()
        assert staff.full_name != "X"

    def test_cannot_change_own_role(self, client, reader):
        client.force_login(reader)
        client.post(
            reverse("accounts:profile"), {"full_name": "R", "language": "", "role": "admin"}
        )
        reader.refresh_from_db()
        assert reader.role == User.Role.READER


class TestLanguage:
    def test_switch_keeps_page_and_saves_profile(self, client, reader):
        area = factories.AreaFactory(roadmap=factories.RoadmapFactory(is_current=True))
        client.force_login(reader)
        page = reverse("roadmap:area", args=[area.number])
        response = client.post(reverse("accounts:set-language"), {"language": "ar", "next": page})
        assert response.status_code == 302
        assert response["Location"] == page
        reader.refresh_from_db()
        assert reader.language == "ar"
        html = client.get(page).content.decode()
        assert 'dir="rtl"' in html and "bootstrap.rtl.min.css" in html

    def test_anonymous_switch_sets_cookie_only(self, client, db):
        response = client.post(
            reverse("accounts:set-language"), {"language": "fr", "next": reverse("accounts:login")}
        )
        assert response.status_code == 302
        assert response.cookies["django_language"].value == "fr"

    def test_first_visit_offers_the_browser_language(self, client, db):
        page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="ar,en;q=0.5")
        html = page.content.decode()
        assert '<html lang="ar" dir="rtl">' in html
        page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
        assert '<html lang="es"' in page.content.decode()

    def test_profile_language_wins_over_the_browser(self, client, reader):
        reader.language = "fr"
        reader.save()
        client.force_login(reader)
        page = client.get(reverse("accounts:profile"), HTTP_ACCEPT_LANGUAGE="es")
        assert '<html lang="fr"' in page.content.decode()

    def test_focal_point_without_choice_gets_the_society_language(self, client, focal_lebanon):
        client.force_login(focal_lebanon)
        page = client.get(reverse("accounts:profile"), HTTP_ACCEPT_LANGUAGE="en")
        assert '<html lang="ar" dir="rtl">' in page.content.decode()

    def test_unknown_language_is_ignored(self, client, reader):
        client.force_login(reader)
        client.post(reverse("accounts:set-language"), {"language": "xx", "next": "/"})
        reader.refresh_from_db()
        assert reader.language == ""


@pytest.mark.parametrize(
    "env, missing",
    [({"ALLOWED_HOSTS": "example.org"}, "SECRET_KEY"), ({"SECRET_KEY": "x" * 50}, "ALLOWED_HOSTS")],
)
def test_production_refuses_to_start_without(env, missing):
    clean_env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
    }
    clean_env.update(env)
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings.production"],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert f"{missing} is not set" in result.stderr


def test_production_starts_with_both():
    clean_env = {
        "PATH": os.environ.get("PATH", ""),
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "example.org",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings.production as s; print(s.ALLOWED_HOSTS)"],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "example.org" in result.stdout

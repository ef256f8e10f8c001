"""Lockout that an attacker cannot turn against a user, behind a reverse proxy.

Every request comes from the proxy's address (REMOTE_ADDR); with TRUSTED_PROXY_COUNT=1 the
person's address is the last X-Forwarded-For entry, the one the proxy wrote. Failures from one
address lock only that address out; a password reset lifts the lock; reset e-mails are limited.
"""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from accounts.security import client_ip
from tests import factories

PROXY = "10.0.0.1"
ATTACKER = "203.0.113.9"
PERSON = "198.51.100.7"


@pytest.fixture(autouse=True)
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    cache.clear()
    yield
    cache.clear()


def _login(client, email, password, address, forwarded_prefix=""):
    return client.post(
        reverse("accounts:login"),
        {"username": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"{forwarded_prefix}{address}",
    )


def test_failures_from_an_attacker_do_not_lock_the_person_out_elsewhere(client, reader):
    for _ in range(6):
        _login(client, reader.email, "wrong", ATTACKER)
    # The attacker's address is locked, even with the right password...
    assert _login(client, reader.email, factories.PASSWORD, ATTACKER).status_code == 429
    # ...the person, through the same proxy from their own address, signs in.
    response = _login(client, reader.email, factories.PASSWORD, PERSON)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(reader.pk)


def test_a_forged_forwarded_header_cannot_borrow_the_persons_address(client, reader):
    # The attacker writes the person's address first; the proxy appends the real one.
    for _ in range(6):
        _login(client, reader.email, "wrong", ATTACKER, forwarded_prefix=f"{PERSON}, ")
    assert _login(client, reader.email, factories.PASSWORD, PERSON).status_code == 302


def test_admin_sign_in_is_not_locked_by_someone_else(client, admin_user):
    for _ in range(6):
        _login(client, admin_user.email, "wrong", ATTACKER)
    response = client.post(
        reverse("admin:login"),
        {"username": admin_user.email, "password": factories.PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=PERSON,
    )
    assert response.status_code == 302


def test_without_the_setting_the_proxy_address_is_used(settings, rf):
    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert client_ip(request) == PROXY
    settings.TRUSTED_PROXY_COUNT = 2  # two proxies: the first one wrote the client's address
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"1.1.1.1, {PERSON}, 10.0.0.2")
    assert client_ip(request) == PERSON
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=PERSON)  # chain too short
    assert client_ip(request) == PROXY


def _reset_password(client, user, new_password):
    client.post(
        reverse("accounts:password_reset"),
        {"email": user.email},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=PERSON,
    )
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/reset/" in line)
    response = client.get(link.split("testserver", 1)[1], follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302


def test_a_password_reset_lifts_the_lock(client, reader):
    for _ in range(6):
        _login(client, reader.email, "wrong", PERSON)
    assert _login(client, reader.email, factories.PASSWORD, PERSON).status_code == 429
    _reset_password(client, reader, "a-brand-new-pass-77")
    response = _login(client, reader.email, "a-brand-new-pass-77", PERSON)
    assert response.status_code == 302


def test_password_reset_requests_are_limited_per_address_and_per_email(client, reader, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "password-reset-address": (5, 3600),
        "password-reset-email": (3, 3600),
    }
    url = reverse("accounts:password_reset")
    statuses = [
        client.post(
            url, {"email": reader.email}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"
        ).status_code
        for n in range(5)
    ]
    # Every request looks the same (no hint whether the address has an account)...
    assert statuses == [302] * 5
    # ...but only three mails went to the person.
    assert len(mail.outbox) == 3
    # One address asking again and again is told to wait.
    for _ in range(5):
        client.post(
            url, {"email": "x@example.org"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER
        )
    response = client.post(
        url, {"email": "y@example.org"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER
    )
    assert response.status_code == 429
    assert "wait" in response.content.decode()
    assert response["Retry-After"] == "3600"


@pytest.mark.parametrize(
    "scope,method,url_name",
    [
        ("group-sheet-pdf", "get", "reports:group-sheet"),
        ("export", "get", "reports:export-workbook"),
        ("report-generate", "post", "reports:edition-generate"),
    ],
)
def test_expensive_work_is_limited_per_person(
    client, admin_user, settings, scope, method, url_name, monkeypatch
):
    from tests.reports.factories import EditionFactory

    monkeypatch.setattr("reports.rendering.report_pdf", lambda *a, **k: b"%PDF-1.7 fake")
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, scope: (2, 60)}
    client.force_login(admin_user)
    args = {
        "reports:group-sheet": [1],
        "reports:export-workbook": [],
        "reports:edition-generate": [EditionFactory().pk] if scope == "report-generate" else [],
    }[url_name]
    url = reverse(url_name, args=args)
    send = getattr(client, method)
    statuses = [
        send(url, {"language": "en"} if method == "post" else None).status_code for _ in range(3)
    ]
    assert 429 not in statuses[:2], statuses
    assert statuses[2] == 429
    response = send(url, {"language": "en"} if method == "post" else None)
    assert "wait 1 minutes" in response.content.decode() or "wait" in response.content.decode()
    # Another person is not held back by this one.
    other = factories.AdminFactory(email="other-admin@example.org")
    client.force_login(other)
    assert send(url, {"language": "en"} if method == "post" else None).status_code != 429


def test_readers_do_not_generate_archived_reports(client, reader):
    from reports.models import ReportRun
    from tests.reports.factories import EditionFactory

    edition = EditionFactory()
    client.force_login(reader)
    response = client.post(
        reverse("reports:edition-generate", args=[edition.pk]), {"language": "en"}
    )
    assert response.status_code == 403
    assert not ReportRun.objects.exists()

"""Shared fixtures: one person per role, and a signed-in client for each."""

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from tests import factories


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english_afterwards():
    """Each test starts in English: a page asked in Spanish (the locale middleware activates
    the language and leaves it active in the thread) does not leak into the next test."""
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def admin_user(db):
    return factories.AdminFactory(email="admin@example.org")


@pytest.fixture
def reader(db):
    return factories.ReaderFactory(email="reader@example.org")


@pytest.fixture
def staff(db):
    """Signed in, but no role: no working group, not a focal point."""
    return factories.UserFactory(email="staff@example.org")


@pytest.fixture
def kenya(db):
    return factories.NationalSocietyFactory(name="Kenya Red Cross Society", country="KE")


@pytest.fixture
def lebanon(db):
    return factories.NationalSocietyFactory(
        name="Lebanese Red Cross", country="LB", region="mena", default_language="ar"
    )


@pytest.fixture
def focal_kenya(kenya):
    return factories.FocalPointFactory(email="focal-kenya@example.org", organisation=kenya)


@pytest.fixture
def focal_lebanon(lebanon):
    return factories.FocalPointFactory(email="focal-lebanon@example.org", organisation=lebanon)


def client_for(client, user):
    client.force_login(user)
    return client


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need PostgreSQL; on SQLite they are skipped, not failed."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)

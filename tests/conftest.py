"""Shared fixtures: one person per role, and a signed-in client for each."""

import pytest
from django.utils import translation

from tests import factories


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _language_of_each_test():
    """Each test starts in English. A request's LocaleMiddleware leaves its language active in
    the thread after the response, so a test after a Spanish request saw Spanish messages."""

    translation.activate("en")
    yield
    translation.deactivate()


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

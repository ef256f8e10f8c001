"""Shared fixtures: one person per role, a signed-in client for each, and the demo world built
once per module."""

import itertools

import pytest
from django.db import transaction
from django.test.utils import override_settings
from django.utils import translation

from tests import factories, schema
from tests.helpers import World, build_world, refetched


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """SQLite test databases are made from the models, not the migrations (tests/schema.py)."""
    from django.conf import settings

    schema.schema_from_models(settings.DATABASES)


def pytest_sessionfinish(session):
    if not hasattr(session.config, "workerinput"):  # the controller, once every worker is done
        schema.remove_template()


@pytest.fixture
def migrated_sqlite(tmp_path):
    """A SQLite file of its own with every migration applied, for a subprocess."""
    return schema.migrated_copy(tmp_path / "migrated.sqlite3")


@pytest.fixture(scope="session")
def _media_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


_media_roots = itertools.count()


@pytest.fixture(autouse=True)
def _media_root(request, settings, _media_folder):
    # A module sharing the demo world reads the files it wrote (evidence, PDFs) from one folder.
    if {"shared_world", "shared_demo"} & set(request.fixturenames):
        settings.MEDIA_ROOT = request.getfixturevalue("module_media")
    else:
        # A folder of its own, made only when a file is saved: pytest's `tmp_path` for every
        # test made (and later deleted) thousands of folders, seconds of each run.
        settings.MEDIA_ROOT = _media_folder / f"test-{next(_media_roots)}"


@pytest.fixture(scope="module")
def module_media(tmp_path_factory):
    return tmp_path_factory.mktemp("module-media")


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker, module_media):
    """The demo data (`build_world`), built once per module and xdist worker inside a transaction
    rolled back at the end; each test runs in a savepoint of it (pytest-django's ``db``), so every
    test sees the same data and none sees another's writes."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=module_media):
        with transaction.atomic():
            yield build_world()
            transaction.set_rollback(True)


@pytest.fixture(scope="module")
def shared_demo(django_db_setup, django_db_blocker, module_media):
    """The roadmap's reference data and the demo accounts (`load_roadmap`, `load_demo`), loaded
    once per module and xdist worker like `shared_world`; use it with `db`."""
    from django.core.management import call_command

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=module_media):
        with transaction.atomic():
            call_command("load_roadmap", verbosity=0)
            call_command("load_demo", verbosity=0)
            yield
            transaction.set_rollback(True)


@pytest.fixture
def world(shared_world, db) -> World:
    """The shared world with its objects read again, so one test's in-memory changes to them
    never reach the next."""
    return refetched(shared_world)


@pytest.fixture(autouse=True)
def _no_shared_world_under_a_transactional_test(request):
    """A transactional test (it commits) must not run inside a module's shared-world transaction."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction"))
    if transactional or {"transactional_db", "live_server"} & set(request.fixturenames):
        from django.db import connection

        assert not connection.in_atomic_block, (
            "a transactional test ran while a shared world's transaction was open: "
            "move it to a module that does not use `shared_world`"
        )


@pytest.fixture(autouse=True)
def _language_of_each_test():
    """Each test starts in English. A request's LocaleMiddleware leaves its language active in
    the thread after the response, so a test after a Spanish request saw Spanish messages."""

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def frozen_today(monkeypatch):
    """The code's "today" is the day the module's dates were written from (tests.helpers.TODAY):
    a module imported before midnight and run after it saw two days."""
    from roadmap import figures
    from tests.helpers import TODAY

    monkeypatch.setattr(figures, "today", lambda: TODAY)
    return TODAY


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


@pytest.hookimpl(trylast=True)  # after pytest-django's own ordering
def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need PostgreSQL; on SQLite they are skipped, not failed.

    Tests marked `slow` go first: started last, one of them would keep a worker busy alone at the
    end of a parallel run (`--dist worksteal` then shares out what remains)."""
    from django.db import connection

    items[:] = _slow_first_on_every_worker(items, config)

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def _slow_first_on_every_worker(items, config) -> list:
    """`--dist worksteal` hands each of n workers one contiguous share of the list (the first
    len/n to the first, and so on), and steals from the ends of the shares. So the slow tests
    are dealt out to the starts of the shares, one each in turn: sorted to the front, they all
    went to the first worker, which ran them one after another (the two accessibility sweeps,
    ten minutes, on one worker)."""
    workers = getattr(config, "workerinput", {}).get("workercount", 1)
    slow = [item for item in items if "slow" in item.keywords]
    rest = [item for item in items if "slow" not in item.keywords]
    shares: list[list] = [slow[number::workers] for number in range(workers)]
    ordered, total = [], len(items)
    for number, share in enumerate(shares):
        size = (total - len(ordered)) // (workers - number)
        take = max(0, size - len(share))
        ordered += share + rest[:take]
        rest = rest[take:]
    return ordered + rest

"""Synthetic demo data at Movement scale (and beyond) for `seed_demo` and the benchmarks.

Everything created here is marked as demo: organisations have `is_demo` set, names and titles
start with "[demo]", e-mail addresses end in "@demo.example.org". Rows go in with bulk inserts
(COPY on PostgreSQL for the answers, the largest table), so scale 1 takes seconds, not minutes.

The reference data (`load_roadmap`: National Societies, roadmap, working groups, questionnaire,
rounds) must be loaded first; the generator builds on it.

This module makes the societies and their focal points (accounts, below the roadmap) and then
hands a ``Batch`` to the ``synthetic`` module of every app above it (``workinggroups``,
``surveys``, in INSTALLED_APPS order), each of which makes its own rows with
``generate(batch)`` and may say whether demo data exists with ``is_seeded()``: the base app
names none of them.
"""

from __future__ import annotations

import importlib
import importlib.util
import itertools
from dataclasses import dataclass, field
from types import ModuleType

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone, translation

from accounts.models import Organisation, Region, User
from roadmap.models import ProgressStatus, Roadmap
from roadmap.seed import reference_roadmap

DEMO = "[demo]"
DEMO_DOMAIN = "demo.example.org"
DEMO_PASSWORD = "roadmap-demo"
REGIONS = [r.value for r in Region]
STATUSES = [s.value for s in ProgressStatus]


@dataclass
class Sizes:
    """What scale 1 holds; every count is multiplied by the scale."""

    # None: the real National Societies (about 190); a number: that many (tests use 4). Beyond
    # the real ones, synthetic societies (`is_demo`) that reuse real countries and regions.
    societies: int | None = None
    focal_points_per_society: int = 2
    members_per_group: int = 50
    deliverables: int = 60
    updates_per_deliverable: int = 10
    evidence_files: int = 3
    resources: int = 2000
    meetings_per_group: int = 12
    # None: the reference rounds only; a number: that many survey rounds in all, the missing
    # ones closed demo rounds of the years before the earliest, every one answered.
    rounds: int | None = None
    counts: dict = field(default_factory=dict)


TINY = dict(
    societies=4,
    focal_points_per_society=1,
    members_per_group=3,
    deliverables=4,
    updates_per_deliverable=3,
    evidence_files=1,
    resources=10,
    meetings_per_group=1,
)


@dataclass
class Batch:
    """What every app's generator builds on: the sizes (and the counts it adds to), the scale,
    the current roadmap, the societies, their focal points and the author of updates."""

    sizes: Sizes
    scale: int
    roadmap: Roadmap
    societies: list[Organisation]
    people: list[User]
    author: User
    focal_by_society: dict[int, int]


def app_generators() -> list[ModuleType]:
    """The ``synthetic`` module of every installed app above the roadmap, in INSTALLED_APPS
    order (working groups before surveys), each with ``generate(batch)``."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.synthetic"
        if config.name == "roadmap" or importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        if hasattr(module, "generate"):
            found.append(module)
    return found


def is_seeded() -> bool:
    return Organisation.objects.filter(is_demo=True).exists() or any(
        module.is_seeded() for module in app_generators() if hasattr(module, "is_seeded")
    )


# ---------------------------------------------------------------- societies and people


def _societies(sizes: Sizes, scale: int) -> list[Organisation]:
    """The societies of the data set: the real ones first, then synthetic ones up to the size.

    Synthetic societies (`is_demo`) take the country, region and language of the real ones in
    turn; the one-society-per-country constraint holds for real societies only.
    """
    from django_countries import countries

    existing = list(Organisation.objects.national_societies().active().order_by("name"))
    wanted = (sizes.societies if sizes.societies is not None else len(existing)) * scale
    if wanted <= len(existing):
        return existing[:wanted]
    models = [s for s in existing if not s.is_demo] or [
        Organisation(country=code, region=REGIONS[i % len(REGIONS)])
        for i, (code, _name) in enumerate(countries)
    ]
    start = Organisation.objects.filter(is_demo=True).count()
    with translation.override("en"):
        country_names = {code: str(name) for code, name in countries}
    new = []
    for i in range(wanted - len(existing)):
        model, number = models[i % len(models)], start + i + 1
        country = model.country.code
        new.append(
            Organisation(
                name=f"{DEMO} Society {number:05d} ({country_names.get(country, country)})",
                short_name=f"Demo NS {number}",
                kind=Organisation.Kind.NATIONAL_SOCIETY,
                country=country,
                region=model.region,
                default_language=model.default_language,
                is_demo=True,
            )
        )
    # Both PostgreSQL and SQLite (3.35+) return the new primary keys from a bulk insert.
    Organisation.objects.bulk_create(new, batch_size=1000)
    sizes.counts["societies created"] = len(new)
    return existing + new


def _focal_points(sizes: Sizes, societies: list[Organisation]) -> list[User]:
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing per person takes minutes
    start = User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").count()
    people = []
    for n, (society, k) in enumerate(
        itertools.product(societies, range(sizes.focal_points_per_society))
    ):
        people.append(
            User(
                email=f"focal-{start + n + 1:06d}@{DEMO_DOMAIN}",
                full_name=f"{DEMO} Focal point {k + 1} of {society.short_name or society.name}",
                organisation=society,
                is_focal_point=True,
                role=User.Role.STAFF,
                password=password,
                language=society.default_language,
            )
        )
    User.objects.bulk_create(people, batch_size=1000)
    sizes.counts["focal points"] = len(people)
    return people


# ---------------------------------------------------------------- history


HISTORY_REASON = f"{DEMO} generated"


def _tracked_models() -> list:
    """Every model with simple_history records, with the history model that holds them."""
    found = []
    for model in apps.get_models():
        attribute = getattr(model._meta, "simple_history_manager_attribute", None)
        if attribute:
            found.append((model, getattr(model, attribute).model))
    return found


def _add_history(model, history, after_pk: int, now) -> int:
    """One creation record ("+") for every row of `model` past `after_pk` that has none, in a
    single INSERT … SELECT: bulk inserts skip the signals that write history one row at a time.

    The record is dated by the row's own `updated_at` (an answer of a 2015 round in 2015) and
    signed by its `updated_by` when the model has them.
    """
    quote = connection.ops.quote_name
    source = {f.column for f in model._meta.concrete_fields}
    columns, values, params = [], [], []
    for history_field in history._meta.concrete_fields:
        column = history_field.column
        if column == "history_id":
            continue
        if column in source:
            value = f"s.{quote(column)}"
        elif column == "history_date" and "updated_at" in source:
            value = f"s.{quote('updated_at')}"
        elif column == "history_date":
            value, params = "%s", [*params, connection.ops.adapt_datetimefield_value(now)]
        elif column == "history_type":
            value, params = "%s", [*params, "+"]
        elif column == "history_change_reason":
            value, params = "%s", [*params, HISTORY_REASON]
        elif column == "history_user_id":
            value = f"s.{quote('updated_by_id')}" if "updated_by_id" in source else "NULL"
        else:
            raise RuntimeError(f"No value for the history column {history.__name__}.{column}.")
        columns.append(quote(column))
        values.append(value)
    pk = quote(model._meta.pk.column)
    # Names come from the models' metadata, never from input.
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {', '.join(values)} FROM {quote(model._meta.db_table)} s "
        f"WHERE s.{pk} > %s AND NOT EXISTS "
        f"(SELECT 1 FROM {quote(history._meta.db_table)} h WHERE h.{pk} = s.{pk})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, after_pk])
        return cursor.rowcount


# ---------------------------------------------------------------- entry point


@transaction.atomic
def generate(*, scale: int = 1, sizes: Sizes | None = None) -> dict:
    """Create the demo data set at `scale`; returns what was created, by kind."""
    if scale < 1:
        raise ValueError("The scale is a whole number from 1.")
    sizes = sizes or Sizes()
    if sizes.rounds is not None and sizes.rounds < 1:
        raise ValueError("The number of rounds is a whole number from 1.")
    tracked = _tracked_models()
    last_pk = {model: model.objects.aggregate(last=Max("pk"))["last"] or 0 for model, _h in tracked}
    roadmap = reference_roadmap()  # the demo roadmap its rounds and groups belong to
    if roadmap is None:
        raise RuntimeError("Load the reference data first: manage.py load_roadmap.")
    societies = _societies(sizes, scale)
    people = _focal_points(sizes, societies)
    focal_by_society = {}
    for person in people:
        focal_by_society.setdefault(person.organisation_id, person.pk)
    author = (
        User.objects.filter(is_active=True, role=User.Role.ADMIN).order_by("id").first()
        or people[0]
    )
    batch = Batch(
        sizes=sizes,
        scale=scale,
        roadmap=roadmap,
        societies=societies,
        people=people,
        author=author,
        focal_by_society=focal_by_society,
    )
    for module in app_generators():
        module.generate(batch)
    now = timezone.now()
    sizes.counts["history records"] = sum(
        _add_history(model, history, last_pk[model], now) for model, history in tracked
    )
    return dict(sizes.counts)

"""Load the roadmap's reference data from fixtures/, creating only what is missing.

Edits made in the app are never overwritten, so loading twice changes nothing: a row is
looked up by what it is called in the fixtures now *or once was* (its history), so a renamed
row is not created again beside the renamed one (``live_or_renamed``, ``ever_existed``).
"""

import csv
import datetime
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from accounts.models import Organisation
from core.translated import fill_empty_translations
from roadmap.models import (
    Commitment,
    ExpectedResult,
    Indicator,
    IndicatorValue,
    OperativeParagraph,
    PriorityActionArea,
    PublicSummary,
    Roadmap,
)

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def live_or_renamed(model, **lookup):
    """The row that has these values now, or had them once and was since changed by someone
    (found through its simple_history records); None if there never was one."""
    row = model._default_manager.filter(**lookup).first()
    if row is None:
        ids = model.history.filter(**lookup).values_list("id", flat=True)
        row = model._default_manager.filter(pk__in=ids).order_by("pk").first()
    return row


def reference_roadmap():
    """The roadmap the reference data and the demo describe: the first one in
    fixtures/roadmap.json (a renamed one too); the current roadmap if it is not loaded.

    Loaders fill this one, not the current roadmap: once a successor is current, running them
    again must not copy the first roadmap's groups, rounds or progress into it.
    """
    from .models import Roadmap

    data = json.loads((FIXTURES / "roadmap.json").read_text(encoding="utf-8"))
    for item in data["roadmaps"]:
        roadmap = live_or_renamed(Roadmap, name=item["name"])
        if roadmap is not None:
            return roadmap
    return Roadmap.objects.current()


def ever_existed(model, **lookup) -> bool:
    """A loader creates a row only if no row ever had these values: one renamed, ended or
    removed by a person stays as the person left it."""
    return (
        model._default_manager.filter(**lookup).exists() or model.history.filter(**lookup).exists()
    )


class Counter:
    """Counts what a load created, for a one-line summary."""

    def __init__(self):
        self.created: dict[str, int] = {}

    def add(self, label: str, created: bool) -> None:
        if created:
            self.created[label] = self.created.get(label, 0) + 1

    def __str__(self) -> str:
        if not self.created:
            return "nothing new"
        return ", ".join(f"{n} {label}" for label, n in sorted(self.created.items()))


def load_national_societies(path: Path | None = None, counter: Counter | None = None) -> Counter:
    counter = counter or Counter()
    path = path or FIXTURES / "national_societies.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            # Match on country: an admin may have corrected the name since. Only real societies
            # count: synthetic demo ones (`seed_demo`) reuse real countries.
            exists = (
                Organisation.objects.national_societies()
                .real()
                .filter(country=row["country"])
                .exists()
            )
            if not exists:
                Organisation.objects.create(
                    kind=Organisation.Kind.NATIONAL_SOCIETY,
                    name=row["name"],
                    short_name=row["short_name"],
                    country=row["country"],
                    region=row["region"],
                    default_language=row.get("default_language") or "en",
                    # Official names in other languages, where the file has them.
                    name_fr=row.get("name_fr") or "",
                    name_es=row.get("name_es") or "",
                    name_ar=row.get("name_ar") or "",
                )
            counter.add("National Societies", not exists)
    return counter


def _value(raw) -> Decimal | None:
    return None if raw is None else Decimal(str(raw))


def load_roadmap_data(path: Path | None = None, counter: Counter | None = None) -> Counter:
    counter = counter or Counter()
    data = json.loads((path or FIXTURES / "roadmap.json").read_text(encoding="utf-8"))

    for org in data["organisations"]:
        created = not ever_existed(Organisation, name=org["name"])
        if created:
            Organisation.objects.create(
                name=org["name"], short_name=org["short_name"], kind=org["kind"]
            )
        counter.add("organisations", created)

    for item in data["commitments"]:
        commitment, created = Commitment.objects.get_or_create(
            code=item["code"],
            defaults={
                "kind": item["kind"],
                "title": item["title"],
                "adopted_by": item["adopted_by"],
                "adopted_on": datetime.date.fromisoformat(item["adopted_on"]),
                "summary": item["summary"],
            },
        )
        counter.add("commitments", created)
        for op in item["operative_paragraphs"]:
            _, created = OperativeParagraph.objects.get_or_create(
                commitment=commitment, number=op["number"], defaults={"summary": op["summary"]}
            )
            counter.add("operative paragraphs", created)

    for item in data["roadmaps"]:
        # A roadmap an admin renamed is still this one: its areas are filled in, not copied.
        roadmap = live_or_renamed(Roadmap, name=item["name"])
        created = roadmap is None
        if created:
            roadmap = Roadmap.objects.create(
                name=item["name"],
                start_year=item["start_year"],
                end_year=item["end_year"],
                description=item["description"],
                is_current=item["is_current"]
                and not Roadmap.objects.filter(is_current=True).exists(),
            )
        counter.add("roadmaps", created)
        if created:
            roadmap.commitments.set(Commitment.objects.filter(code__in=item["commitments"]))
        PublicSummary.objects.get_or_create(roadmap=roadmap)
        for a in item["areas"]:
            area, created = PriorityActionArea.objects.get_or_create(
                roadmap=roadmap,
                number=a["number"],
                defaults={
                    "title": a["title"],
                    "short_title": a["short_title"],
                    "description": a["description"],
                },
            )
            counter.add("priority action areas", created)
            results = {}
            for order, r in enumerate(a["results"]):
                result, created = ExpectedResult.objects.get_or_create(
                    area=area,
                    code=r["code"],
                    defaults={
                        "kind": r["kind"],
                        "title": r["title"],
                        "actor": r["actor"],
                        "description": r.get("description", ""),
                        "order": order,
                    },
                )
                results[r["code"]] = result
                counter.add("expected results", created)
            for order, i in enumerate(a["indicators"]):
                values = i["values"]
                baseline = values[0] if values else None
                # Codes are unique within a roadmap: a successor's carried-over copies keep them.
                indicator, created = Indicator.objects.get_or_create(
                    code=i["code"],
                    area__roadmap=roadmap,
                    defaults={
                        "area": area,
                        "result": results.get(i.get("result")),
                        "name": i["name"],
                        "unit": i["unit"],
                        "direction": i["direction"],
                        "means_of_verification": i["means_of_verification"],
                        "baseline_value": _value(baseline["value"]) if baseline else None,
                        "baseline_year": baseline["year"] if baseline else None,
                        "target_value": _value(i.get("target_value")),
                        "target_year": i.get("target_year"),
                        "order": order,
                    },
                )
                counter.add("indicators", created)
                for v in values:
                    # The current value of that year and source (withdrawn ones stay beside).
                    _, created = IndicatorValue.objects.counted().get_or_create(
                        indicator=indicator,
                        year=v["year"],
                        source=v["source"],
                        defaults={"value": _value(v["value"]), "note": v.get("note", "")},
                    )
                    counter.add("indicator values", created)
    return counter


def _english_sources() -> dict[str, dict[str, dict[str, str]]]:
    """The English each shipped roadmap translation was made from, keyed like
    content_translations.json (the working groups' entries are their own app's)."""
    data = json.loads((FIXTURES / "roadmap.json").read_text(encoding="utf-8"))["roadmaps"][0]
    sources: dict[str, dict[str, dict[str, str]]] = {
        "roadmaps": {data["name"]: {"name": data["name"], "description": data["description"]}},
        "areas": {},
        "results": {},
        "indicators": {},
    }
    for a in data["areas"]:
        sources["areas"][str(a["number"])] = {
            k: a.get(k, "") for k in ("title", "short_title", "description")
        }
        for r in a["results"]:
            sources["results"][r["code"]] = {k: r.get(k, "") for k in ("title", "description")}
        for i in a["indicators"]:
            sources["indicators"][i["code"]] = {k: i.get(k, "") for k in ("name", "description")}
    return sources


def fill_shipped_translations(kind: str, objects: dict, sources: dict, counter: Counter) -> None:
    """Fill empty French, Spanish and Arabic fields of ``objects`` (key -> object) from the
    ``kind`` entries of fixtures/content_translations.json; ``sources`` (key -> field ->
    English) is the English each translation was made from. Any app's seed calls this for its
    own kinds (workinggroups.seed for "working_groups")."""
    path = FIXTURES / "content_translations.json"
    if not path.exists():
        return
    shipped = json.loads(path.read_text(encoding="utf-8")).get(kind, {})
    for key, fields in shipped.items():
        obj = objects.get(key)
        if obj is None:
            continue
        values = {
            f"{field}_{code}": text
            for field, languages in fields.items()
            # Only while the English it was made from is unchanged.
            if getattr(obj, field) == sources.get(key, {}).get(field) != ""
            for code, text in languages.items()
            if hasattr(obj, f"{field}_{code}")
        }
        if fill_empty_translations(obj, values, "translations loaded from fixtures"):
            counter.add(f"translated {kind.replace('_', ' ')}", True)


def load_content_translations(counter: Counter | None = None) -> Counter:
    """Fill empty French, Spanish and Arabic fields of the roadmap's content from
    fixtures/content_translations.json.

    A translation is used only while the English it was made from is unchanged, and a field
    someone has filled is never overwritten.
    """
    counter = counter or Counter()
    sources = _english_sources()
    roadmap = Roadmap.objects.filter(name__in=sources["roadmaps"]).first()
    if roadmap is None:
        return counter
    objects: dict[str, dict] = {
        "roadmaps": {roadmap.name: roadmap},
        "areas": {str(a.number): a for a in roadmap.areas.all()},
        "results": {r.code: r for r in ExpectedResult.objects.filter(area__roadmap=roadmap)},
        "indicators": {i.code: i for i in Indicator.objects.filter(area__roadmap=roadmap)},
    }
    for kind, found in objects.items():
        fill_shipped_translations(kind, found, sources[kind], counter)
    return counter


@transaction.atomic
def load_all(stdout=None) -> Counter:
    """Everything `make run` needs before demo accounts: societies, roadmap, groups, questionnaire."""
    counter = Counter()
    load_national_societies(counter=counter)
    load_roadmap_data(counter=counter)
    return counter

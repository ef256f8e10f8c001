"""Synthetic demo data at Movement scale (and beyond) for `seed_demo` and the benchmarks.

Everything created here is marked as demo: organisations have `is_demo` set, names and titles
start with "[demo]", e-mail addresses end in "@demo.example.org". Rows go in with bulk inserts
(COPY on PostgreSQL for the answers, the largest table), so scale 1 takes seconds, not minutes.

The reference data (`load_roadmap`: National Societies, roadmap, working groups, questionnaire,
rounds) must be loaded first; the generator builds on it.
"""

from __future__ import annotations

import datetime
import itertools
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone, translation

from accounts.models import Organisation, Region, User
from roadmap.models import Evidence, ProgressStatus, ProgressUpdate, Roadmap
from surveys.models import Answer, Question, Response, SurveyRound
from workinggroups.models import (
    ActionItem,
    Deliverable,
    FrameworkLayer,
    Meeting,
    Membership,
    Resource,
    WorkingGroup,
    Workplan,
)

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


def is_seeded() -> bool:
    return Organisation.objects.filter(is_demo=True).exists() or (
        Resource.objects.filter(title__startswith=DEMO).exists()
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


# ---------------------------------------------------------------- working groups


def _memberships(sizes, scale, groups, societies) -> None:
    today = timezone.localdate()
    rows = []
    for offset, group in enumerate(groups):
        already = set(
            group.memberships.exclude(organisation=None).values_list("organisation_id", flat=True)
        )
        want = min(sizes.members_per_group * scale, len(societies))
        # Each group starts at a different society so the groups overlap only partly.
        start = offset * len(societies) // max(len(groups), 1)
        chosen = [societies[(start + i) % len(societies)] for i in range(want)]
        for i, society in enumerate(chosen):
            if society.pk in already:
                continue
            rows.append(
                Membership(
                    working_group=group,
                    organisation=society,
                    role=Membership.Role.OBSERVER if i % 10 == 9 else Membership.Role.MEMBER,
                    joined_on=today - datetime.timedelta(days=30 + (i * 7) % 900),
                )
            )
    Membership.objects.bulk_create(rows, batch_size=1000)
    sizes.counts["memberships"] = len(rows)


def _workplans(groups) -> dict:
    year = timezone.localdate().year
    plans = {}
    for group in groups:
        plan, _created = Workplan.objects.get_or_create(
            working_group=group, year=year, defaults={"summary": f"{DEMO} workplan {year}"}
        )
        plans[group.pk] = plan
    return plans


def _write_evidence_file(index: int) -> str:
    """A small text file under MEDIA_ROOT/evidence/ with a random name, as uploads get."""
    name = f"evidence/{uuid.uuid4().hex}.txt"
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"Demo evidence file {index}: attendance list of a webinar.\n")
    return name


def _deliverables(sizes, scale, groups, plans, author) -> None:
    kinds = [k.value for k in Deliverable.Kind]
    count = sizes.deliverables * scale
    start = Deliverable.objects.filter(title__startswith=DEMO).count()
    today = timezone.localdate()
    deliverables = []
    for i in range(count):
        group = groups[i % len(groups)]
        deliverables.append(
            Deliverable(
                workplan=plans[group.pk],
                working_group=group,  # bulk_create skips save(), which copies it from the plan
                title=f"{DEMO} Deliverable {start + i + 1}: {kinds[i % len(kinds)]} for WG"
                f"{group.number}",
                kind=kinds[i % len(kinds)],
                description="Synthetic deliverable for demonstrations and benchmarks.",
                due_date=today + datetime.timedelta(days=(i * 11) % 400 - 100),
            )
        )
    Deliverable.objects.bulk_create(deliverables, batch_size=1000)
    content_type = ContentType.objects.get_for_model(Deliverable)
    updates = []
    for deliverable in deliverables:
        for k in range(sizes.updates_per_deliverable):
            updates.append(
                ProgressUpdate(
                    content_type=content_type,
                    object_id=deliverable.pk,
                    date=today - datetime.timedelta(days=30 * (sizes.updates_per_deliverable - k)),
                    status=STATUSES[(deliverable.pk + k) % len(STATUSES)],
                    percent_complete=min(100, 10 * (k + 1)),
                    narrative=f"{DEMO} Update {k + 1}: webinars held, materials translated.",
                    blockers="Funding for translation." if k % 4 == 3 else "",
                    next_steps="Next webinar of the series.",
                    author=author,
                )
            )
    ProgressUpdate.objects.bulk_create(updates, batch_size=1000)
    evidence = [
        Evidence(
            update=update,
            title=f"{DEMO} Report of update {n + 1}",
            url=f"https://example.org/demo/evidence/{update.pk}",
            added_by=author,
        )
        for n, update in enumerate(updates)
    ]
    for n, update in enumerate(updates[: sizes.evidence_files]):
        evidence.append(
            Evidence(
                update=update,
                title=f"{DEMO} Attendance list {n + 1}",
                file=_write_evidence_file(n),
                original_filename=f"attendance-{n + 1}.txt",
                content_type="text/plain",
                added_by=author,
            )
        )
    Evidence.objects.bulk_create(evidence, batch_size=1000)
    sizes.counts.update(
        {"deliverables": len(deliverables), "updates": len(updates), "evidence": len(evidence)}
    )


def _meetings(sizes, scale, groups, people) -> None:
    today = timezone.localdate()
    meetings = [
        Meeting(
            working_group=group,
            date=today - datetime.timedelta(days=30 * k),
            title=f"{DEMO} Monthly meeting {k + 1}",
            minutes="Synthetic minutes.",
            decisions="Synthetic decisions.",
        )
        for group in groups
        for k in range(sizes.meetings_per_group * scale)
    ]
    Meeting.objects.bulk_create(meetings, batch_size=1000)
    items = [
        ActionItem(
            meeting=meeting,
            description=f"{DEMO} Circulate the minutes ({k + 1})",
            owner=people[(n + k) % len(people)] if people else None,
            due_date=meeting.date + datetime.timedelta(days=14),
            is_done=k == 0,
        )
        for n, meeting in enumerate(meetings)
        for k in range(2)
    ]
    ActionItem.objects.bulk_create(items, batch_size=1000)
    sizes.counts.update({"meetings": len(meetings), "action items": len(items)})


def _resources(sizes, scale, groups, societies) -> None:
    kinds = [k.value for k in Resource.Kind]
    layers = [layer.value for layer in FrameworkLayer]
    languages = ["English", "English, French", "Spanish", "Arabic, English", "French"]
    start = Resource.objects.filter(title__startswith=DEMO).count()
    rows = []
    for i in range(sizes.resources * scale):
        society = societies[i % len(societies)]
        rows.append(
            Resource(
                title=f"{DEMO} Resource {start + i + 1:06d}: {kinds[i % len(kinds)]}",
                kind=kinds[i % len(kinds)],
                organisation=society,
                countries=[society.country.code],
                regions=",".join(sorted({REGIONS[i % 5], REGIONS[(i * 3) % 5]})),
                languages=languages[i % len(languages)],
                layer=layers[i % len(layers)],
                link=f"https://example.org/demo/resources/{start + i + 1}",
                notes="Synthetic entry of the mapping.",
                working_group=groups[i % len(groups)],
            )
        )
    Resource.objects.bulk_create(rows, batch_size=2000)
    sizes.counts["resources"] = len(rows)


# ---------------------------------------------------------------- surveys


def _sample(question: Question, choices: list[str], variant: int) -> str:
    """A plausible answer of the question's type; `variant` varies it between societies."""
    kind, seed = question.kind, variant + question.pk
    if kind == Question.Kind.YES_NO:
        return "no" if seed % 8 == 0 else "yes"
    if kind == Question.Kind.SINGLE:
        return choices[seed % len(choices)] if choices else ""
    if kind == Question.Kind.MULTIPLE:
        picked = [c for c in choices if c != "other"][variant % 3 :: 2]
        return " ".join(picked or choices[:1])
    if kind in (Question.Kind.INTEGER, Question.Kind.DECIMAL):
        low = int(question.min_value) if question.min_value is not None else 0
        high = int(question.max_value) if question.max_value is not None else low + 500
        return str(low + seed % max(high - low + 1, 1))
    if kind == Question.Kind.TEXT:
        return f"{DEMO} short answer {variant}"
    return f"{DEMO} A longer answer written for the demonstration, variant {variant}."


def _answer_profiles(questions: list[Question], count: int = 7) -> list[list[tuple[int, str]]]:
    """A few sets of answers, each respecting the questionnaire's display conditions."""
    from surveys.answers import visible_questions

    profiles = []
    for variant in range(count):
        values = {q.name: _sample(q, [c.name for c in q.choices.all()], variant) for q in questions}
        shown = visible_questions(questions, values)
        profiles.append([(q.pk, values[q.name]) for q in questions if q.pk in shown])
    return profiles


def _insert_answers(rows) -> int:
    """Insert (response_id, question_id, value, updated_by_id) rows as fast as the database can."""
    now = timezone.now()
    table = Answer._meta.db_table
    columns = "response_id, question_id, value, version, updated_at, updated_by_id"
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is an order of magnitude faster than INSERT for hundreds of thousands of rows.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for response_id, question_id, value, by in rows:
                    copy.write_row((response_id, question_id, value, 1, now, by))
                    count += 1
            return count
        stamp = connection.ops.adapt_datetimefield_value(now)
        # Table and column names are constants of this module, never user input.
        sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, 1, %s, %s)"  # noqa: S608
        batch = []
        for response_id, question_id, value, by in rows:
            batch.append((response_id, question_id, value, stamp, by))
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _surveys(sizes, scale, roadmap, societies, focal_by_society) -> None:
    rounds = list(SurveyRound.objects.filter(roadmap=roadmap).order_by("year", "id"))
    if not rounds:
        return
    # The reference rounds only (2019, 2021, endline): the societies grow with the scale.
    questionnaire = rounds[-1].questionnaire
    # Real societies the demo people answer for themselves stay unanswered in an open round.
    kept_open = {"KE", "LB", "CO", "SN"}
    now = timezone.now()
    existing = set(Response.objects.filter(round__in=rounds).values_list("round_id", "society_id"))
    responses = []
    for survey_round in rounds:
        is_open = survey_round.state == SurveyRound.State.OPEN
        for i, society in enumerate(societies):
            if (survey_round.pk, society.pk) in existing:
                continue
            if is_open and not society.is_demo and society.country.code in kept_open:
                continue
            # In an open round a quarter of the societies are still answering.
            submitted = not is_open or i % 4 != 3
            by = focal_by_society.get(society.pk)
            responses.append(
                Response(
                    round=survey_round,
                    society=society,
                    state=Response.State.SUBMITTED if submitted else Response.State.IN_PROGRESS,
                    submitted_at=now if submitted else None,
                    submitted_by_id=by if submitted else None,
                    last_activity_at=now,
                )
            )
    Response.objects.bulk_create(responses, batch_size=2000)
    questions = list(
        Question.objects.filter(questionnaire=questionnaire)
        .order_by("section__order", "section_id", "order", "id")
        .prefetch_related("choices")
    )
    profiles = _answer_profiles(questions)

    def rows():
        for n, response in enumerate(responses):
            profile = profiles[n % len(profiles)]
            if response.state == Response.State.IN_PROGRESS:
                profile = profile[: len(profile) // 2]
            by = focal_by_society.get(response.society_id)
            for question_id, value in profile:
                yield response.pk, question_id, value, by

    sizes.counts.update(
        {
            "survey rounds": len(rounds),
            "responses": len(responses),
            "answers": _insert_answers(rows()),
        }
    )


# ---------------------------------------------------------------- entry point


@transaction.atomic
def generate(*, scale: int = 1, sizes: Sizes | None = None) -> dict:
    """Create the demo data set at `scale`; returns what was created, by kind."""
    if scale < 1:
        raise ValueError("The scale is a whole number from 1.")
    sizes = sizes or Sizes()
    roadmap = Roadmap.objects.current()
    if roadmap is None:
        raise RuntimeError("Load the reference data first: manage.py load_roadmap.")
    groups = list(WorkingGroup.objects.filter(roadmap=roadmap).top_level().order_by("number"))
    if not groups:
        raise RuntimeError("No working groups: load the reference data first.")
    societies = _societies(sizes, scale)
    people = _focal_points(sizes, societies)
    focal_by_society = {}
    for person in people:
        focal_by_society.setdefault(person.organisation_id, person.pk)
    author = (
        User.objects.filter(is_active=True, role=User.Role.ADMIN).order_by("id").first()
        or people[0]
    )
    _memberships(sizes, scale, groups, societies)
    plans = _workplans(groups)
    _deliverables(sizes, scale, groups, plans, author)
    _meetings(sizes, scale, groups, people)
    _resources(sizes, scale, groups, societies)
    _surveys(sizes, scale, roadmap, societies, focal_by_society)
    return dict(sizes.counts)

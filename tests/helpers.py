"""Helpers shared by test modules: the demo world every role is tried against, the URL walk.

Test modules import from here, never from one another.
"""

import hashlib
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.models import Organisation, User

ROLES = [
    "anonymous",
    "admin",
    "reader",
    "staff",
    "colead_wg1",
    "member_wg1",
    "colead_wg4",
    "focal_kenya",
    "focal_lebanon",
]
SIGNED_IN = ROLES[1:]
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def walk(patterns=None, prefix="", namespace=""):
    """Yield (url name, route, kwarg names) for every pattern, recursing into includes."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("admin/") or route.startswith("static/"):
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            if route.startswith("static/") or route.startswith("media/"):
                continue
            name = f"{namespace}{entry.name}" if entry.name else None
            assert name, f"URL pattern {route!r} has no name: give it one and add it to EXPECT"
            yield name, route, sorted(entry.pattern.regex.groupindex)


# ---------------------------------------------------------------- data


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)


def build_world() -> World:
    from reports.models import ReportEdition, ReportRun
    from roadmap.models import (
        Evidence,
        ExpectedResult,
        IndicatorValue,
        ProgressStatus,
        ProgressUpdate,
        PublicSummary,
    )
    from roadmap.services import progress_update_create
    from surveys.models import Question, Response, SurveyRound
    from surveys.services import answer_save
    from workinggroups.models import (
        ActionItem,
        Deliverable,
        Meeting,
        Membership,
        Milestone,
        Resource,
        WorkingGroup,
    )

    call_command("load_roadmap", verbosity=0)
    call_command("load_demo", verbosity=0)
    world = World()
    by_email = {u.email: u for u in User.objects.all()}
    world.users = {
        "admin": by_email["admin@example.org"],
        "reader": by_email["reader@example.org"],
        "staff": User.objects.create_user(
            email="staff-norole@example.org", password="x-unused-9", full_name="No Role"
        ),
        "colead_wg1": by_email["colead-wg1@example.org"],
        "member_wg1": by_email["member-wg1@example.org"],
        "colead_wg4": by_email["colead-wg4@example.org"],
        "focal_kenya": by_email["focal-kenya@example.org"],
        "focal_lebanon": by_email["focal-lebanon@example.org"],
    }
    wg1 = WorkingGroup.objects.get(number=1, parent__isnull=True)
    wg4 = WorkingGroup.objects.get(number=4, parent__isnull=True)
    subgroup = WorkingGroup.objects.filter(parent__isnull=False).first()
    deliverable = Deliverable.objects.filter(working_group=wg1).order_by("pk").first()
    lebanon = Organisation.objects.national_societies().get(country="LB")
    kenya = Organisation.objects.national_societies().get(country="KE")
    survey_round = SurveyRound.objects.get(state=SurveyRound.State.OPEN)
    question = Question.objects.filter(questionnaire=survey_round.questionnaire).first()
    answer_save(
        survey_round=survey_round,
        society=lebanon,
        question=question,
        raw="Lebanon's own answer",
        expected_version=0,
        user=world.users["focal_lebanon"],
    )
    lebanon_response = Response.objects.get(round=survey_round, society=lebanon)
    # An update on an expected result WG1 covers, with evidence; a WG1 deliverable update.
    result = ExpectedResult.objects.filter(area__working_groups=wg1).order_by("pk").first()
    result_update = progress_update_create(
        subject=result,
        author=world.users["colead_wg1"],
        date=timezone.localdate(),
        status=ProgressStatus.ON_TRACK,
        percent_complete=20,
        narrative="Started.",
        blockers="",
        next_steps="",
        files=[("Minutes", SimpleUploadedFile("minutes.pdf", PDF, "application/pdf"))],
    )
    evidence = Evidence.objects.filter(update=result_update).first()
    deliverable_update = ProgressUpdate.objects.filter(
        content_type__model="deliverable",
        object_id=deliverable.pk,
        author=world.users["colead_wg1"],
    ).first()
    if deliverable_update is None:
        deliverable_update = progress_update_create(
            subject=deliverable,
            author=world.users["colead_wg1"],
            date=timezone.localdate(),
            status=ProgressStatus.ON_TRACK,
            percent_complete=10,
            narrative="Drafting.",
            blockers="",
            next_steps="",
        )
    milestone = Milestone.objects.filter(deliverable__working_group=wg1).first()
    if milestone is None:
        milestone = Milestone.objects.create(
            deliverable=deliverable, title="Draft", date=timezone.localdate()
        )
    PublicSummary.objects.update(is_published=True)
    edition = ReportEdition.objects.first()
    run = ReportRun(
        edition=edition,
        version=1,
        language="en",
        status=ReportRun.Status.DONE,
        created_by=world.users["admin"],
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
    )
    run.file.save("report.pdf", ContentFile(PDF), save=True)
    from jobs.models import Job

    job = Job.objects.create(
        owner=world.users["colead_wg1"], kind="reports.group_sheet", title="Sheet", status="done"
    )
    job.result.save("sheet.pdf", ContentFile(PDF), save=False)
    job.result_name = "sheet.pdf"
    job.save()
    world.objects = {
        "wg1": wg1,
        "wg4": wg4,
        "subgroup": subgroup,
        "deliverable": deliverable,
        "wg4_deliverable": Deliverable.objects.filter(working_group=wg4).first(),
        "wg4_workplan": wg4.workplans.first(),
        "membership": Membership.objects.filter(
            working_group=wg1, role="member", person__isnull=True
        ).first(),
        "meeting": Meeting.objects.filter(working_group=wg1).first(),
        "action_item": ActionItem.objects.filter(meeting__working_group=wg1).first(),
        "milestone": milestone,
        "resource": Resource.objects.filter(working_group=wg1).first(),
        "result": result,
        "result_update": result_update,
        "deliverable_update": deliverable_update,
        "evidence": evidence,
        "indicator_value": IndicatorValue.objects.first(),
        "round": survey_round,
        "lebanon": lebanon,
        "kenya": kenya,
        "lebanon_response": lebanon_response,
        "question": question,
        "edition": edition,
        "run": run,
        "job": job,
        "draft_round_questionnaire": survey_round.questionnaire,
    }
    assert evidence is not None and world.objects["action_item"] and world.objects["membership"]
    return world


def refetched(world: World) -> World:
    """The same world with every person and object read again from the database."""

    def again(obj):
        return type(obj)._base_manager.get(pk=obj.pk) if obj is not None else None

    return World(
        users={role: again(user) for role, user in world.users.items()},
        objects={name: again(obj) for name, obj in world.objects.items()},
    )


def kwargs_for(url_name: str, kwarg_names: list, world: World) -> dict:
    """Fill the URL kwargs; an unmapped kwarg fails with a message naming the pattern."""
    o = world.objects
    by_name = {
        "number": o["wg1"].number,
        "group_id": o["wg1"].pk,
        "round_pk": o["round"].pk,
        "society_pk": o["lebanon"].pk,
        "section_pk": o["question"].section_id,
        "question_pk": o["question"].pk,
        "questionnaire_pk": o["round"].questionnaire_id,
        "uidb64": "MQ",
        "token": "set-password",
        "fmt": "xlsx",
    }
    per_url = {
        "roadmap:area": {"number": o["result"].area.number},
        "roadmap:result": {"pk": o["result"].pk},
        "roadmap:update-edit": {"pk": o["result_update"].pk},
        "roadmap:indicator": {"pk": o["indicator_value"].indicator_id},
        "roadmap:indicator-value-edit": {"pk": o["indicator_value"].pk},
        "roadmap:indicator-value-withdraw": {"pk": o["indicator_value"].pk},
        "roadmap:indicator-value-restore": {"pk": o["indicator_value"].pk},
        "surveys:proposal-review": {"value_pk": o["indicator_value"].pk},
        "roadmap:evidence-download": {"pk": o["evidence"].pk},
        "workinggroups:subgroup": {"number": o["subgroup"].parent.number, "pk": o["subgroup"].pk},
        "workinggroups:membership-end": {"pk": o["membership"].pk},
        "workinggroups:deliverable": {"pk": o["deliverable"].pk},
        "workinggroups:deliverable-edit": {"pk": o["deliverable"].pk},
        "workinggroups:deliverable-archive": {"pk": o["deliverable"].pk},
        "workinggroups:progress-add": {"pk": o["deliverable"].pk},
        "workinggroups:progress-edit": {"pk": o["deliverable_update"].pk},
        "workinggroups:milestone-add": {"pk": o["deliverable"].pk},
        "workinggroups:milestone-edit": {"pk": o["milestone"].pk},
        "workinggroups:milestone-toggle": {"pk": o["milestone"].pk},
        "workinggroups:meeting": {"pk": o["meeting"].pk},
        "workinggroups:meeting-edit": {"pk": o["meeting"].pk},
        "workinggroups:action-add": {"pk": o["meeting"].pk},
        "workinggroups:action-toggle": {"pk": o["action_item"].pk},
        "workinggroups:resource-edit": {"pk": o["resource"].pk},
        "workinggroups:resource-archive": {"pk": o["resource"].pk},
        "reports:edition-detail": {"pk": o["edition"].pk},
        "reports:edition-update": {"pk": o["edition"].pk},
        "reports:edition-preview": {"pk": o["edition"].pk},
        "reports:edition-generate": {"pk": o["edition"].pk},
        "reports:edition-runs": {"pk": o["edition"].pk},
        "reports:run-download": {"pk": o["run"].pk},
        "jobs:detail": {"pk": o["job"].pk},
        "jobs:download": {"pk": o["job"].pk},
        "jobs:retry": {"pk": o["job"].pk},
        "reports:run-retry": {"pk": o["run"].pk},
        "reports:export-kind": {"kind": "resources", "fmt": "csv"},
    }
    values = {}
    for name in kwarg_names:
        if name in per_url.get(url_name, {}):
            values[name] = per_url[url_name][name]
        elif name in by_name and name != "pk":
            values[name] = by_name[name]
        else:
            pytest.fail(
                f"URL {url_name!r} has the kwarg {name!r} that nobody mapped: add the object it "
                "names to kwargs_for() and the expected statuses to EXPECT in "
                "tests/test_access_table.py"
            )
    return values

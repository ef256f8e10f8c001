"""Helpers shared by test modules: the demo world every role is tried against, the URL walk.

Test modules import from here, never from one another.
"""

import datetime
import hashlib
import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django import forms
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


# The day the tests' dates are written from: modules import it when they are collected, and
# the `frozen_today` fixture makes it the code's "today" (roadmap.figures.today) too, so a run
# that crosses midnight does not see two days.
TODAY = datetime.date.today()


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)


def build_world() -> World:
    from api import services as api_services
    from reports.models import ReportEdition, ReportRun
    from roadmap.models import (
        Evidence,
        ExpectedResult,
        IndicatorValue,
        ProgressStatus,
        ProgressUpdate,
        PublicSummary,
    )
    from roadmap.seed import reference_roadmap
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
    # The demo's groups, meetings and resources are the first roadmap's; its successor (the
    # current roadmap) carried groups 1 and 4 over with the same people.
    first = reference_roadmap()
    wg1 = WorkingGroup.objects.get(roadmap=first, number=1, parent__isnull=True)
    wg4 = WorkingGroup.objects.get(roadmap=first, number=4, parent__isnull=True)
    subgroup = WorkingGroup.objects.filter(roadmap=first, parent__isnull=False).first()
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
    # A request to join WG1 waiting for its co-leads (workinggroups.JoinRequest).
    from workinggroups.models import JoinRequest

    join_request = JoinRequest.objects.create(
        working_group=wg1,
        organisation=Organisation.objects.national_societies().get(country="CO"),
        full_name="Asking Person",
        email="asker@example.org",
        language="es",
        status=JoinRequest.Status.PENDING,
    )
    # A colleague invited to WG1 by its co-lead, not answered yet (workinggroups.Invitation).
    from workinggroups.invitations import invitation_create

    invitation = invitation_create(
        group=wg1,
        email="invited@example.org",
        organisation=kenya,
        invited_by=world.users["colead_wg1"],
    )
    world.objects = {
        "join_request": join_request,
        "invitation": invitation,
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
        # A personal API token of WG1's member (its owner may revoke it, and admins).
        "api_token": api_services.token_create(user=world.users["member_wg1"], name="Sheet")[0],
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
    from workinggroups.notifications import unsubscribe_token

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
        "roadmap:successor": {"pk": o["result"].area.roadmap_id},
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
        **{
            f"{name}-{action}": {"pk": o[key].pk}
            for name, key in (
                ("roadmap:update", "result_update"),
                ("roadmap:evidence", "evidence"),
                ("workinggroups:deliverable", "deliverable"),
                ("workinggroups:milestone", "milestone"),
                ("workinggroups:meeting", "meeting"),
                ("workinggroups:action", "action_item"),
                ("workinggroups:resource", "resource"),
            )
            for action in ("archive", "restore")
        },
        "api:revoke": {"pk": o["api_token"].pk},
        "api:indicator_history": {"indicator_id": o["indicator_value"].indicator_id},
        "api:deliverable_list": {"group_id": o["wg1"].pk},
        "workinggroups:progress-add": {"pk": o["deliverable"].pk},
        "workinggroups:progress-edit": {"pk": o["deliverable_update"].pk},
        "workinggroups:milestone-add": {"pk": o["deliverable"].pk},
        "workinggroups:milestone-edit": {"pk": o["milestone"].pk},
        "workinggroups:milestone-toggle": {"pk": o["milestone"].pk},
        "workinggroups:meeting": {"pk": o["meeting"].pk},
        "workinggroups:meeting-edit": {"pk": o["meeting"].pk},
        "workinggroups:meeting-ics": {"pk": o["meeting"].pk},
        "workinggroups:action-add": {"pk": o["meeting"].pk},
        "workinggroups:action-edit": {"pk": o["action_item"].pk},
        "workinggroups:action-toggle": {"pk": o["action_item"].pk},
        "workinggroups:resource-edit": {"pk": o["resource"].pk},
        "workinggroups:join-request-accept": {"pk": o["join_request"].pk},
        "workinggroups:join-request-decline": {"pk": o["join_request"].pk},
        "workinggroups:invitation-resend": {"pk": o["invitation"].pk},
        "workinggroups:invitation-revoke": {"pk": o["invitation"].pk},
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
        "workinggroups:group-export": {"group_id": o["wg1"].pk, "kind": "meetings", "fmt": "xlsx"},
        # The reader's own digest link, signed (a forged one is tested with the e-mails).
        "workinggroups:unsubscribe": {
            "kind": "digest",
            "token": unsubscribe_token(world.users["reader"], "digest"),
        },
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


def xlsform_import(client, upload, name: str, capture=None, *, confirm: bool = True):
    """Upload a form to the questionnaire import as the signed-in admin and run its jobs as the
    worker would (``capture``: pytest-django's django_capture_on_commit_callbacks, by default
    the TestCase method it wraps; the test backend runs a task when it is queued): the check,
    then, when it passed and ``confirm``, the write. Returns (upload response, check job, write
    job or None); the check job is None when the upload itself was refused."""
    from django.test import TestCase
    from django.urls import reverse

    from jobs.models import Job

    capture = capture or TestCase.captureOnCommitCallbacks
    before = Job.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with capture(execute=True):
        page = client.post(reverse("surveys:questionnaire-import"), {"name": name, "file": upload})
    check = Job.objects.filter(kind="questionnaires.check", pk__gt=before).order_by("pk").last()
    if check is None or not confirm or not check.summary.get("valid"):
        return page, check, None
    with capture(execute=True):
        client.post(reverse("surveys:questionnaire-import-confirm"), {"job": check.pk})
    write = Job.objects.filter(kind="questionnaires.write", pk__gt=check.pk).order_by("pk").last()
    return page, check, write


def form_data(form) -> dict:
    """What the browser would post for this form as rendered (initial or bound values)."""
    data = {}
    for bound in form:
        widget = bound.field.widget
        if isinstance(widget, forms.FileInput):
            continue
        value = bound.value()
        if isinstance(widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
            continue
        if value is None:
            continue
        if isinstance(widget, forms.SplitDateTimeWidget):
            if isinstance(value, datetime.datetime):
                value = [value.date().isoformat(), value.time().isoformat(timespec="seconds")]
            for index, part in enumerate(value if isinstance(value, (list, tuple)) else []):
                data[f"{bound.html_name}_{index}"] = str(part or "")
            continue
        if isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(v) for v in value]
        elif isinstance(value, datetime.date):
            data[bound.html_name] = value.isoformat()
        else:
            data[bound.html_name] = str(value)
    return data


def admin_form_data(response) -> dict:
    """What the browser posts from an admin change page: the form, each inline formset (with
    its management form) and the hidden version as the page itself renders it."""
    data = form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(form_data(formset.management_form))
        for form in formset.forms:
            data.update(form_data(form))
    found = re.search(r'name="_version" value="([^"]+)"', response.content.decode())
    if found:
        data["_version"] = html.unescape(found.group(1))
    return data


def with_version(row, data: dict, admin: bool = False) -> dict:
    """What an edit form posts: ``data`` and the version of the row as it is stored now (the
    hidden ``version`` field of the app's forms, ``_version`` in the admin)."""
    from core.concurrency import ADMIN_VERSION_FIELD, VERSION_FIELD, version_token

    fresh = type(row)._base_manager.get(pk=row.pk)
    return {**data, (ADMIN_VERSION_FIELD if admin else VERSION_FIELD): version_token(fresh)}


# Interface words that must not show untranslated on an Arabic page (whole words, case-sensitive).
# Text inside an element declared lang="en" (English content with no translation, such as the
# figures' rules or a title nobody translated) is English on purpose and is not counted.
ENGLISH_UI = [
    "At a glance",
    "Working groups",
    "Working group",
    "Resources",
    "Survey",
    "Reports",
    "Administration",
    "Sign out",
    "Language",
    "Save",
    "Cancel",
    "Edit",
    "Download",
    "Progress",
    "Status",
    "Deliverables",
    "Meetings",
    "Indicator",
    "Results",
    "Submit",
    "Preview",
    "Back to the edition",
    "Not started",
    "not started",
    "in progress",
    "submitted",
    "On track",
    "Completed",
    "Previous",
    "Next",
]
ENGLISH_UI_RE = re.compile(r"\b(" + "|".join(re.escape(word) for word in ENGLISH_UI) + r")\b")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _UndeclaredText(HTMLParser):
    """The text of a page outside <script>, <style>, <head> and elements declared lang="en"."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        lang = (dict(attrs).get("lang") or "").split("-")[0]
        skipped = tag in ("script", "style", "head", "template") or lang == "en"
        self.stack.append((tag, skipped or any(s for _t, s in self.stack)))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if not (self.stack and self.stack[-1][1]):
            self.parts.append(data)


def undeclared_english(html: str) -> list[str]:
    """The English interface words (ENGLISH_UI) in the text of `html` that is not declared
    English: on an Arabic page, each is a label someone forgot to translate."""
    parser = _UndeclaredText()
    parser.feed(html)
    return sorted(set(ENGLISH_UI_RE.findall(" ".join(parser.parts))))


def pdf_objects(content: bytes) -> bytes:
    """The PDF with its compressed streams inflated, to look for catalog entries like /Lang."""
    import zlib

    parts = [content]
    # The end-of-line before "endstream" is left in: a stream may itself end with a CR or LF
    # byte, and decompressobj() ignores what follows the compressed data.
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", content, re.S):
        try:
            parts.append(zlib.decompressobj().decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


class _Descriptions(HTMLParser):
    """Ids, aria-describedby references and error/help blocks of a page."""

    CONTROLS = ("input", "select", "textarea")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.controls: list[dict] = []  # attrs of each visible form control
        self.blocks: list[tuple[str, str | None]] = []  # (kind, id) of error and help blocks

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag in self.CONTROLS and attributes.get("type") not in ("hidden", "submit"):
            self.controls.append(attributes)
        classes = attributes.get("class", "").split()
        if "invalid-feedback" in classes:
            self.blocks.append(("error", attributes.get("id")))
        elif "form-text" in classes and attributes.get("id", "").endswith("_helptext"):
            self.blocks.append(("help", attributes.get("id")))

    handle_startendtag = handle_starttag


def describedby_problems(html: str) -> list[str]:
    """What ties a form's errors and help to its fields badly: an aria-describedby naming an id
    the page lacks, a field marked aria-invalid that names no description, an error or help
    block that no field names."""
    page = _Descriptions()
    page.feed(html)
    problems, named = [], set()
    for control in page.controls:
        name = control.get("name") or control.get("id") or "?"
        refs = control.get("aria-describedby", "").split()
        named.update(refs)
        problems += [
            f"{name}: aria-describedby names #{ref}, absent" for ref in refs if ref not in page.ids
        ]
        if control.get("aria-invalid") == "true" and not refs:
            problems.append(f"{name}: aria-invalid but no aria-describedby")
    for kind, block_id in page.blocks:
        if not block_id or block_id not in named:
            problems.append(f"{kind} block #{block_id or '(no id)'} is named by no field")
    return problems


# ---------------------------------------------------------------- iCalendar, read strictly


@dataclass
class IcsComponent:
    """A parsed component: its name, its properties [(name, params, value)], its children."""

    name: str
    props: list[tuple[str, dict, str]] = field(default_factory=list)
    children: list["IcsComponent"] = field(default_factory=list)

    def get(self, name: str) -> str:
        values = [v for n, _p, v in self.props if n == name]
        assert len(values) == 1, f"{self.name} has {len(values)} {name}"
        return values[0]

    def params(self, name: str) -> dict:
        return next(p for n, p, _v in self.props if n == name)

    @property
    def events(self) -> list["IcsComponent"]:
        return [c for c in self.children if c.name == "VEVENT"]


def ics_unescape(value: str) -> str:
    """A TEXT value read back (RFC 5545 §3.3.11); an unknown escape or a bare , or ; fails."""
    out, i = [], 0
    while i < len(value):
        ch = value[i]
        if ch == "\\":
            nxt = value[i + 1]
            assert nxt in "\\;,nN", f"bad escape \\{nxt} in {value!r}"
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
            continue
        assert ch not in ",;", f"unescaped {ch!r} in TEXT {value!r}"
        out.append(ch)
        i += 1
    return "".join(out)


TEXT_PROPS = {"SUMMARY", "DESCRIPTION", "NAME", "X-WR-CALNAME"}


def parse_ics(data: bytes) -> IcsComponent:
    """A strict reader of what core/ical.py writes: CRLF only, physical lines of 75 octets at
    most, folds that split no UTF-8 character, BEGIN/END nested, VERSION and PRODID on the
    calendar, UID, DTSTAMP and DTSTART on every event, all-day dates well formed."""
    assert data.endswith(b"\r\n"), "the last line ends with CRLF"
    assert b"\n" not in data.replace(b"\r\n", b""), "a bare LF"
    assert b"\r" not in data.replace(b"\r\n", b""), "a bare CR"
    physical = data[:-2].split(b"\r\n")
    logical: list[str] = []
    for raw in physical:
        assert len(raw) <= 75, f"a line of {len(raw)} octets: {raw!r}"
        line = raw.decode("utf-8")  # a fold inside a character would fail here
        if line.startswith((" ", "\t")):
            assert logical, "a continuation line first"
            logical[-1] += line[1:]
        else:
            logical.append(line)
    stack: list[IcsComponent] = []
    root = None
    for line in logical:
        head, sep, value = line.partition(":")
        assert sep, f"no colon in {line!r}"
        name, *params = head.split(";")
        assert re.fullmatch(r"[A-Z][A-Z0-9-]*", name), f"bad property name {name!r}"
        parsed = dict(p.split("=", 1) for p in params)
        if name == "BEGIN":
            component = IcsComponent(value)
            if stack:
                stack[-1].children.append(component)
            else:
                assert root is None, "two calendars"
                root = component
            stack.append(component)
            continue
        if name == "END":
            assert stack and stack[-1].name == value, f"END:{value} does not close"
            stack.pop()
            continue
        assert stack, f"{name} outside a component"
        if name in TEXT_PROPS:
            value = ics_unescape(value)
        elif name == "CATEGORIES":
            value = ",".join(ics_unescape(v) for v in value.split(","))
        stack[-1].props.append((name, parsed, value))
    assert not stack, "unclosed component"
    assert root is not None and root.name == "VCALENDAR"
    assert root.get("VERSION") == "2.0"
    assert root.get("PRODID")
    for event in root.events:
        assert event.get("UID")
        assert re.fullmatch(r"\d{8}T\d{6}Z", event.get("DTSTAMP"))
        for key in ("DTSTART", "DTEND"):
            assert event.params(key) == {"VALUE": "DATE"}
            datetime.datetime.strptime(event.get(key), "%Y%m%d")
        start = datetime.datetime.strptime(event.get("DTSTART"), "%Y%m%d").date()
        end = datetime.datetime.strptime(event.get("DTEND"), "%Y%m%d").date()
        assert end == start + datetime.timedelta(days=1), "an all-day event ends the next day"
    return root


class _InlineCode(HTMLParser):
    """Collects what a strict CSP blocks: inline scripts, <style>, style= and on*= attributes."""

    SAFE_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}

    def __init__(self):
        super().__init__()
        self.problems = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in attrs:
            if name == "style" or name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> at line {self.getpos()[0]}")
        if tag == "style":
            self.problems.append(f"<style> element at line {self.getpos()[0]}")
        if tag == "script" and "src" not in attrs:
            if (attrs.get("type") or "").lower() not in self.SAFE_SCRIPT_TYPES:
                self._in_script = True

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline <script> at line {self.getpos()[0]}: {data.strip()[:60]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


def inline_code(html: str) -> list[str]:
    """What a strict Content-Security-Policy would block in a page, one line each."""
    finder = _InlineCode()
    finder.feed(html)
    return finder.problems


def questionnaire_structure(questionnaire):
    """Everything an import stored of a questionnaire (sections, questions, choices, every
    language), as plain values: two imports of the same form compare equal."""
    sections = [
        (
            s.name,
            s.is_group,
            s.parent.name if s.parent else None,
            s.relevant,
            s.condition,
            s.appearance,
            s.title_en,
            s.title_fr,
            s.translations,
        )
        for s in questionnaire.sections.order_by("order", "id")
    ]
    questions = [
        (
            q.section.name,
            q.name,
            q.kind,
            q.required,
            q.relevant,
            q.constraint,
            q.calculation,
            q.choice_filter,
            q.default,
            q.appearance,
            q.list_name,
            q.or_other,
            q.min_value,
            q.max_value,
            q.label_en,
            q.label_fr,
            q.label_es,
            q.label_ar,
            q.help_en,
            q.translations,
            [
                (c.name, c.label_en, c.label_fr, c.label_ar, c.translations, c.properties)
                for c in q.choices.order_by("order")
            ],
        )
        for q in questionnaire.questions.order_by("order", "id").select_related("section")
    ]
    return (questionnaire.languages, questionnaire.default_language, sections, questions)

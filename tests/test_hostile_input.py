"""Hostile and broken input: every form, upload, import and export.

Wrong types, oversized values, HTML and script, Unicode edge cases (RTL override, zero-width,
emoji, NUL byte) and hypothesis-generated data: never a 500, a clear message, nothing saved
when the input is refused, and whatever is saved comes back escaped. Uploads are checked by
content, with a size limit and no path traversal. Imports that are corrupt, empty, huge or
have the wrong columns give one clear error and write nothing. Exports neutralise formulae.
"""

import csv
import datetime
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.helpers import PDF, with_version, xlsform_import

SCRIPT = "<script>alert('x')</script>"
HOSTILE_TEXT = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "\u202egnp.exe",  # right-to-left override
    "zero\u200bwidth\u200djoiner\ufeff",
    "emoji 🧠💚🏳️‍🌈",
    "nul\x00byte",
    "x" * 100_000,
    "' OR 1=1; --",
    '=HYPERLINK("http://evil.example")',
    "١٢٣ ٤٥٦",
    "\r\n\t",
]
WRONG_NUMBERS = ["abc", "-1", "1e309", "9" * 40, "1.5", "", "NaN", "Infinity"]
WRONG_DATES = ["2024-02-30", "yesterday", "0000-00-00", "9999-99-99", "1" * 50]
FORMULA_STARTS = ("=", "+", "-", "@")

pytestmark = pytest.mark.django_db

FAST = hsettings(
    max_examples=25,
    deadline=None,
    database=None,  # no example database written into the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _no_500(response, what=""):
    assert response.status_code < 500, f"{what}: {response.status_code}"


def _text(response) -> str:
    return response.content.decode("utf-8", "replace")


# ---------------------------------------------------------------- forms


def _progress_payload(**overrides):
    data = {
        "date": timezone.localdate().isoformat(),
        "status": "on_track",
        "percent_complete": "40",
        "narrative": "Fine",
        "reason": "Testing",
    }
    data.update(overrides)
    return data


def test_progress_update_refuses_bad_input_and_escapes_what_it_keeps(world):
    deliverable = world.objects["deliverable"]
    client = client_for(world.users["colead_wg1"])
    url = reverse("workinggroups:progress-add", args=[deliverable.pk])
    for field, values in {
        "percent_complete": WRONG_NUMBERS + ["101", "-5"],
        "date": WRONG_DATES,
        "status": ["bogus", SCRIPT, ""],
    }.items():
        for value in values:
            count = deliverable.progress_updates.count()
            response = client.post(url, _progress_payload(**{field: value}))
            _no_500(response, f"{field}={value!r}")
            if value in ("1.5",):
                continue
            assert response.status_code in (200, 422), f"{field}={value!r}"
            assert "is-invalid" in _text(response) or "invalid-feedback" in _text(response)
            assert deliverable.progress_updates.count() == count, f"{field}={value!r} saved"
    for value in HOSTILE_TEXT:
        count = deliverable.progress_updates.count()
        response = client.post(url, _progress_payload(narrative=value))
        _no_500(response, repr(value[:20]))
        if "\x00" in value or len(value) > 20_000:
            assert deliverable.progress_updates.count() == count, repr(value[:20])
    page = _text(client.get(reverse("workinggroups:deliverable", args=[deliverable.pk])))
    assert SCRIPT not in page
    assert "<img src=x onerror" not in page


def test_deliverable_meeting_resource_edition_and_profile_forms(world):
    o = world.objects
    colead = client_for(world.users["colead_wg1"])
    admin = client_for(world.users["admin"])
    deliverable = o["deliverable"]
    soon = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    cases = [
        (
            colead,
            reverse("workinggroups:deliverable-edit", args=[deliverable.pk]),
            {
                "title": "T",
                "kind": deliverable.kind,
                "workplan": deliverable.workplan_id,
                "due_date": soon,
                "reason": "r",
            },
            ["title", "description", "reason"],
            {"due_date": WRONG_DATES, "workplan": ["x", "999999", "-1"], "kind": [SCRIPT]},
        ),
        (
            colead,
            reverse("workinggroups:meeting-add", args=[o["wg1"].pk]),
            {"date": timezone.localdate().isoformat(), "kind": "monthly"},
            ["title", "minutes", "decisions"],
            {"date": WRONG_DATES, "attendees": ["x", "999999"], "kind": ["nope"]},
        ),
        (
            colead,
            reverse("workinggroups:resource-add"),
            {
                "title": "Guide",
                "kind": o["resource"].kind,
                "layer": o["resource"].layer,
                "working_group": o["wg1"].pk,
            },
            ["title", "notes", "languages"],
            {"link": ["javascript:alert(1)", "not a url", "http://" + "a" * 600]},
        ),
        (
            admin,
            reverse("reports:edition-update", args=[o["edition"].pk]),
            {
                "title": "Edition",
                "audience": o["edition"].audience,
                "sections": o["edition"].sections,
                "period_start": "2024-01-01",
                "period_end": "2024-12-31",
                "reason": "r",
            },
            ["title", "executive_summary", "challenges", "reason"],
            {"period_end": ["2023-01-01", *WRONG_DATES], "sections": ["bogus"]},
        ),
        (
            client_for(world.users["focal_kenya"]),
            reverse("accounts:profile"),
            {"full_name": "Amani", "language": "en"},
            ["full_name"],
            {"language": ["xx", SCRIPT, "../../etc"]},
        ),
    ]
    for client, url, valid, text_fields, wrong in cases:
        # Each hostile text in every text field of the form at once.
        for value in HOSTILE_TEXT:
            response = client.post(url, {**valid, **dict.fromkeys(text_fields, value)})
            _no_500(response, f"{url} {value[:20]!r}")
            if "\x00" in value:
                assert response.status_code == 200, f"{url}: NUL accepted"
                errors = response.context["form"].errors
                assert all("Null characters are not allowed" in str(errors[f]) for f in text_fields)
        for field, values in wrong.items():
            for value in values:
                response = client.post(url, {**valid, field: value})
                _no_500(response, f"{url} {field}={value!r}")
                assert response.status_code == 200, f"{url} {field}={value!r} accepted"
    profile = _text(client_for(world.users["focal_kenya"]).get(reverse("accounts:profile")))
    assert SCRIPT not in profile


def test_survey_autosave_refuses_wrong_types_and_nul(world):
    from surveys.models import Answer, Question

    o = world.objects
    client = client_for(world.users["focal_kenya"])
    questions = Question.objects.filter(questionnaire=o["round"].questionnaire)
    by_kind = {q.kind: q for q in questions}
    for kind, values in {
        "integer": WRONG_NUMBERS + ["99999999999999999999"],
        "decimal": ["abc", "NaN", "-Infinity", "--1", "1,2,3"],
        "yes_no": ["maybe", SCRIPT],
        "single": ["not-a-choice"],
        "multiple": ["not-a-choice"],
        "text": ["nul\x00byte", "x" * 40_000, "bell\x07", "esc\x1b[31m"],
    }.items():
        question = by_kind.get(kind)
        if question is None:
            continue
        url = reverse("surveys:answer-save", args=[o["round"].pk, o["kenya"].pk, question.pk])
        for value in values:
            before = Answer.objects.count()
            response = client.post(
                url, {f"q_{question.pk}": value, f"v_{question.pk}": "0"}, HTTP_HX_REQUEST="true"
            )
            _no_500(response, f"{kind}={value[:20]!r}")
            if value in ("", "1.5") and kind == "integer":
                continue
            if kind == "integer" and value in ("-1",):
                continue
            assert Answer.objects.count() == before, f"{kind}={value[:20]!r} saved"
            assert "invalid" in _text(response) or "alert" in _text(response)
    # A pasted Word line break is kept as a newline; the control character is named.
    q = by_kind["text"]
    url = reverse("surveys:answer-save", args=[o["round"].pk, o["kenya"].pk, q.pk])
    response = client.post(url, {f"q_{q.pk}": "a\x07b", f"v_{q.pk}": "0"}, HTTP_HX_REQUEST="true")
    assert "U+0007" in _text(response)
    stored = Answer.objects.filter(question=q, response__society=o["kenya"]).first()
    version = str(stored.version if stored else 0)
    client.post(url, {f"q_{q.pk}": "one\x0btwo", f"v_{q.pk}": version}, HTTP_HX_REQUEST="true")
    assert Answer.objects.get(question=q, response__society=o["kenya"]).value == "one\ntwo"
    # A version that is not a number is treated as "not answered yet", never a crash.
    url = reverse("surveys:answer-save", args=[o["round"].pk, o["kenya"].pk, q.pk])
    _no_500(client.post(url, {f"q_{q.pk}": "ok", f"v_{q.pk}": "NaN"}))


@FAST
@given(
    narrative=st.text(max_size=300),
    percent=st.one_of(st.integers(-(10**6), 10**6).map(str), st.text(max_size=8)),
    date=st.one_of(st.dates().map(str), st.text(max_size=12)),
    status=st.sampled_from(["on_track", "at_risk", "off_track", "completed", "", "zzz"]),
)
def test_property_progress_update_never_500(world_once, narrative, percent, date, status):
    world, client = world_once["world"], world_once["colead"]
    deliverable = world.objects["deliverable"]
    count = deliverable.progress_updates.count()
    response = client.post(
        reverse("workinggroups:progress-add", args=[deliverable.pk]),
        {
            "date": date,
            "status": status,
            "percent_complete": percent,
            "narrative": narrative,
            "reason": "r",
        },
    )
    _no_500(response)
    if response.status_code != 302:
        assert deliverable.progress_updates.count() == count


@FAST
@given(
    title=st.text(max_size=400),
    minutes=st.text(max_size=300),
    date=st.one_of(st.dates().map(str), st.text(max_size=12)),
)
def test_property_meeting_and_deliverable_never_500(world_once, title, minutes, date):
    from workinggroups.models import Meeting

    world, client = world_once["world"], world_once["colead"]
    o = world.objects
    count = Meeting.objects.count()
    response = client.post(
        reverse("workinggroups:meeting-add", args=[o["wg1"].pk]),
        {"date": date, "kind": "monthly", "title": title, "minutes": minutes},
    )
    _no_500(response)
    if response.status_code != 302:
        assert Meeting.objects.count() == count
    deliverable = o["deliverable"]
    history = deliverable.history.count()
    response = client.post(
        reverse("workinggroups:deliverable-edit", args=[deliverable.pk]),
        {
            "title": title,
            "kind": deliverable.kind,
            "workplan": deliverable.workplan_id,
            "due_date": date,
            "reason": minutes,
        },
    )
    _no_500(response)
    if response.status_code != 302:
        assert deliverable.history.count() == history


@FAST
@given(
    title=st.text(max_size=400),
    link=st.one_of(st.text(max_size=60), st.just("https://example.org/x")),
    languages=st.text(max_size=80),
)
def test_property_resource_never_500(world_once, title, link, languages):
    from workinggroups.models import Resource

    world, client = world_once["world"], world_once["colead"]
    o = world.objects
    count = Resource.objects.count()
    response = client.post(
        reverse("workinggroups:resource-add"),
        {
            "title": title,
            "kind": o["resource"].kind,
            "layer": o["resource"].layer,
            "working_group": o["wg1"].pk,
            "link": link,
            "languages": languages,
        },
    )
    _no_500(response)
    if response.status_code != 302:
        assert Resource.objects.count() == count


@FAST
@given(value=st.one_of(st.text(max_size=200), st.lists(st.text(max_size=10), max_size=4)))
def test_property_survey_autosave_never_500(world_once, value):
    from surveys.models import Question

    world, client = world_once["world"], world_once["focal_kenya"]
    o = world.objects
    for question in Question.objects.filter(questionnaire=o["round"].questionnaire)[:3]:
        url = reverse("surveys:answer-save", args=[o["round"].pk, o["kenya"].pk, question.pk])
        response = client.post(
            url, {f"q_{question.pk}": value, f"v_{question.pk}": "0"}, HTTP_HX_REQUEST="true"
        )
        _no_500(response, question.kind)


@FAST
@given(
    title=st.text(max_size=300),
    summary=st.text(max_size=500),
    start=st.one_of(st.dates().map(str), st.text(max_size=12)),
)
def test_property_edition_and_profile_never_500(world_once, title, summary, start):
    world = world_once["world"]
    edition = world.objects["edition"]
    history = edition.history.count()
    response = world_once["admin"].post(
        reverse("reports:edition-update", args=[edition.pk]),
        {
            "title": title,
            "audience": edition.audience,
            "sections": edition.sections,
            "period_start": start,
            "period_end": "2030-12-31",
            "executive_summary": summary,
            "reason": "r",
        },
    )
    _no_500(response)
    if response.status_code != 302:
        assert edition.history.count() == history
    response = world_once["focal_kenya"].post(
        reverse("accounts:profile"), {"full_name": title, "language": summary[:5]}
    )
    _no_500(response)


@pytest.fixture
def world_once(world):
    """The world and signed-in clients, shared by every hypothesis example of one test."""
    return {
        "world": world,
        "colead": client_for(world.users["colead_wg1"]),
        "admin": client_for(world.users["admin"]),
        "focal_kenya": client_for(world.users["focal_kenya"]),
    }


# ---------------------------------------------------------------- uploads


def _evidence_post(client, deliverable, upload):
    return client.post(
        reverse("workinggroups:progress-add", args=[deliverable.pk]),
        _progress_payload(evidence_file=upload, evidence_file_title="Evidence"),
    )


def test_uploads_checked_by_content_size_and_name(world, settings):
    from roadmap.models import Evidence

    deliverable = world.objects["deliverable"]
    client = client_for(world.users["colead_wg1"])
    refused = {
        "program renamed .pdf": SimpleUploadedFile(
            "report.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "application/pdf"
        ),
        "web page renamed .png": SimpleUploadedFile(
            "photo.png", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "image/png"
        ),
        "script renamed .docx": SimpleUploadedFile("notes.docx", b"#!/bin/sh\nrm -rf /\n"),
        "empty": SimpleUploadedFile("empty.pdf", b"", "application/pdf"),
    }
    for what, upload in refused.items():
        count = Evidence.objects.count()
        response = _evidence_post(client, deliverable, upload)
        _no_500(response, what)
        assert response.status_code == 200, what
        assert "invalid-feedback" in _text(response) or "is-invalid" in _text(response), what
        assert Evidence.objects.count() == count, what
    settings.MAX_UPLOAD_SIZE = 1024
    count = Evidence.objects.count()
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * 4096, "application/pdf")
    response = _evidence_post(client, deliverable, big)
    assert response.status_code == 200
    assert "limit" in _text(response)
    assert Evidence.objects.count() == count
    settings.MAX_UPLOAD_SIZE = 10 * 1024 * 1024
    # Path traversal in the name: stored under a random name inside MEDIA_ROOT.
    for name in (
        "../../../../tmp/evil.pdf",
        "..\\..\\evil.pdf",
        "/etc/passwd.pdf",
        "\u202efdp.exe",
    ):
        response = _evidence_post(
            client, deliverable, SimpleUploadedFile(name, PDF, "application/pdf")
        )
        _no_500(response, name)
        evidence = Evidence.objects.order_by("-pk").first()
        if response.status_code != 302:
            continue
        stored = Path(evidence.file.path).resolve()
        assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve()), name
        assert ".." not in evidence.file.name
        assert "/" not in evidence.original_filename and "\\" not in evidence.original_filename
    assert not Path("/tmp/evil.pdf").exists()


# ---------------------------------------------------------------- imports


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def test_resource_import_broken_files_give_one_clear_error_and_write_nothing(
    world, settings, django_capture_on_commit_callbacks
):
    from workinggroups.models import Resource
    from workinggroups.resources import IMPORT_COLUMNS

    client = client_for(world.users["colead_wg1"])
    url = reverse("workinggroups:resource-import")
    zip_bomb_like = io.BytesIO()
    with zipfile.ZipFile(zip_bomb_like, "w") as archive:
        archive.writestr("[Content_Types].xml", "<not really xml")
    bad_row = ["=cmd|' /C calc'!A0"] + ["\x00"] * (len(IMPORT_COLUMNS) - 1)
    files = {
        "corrupt xlsx": ("resources.xlsx", b"PK\x03\x04 this is not a zip"),
        "zip without a workbook": ("resources.xlsx", zip_bomb_like.getvalue()),
        "empty csv": ("resources.csv", b""),
        "wrong columns": ("resources.csv", _csv([["name", "colour"], ["a", "b"]])),
        "wrong columns xlsx": ("resources.xlsx", _xlsx([["foo", "bar"], [1, 2]])),
        "binary": ("resources.csv", bytes(range(256)) * 50),
        "program": ("resources.xlsx", b"MZ\x90\x00" + b"\x00" * 500),
        "nul and formula cells": ("resources.csv", _csv([IMPORT_COLUMNS, bad_row])),
        "latin-1": ("resources.csv", ",".join(IMPORT_COLUMNS).encode() + b"\n\xe9\xe8\xff\n"),
    }
    confirm = reverse("workinggroups:resource-import-confirm")
    for what, (name, content) in files.items():
        count = Resource.objects.count()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url,
                {
                    "file": SimpleUploadedFile(name, content),
                    "working_group": world.objects["wg1"].pk,
                },
            )
        _no_500(response, what)
        if response.status_code == 302:  # checked in the background: the job's page tells
            response = client.get(response["Location"])
            _no_500(response, what)
        assert response.status_code == 200, what
        page = _text(response)
        assert "invalid-feedback" in page or "alert-danger" in page or "error" in page.lower(), what
        assert confirm not in page, f"{what}: offered to import"
        assert Resource.objects.count() == count, what
    # Huge: over the upload limit (lowered here so the test stays fast), refused before parsing.
    settings.MAX_UPLOAD_SIZE = 50_000
    huge = _csv([IMPORT_COLUMNS] + [["x"] * len(IMPORT_COLUMNS)] * 5000)
    assert len(huge) > settings.MAX_UPLOAD_SIZE
    count = Resource.objects.count()
    response = client.post(
        url,
        {
            "file": SimpleUploadedFile("resources.csv", huge),
            "working_group": world.objects["wg1"].pk,
        },
    )
    assert response.status_code == 200
    assert "invalid-feedback" in _text(response)
    assert Resource.objects.count() == count


def test_resource_import_of_a_header_only_file_imports_nothing(
    world, django_capture_on_commit_callbacks
):
    from jobs.models import Job
    from workinggroups.models import Resource
    from workinggroups.resources import IMPORT_COLUMNS

    client = client_for(world.users["colead_wg1"])
    count = Resource.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workinggroups:resource-import"),
            {
                "file": SimpleUploadedFile("resources.csv", _csv([IMPORT_COLUMNS])),
                "working_group": world.objects["wg1"].pk,
            },
        )
    _no_500(response)
    check = Job.objects.filter(owner=world.users["colead_wg1"]).order_by("-pk").first()
    if response.status_code == 302 and check is not None and check.status == "done":
        with django_capture_on_commit_callbacks(execute=True):
            confirmed = client.post(
                reverse("workinggroups:resource-import-confirm"), {"job": check.pk}
            )
        _no_500(confirmed)
    assert Resource.objects.count() == count


def test_xlsform_import_broken_files_give_one_clear_error_and_write_nothing(world):
    from surveys.models import Question, Questionnaire

    client = client_for(world.users["admin"])
    files = {
        "corrupt": b"PK\x03\x04garbage",
        "empty": b"",
        "not a spreadsheet": b"%PDF-1.4 hello",
        "no survey sheet": _xlsx([["foo"], ["bar"]]),
        "wrong columns": _xlsx([["kind", "label"], ["text", "Hello"]]),
        "html": b"<html><script>alert(1)</script></html>",
    }
    for what, content in files.items():
        counts = (Questionnaire.objects.count(), Question.objects.count())
        # Refused at the upload (422 with the message), or queued for the check job (302),
        # whose page then gives the errors and offers nothing to create.
        response, check, write = xlsform_import(
            client, SimpleUploadedFile("form.xlsx", content), f"Broken {what}"
        )
        _no_500(response, what)
        assert response.status_code in (200, 302, 422), what
        if response.status_code == 302:
            assert check.summary == {"valid": False} and check.errors and write is None, what
            report = client.get(response.url)
            _no_500(report, what)
            assert "nothing was created" in _text(report), what
        assert (Questionnaire.objects.count(), Question.objects.count()) == counts, what


def test_admin_organisation_import_refuses_broken_files(world):
    from accounts.models import Organisation

    client = client_for(world.users["admin"])
    url = "/admin/accounts/organisation/import/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    formats = form.fields["format"].choices if "format" in form.fields else []
    csv_format = next((value for value, label in formats if "csv" in str(label).lower()), 0)
    for what, content in {
        "corrupt": b"PK\x03\x04garbage",
        "empty": b"",
        "wrong columns": _csv([["colour", "size"], ["red", "L"]]),
    }.items():
        count = Organisation.objects.count()
        response = client.post(
            url,
            {
                "import_file": SimpleUploadedFile("organisations.csv", content),
                "format": csv_format,
                "resource": "",
            },
        )
        _no_500(response, what)
        assert Organisation.objects.count() == count, what


# ---------------------------------------------------------------- exports


FORMULAE = ["=1+2", "+SUM(A1:A2)", "-2+3", "@cmd", '=HYPERLINK("http://evil")']


def _cells_csv(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]


def _cells_xlsx(content: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [
        c for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row
    ]


def _assert_inert(cells, where):
    live = [c for c in cells if isinstance(c, str) and c in FORMULAE]
    assert not live, f"{where}: live formula cells {live}"


def test_every_export_neutralises_formula_cells(world):
    from surveys import services
    from surveys.models import Question
    from workinggroups.models import Deliverable, Resource

    o = world.objects
    for value in FORMULAE:
        Resource.objects.create(
            title=value,
            kind=o["resource"].kind,
            layer=o["resource"].layer,
            working_group=o["wg1"],
            notes=value,
        )
    Deliverable.objects.filter(pk=o["deliverable"].pk).update(title=FORMULAE[0])
    texts = Question.objects.filter(questionnaire=o["round"].questionnaire, kind="text")
    for question, value in zip(texts, FORMULAE, strict=False):
        services.answer_save(
            survey_round=o["round"],
            society=o["kenya"],
            question=question,
            raw=value,
            expected_version=0,
            user=world.users["focal_kenya"],
        )
    admin = client_for(world.users["admin"])
    from reports.exports import KINDS

    checked = 0
    for kind in KINDS:
        for fmt in ("csv", "xlsx"):
            response = admin.get(reverse("reports:export-kind", args=[kind, fmt]))
            assert response.status_code == 200, (kind, fmt)
            cells = _cells_csv(response.content) if fmt == "csv" else _cells_xlsx(response.content)
            _assert_inert(cells, f"reports {kind}.{fmt}")
            checked += 1
    _assert_inert(_cells_xlsx(admin.get(reverse("reports:export-workbook")).content), "workbook")
    from workinggroups.exports import GROUP_SCOPES

    for kind in GROUP_SCOPES:  # a group's own files (its deliverable's title is a formula)
        for fmt in ("csv", "xlsx"):
            response = admin.get(
                reverse("workinggroups:group-export", args=[o["wg1"].pk, kind, fmt])
            )
            assert response.status_code == 200, (kind, fmt)
            cells = _cells_csv(response.content) if fmt == "csv" else _cells_xlsx(response.content)
            _assert_inert(cells, f"group {kind}.{fmt}")
            if kind == "deliverables":
                assert "'" + FORMULAE[0] in cells
    for fmt in ("csv", "xlsx"):
        response = admin.get(reverse("workinggroups:resource-export", args=[fmt]))
        cells = _cells_csv(response.content) if fmt == "csv" else _cells_xlsx(response.content)
        assert any(isinstance(c, str) and c.startswith("'=") for c in cells)
        _assert_inert(cells, f"resources.{fmt}")
    from surveys.forms import ExportForm

    layouts = [value for value, _label in ExportForm.base_fields["layout"].choices]
    for fmt in ("csv", "xlsx"):
        for layout in layouts:
            response = admin.get(
                reverse("surveys:round-export", args=[o["round"].pk]),
                {"format": fmt, "layout": layout, "language": "en"},
            )
            assert response.status_code == 200, (fmt, layout)
            content = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )
            if response.get("Content-Type", "").startswith("application/zip"):
                continue
            cells = _cells_csv(content) if fmt == "csv" else _cells_xlsx(content)
            _assert_inert(cells, f"survey {layout}.{fmt}")
    response = admin.get(
        reverse("surveys:response-download", args=[o["round"].pk, o["kenya"].pk, "xlsx"])
    )
    content = b"".join(response.streaming_content) if response.streaming else response.content
    _assert_inert(_cells_xlsx(content), "one response xlsx")
    assert checked == 2 * len(KINDS)
    assert settings.IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT


# ---------------------------------------------------------------- the 500s of issue 13


@pytest.mark.parametrize("length", [201, 230, 255, 300])
def test_long_evidence_file_names_are_kept_or_refused_never_500(world, length):
    from roadmap.models import Evidence

    deliverable = world.objects["deliverable"]
    client = client_for(world.users["colead_wg1"])
    name = "r" * (length - 4) + ".pdf"
    count = Evidence.objects.count()
    response = client.post(
        reverse("workinggroups:progress-add", args=[deliverable.pk]),
        _progress_payload(evidence_file=SimpleUploadedFile(name, PDF, "application/pdf")),
    )
    _no_500(response, f"{length} characters")
    # The title falls back to the file name, cut to what the title holds; Django's upload
    # handler already cuts longer names to 255 characters, keeping the extension.
    assert response.status_code == 302, _text(response)[-3000:]
    assert Evidence.objects.count() == count + 1
    evidence = Evidence.objects.order_by("-pk").first()
    assert evidence.original_filename == (name if length <= 255 else name[:251] + ".pdf")
    assert len(evidence.title) <= 200 and name.startswith(evidence.title)


def test_a_30_digit_attendee_id_is_a_message(world):
    meeting = world.objects["meeting"]
    client = client_for(world.users["colead_wg1"])
    for url in (
        reverse("workinggroups:meeting-edit", args=[meeting.pk]),
        reverse("workinggroups:meeting-add", args=[meeting.working_group_id]),
    ):
        response = client.post(
            url,
            {
                "date": "2025-01-10",
                "kind": meeting.kind,
                "title": "Hostile ids",
                "attendees": ["9" * 30],
                "attending_organisations": ["-" + "9" * 30],
            },
        )
        _no_500(response, url)
        assert response.status_code in (200, 422), url
        assert "is-invalid" in _text(response) or "invalid-feedback" in _text(response)
    meeting.refresh_from_db()
    assert meeting.title != "Hostile ids"


# ---------------------------------------------------------------- control characters in


def test_pasted_line_breaks_are_newlines_and_other_control_characters_a_message(world):
    from core.hygiene import LIMITS

    deliverable = world.objects["deliverable"]
    client = client_for(world.users["colead_wg1"])
    url = reverse("workinggroups:progress-add", args=[deliverable.pk])
    count = deliverable.progress_updates.count()
    # A Word soft line break (vertical tab) is a new line.
    response = client.post(url, _progress_payload(narrative="Line one\x0bLine two"))
    assert response.status_code == 302
    assert deliverable.progress_updates.order_by("-pk").first().narrative == "Line one\nLine two"
    for char in ("\x01", "\x1b", "\x7f", "\ufffe"):
        response = client.post(url, _progress_payload(narrative=f"bad{char}text"))
        _no_500(response, repr(char))
        assert f"U+{ord(char):04X}" in _text(response), repr(char)
        assert "position 4" in _text(response)
    assert deliverable.progress_updates.count() == count + 1
    # Long text without its own limit (the minutes) stops at the shared one, named.
    meeting = world.objects["meeting"]
    response = client.post(
        reverse("workinggroups:meeting-edit", args=[meeting.pk]),
        {
            "date": "2025-01-10",
            "kind": meeting.kind,
            "title": "Long minutes",
            "minutes": "m" * (LIMITS["long_text"] + 1),
        },
    )
    _no_500(response)
    assert f"{LIMITS['long_text']:,}".replace(",", "") in _text(response).replace(",", "")
    meeting.refresh_from_db()
    assert meeting.title != "Long minutes"


def test_admin_forms_refuse_control_characters(world):
    from workinggroups.models import WorkingGroup

    client = client_for(world.users["admin"])
    group = world.objects["wg1"]
    url = reverse("admin:workinggroups_workinggroup_change", args=[group.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data = with_version(group, data, admin=True)  # the hygiene refuses it, not the version
    data.update({"name": "Bad\x02name", "change_reason": "test"})
    response = client.post(url, data)
    _no_500(response)
    assert "U+0002" in _text(response)
    assert not WorkingGroup.objects.filter(name__contains="\x02").exists()


# ---------------------------------------------------------------- control characters out

_HUMAN_TEXT = {
    "title",
    "name",
    "narrative",
    "blockers",
    "next_steps",
    "notes",
    "minutes",
    "decisions",
    "description",
    "summary",
    "challenges",
    "full_name",
    "short_name",
    "reason",
    "value",
}
_STORED = "\x0bpasted\x01\x00\x1f"  # as if stored before the rules (or by a script)


def _poison_every_text_field(world) -> int:
    """Append control characters to the human text of every row of every app model."""
    from django.apps import apps
    from django.db import connection, models
    from django.db.models import Value
    from django.db.models.functions import Concat

    from surveys.models import Answer

    stored = _STORED if connection.vendor == "sqlite" else _STORED.replace("\x00", "")
    touched = 0
    for app in ("accounts", "roadmap", "workinggroups", "surveys", "reports"):
        for model in apps.get_app_config(app).get_models():
            if model._meta.proxy or model.__name__.startswith("Historical"):
                continue
            for field in model._meta.concrete_fields:
                if field.name not in _HUMAN_TEXT or field.choices:
                    continue
                if not isinstance(field, models.CharField | models.TextField):
                    continue
                rows = model.objects.all()
                if model is Answer:  # numbers and choices are parsed on export
                    rows = rows.filter(question__kind__in=["text", "long_text"])
                touched += rows.update(**{field.name: Concat(field.name, Value(stored))})
    return touched


def _no_control_characters(cells, where):
    bad = [c for c in cells if isinstance(c, str) and any(ch in c for ch in "\x00\x01\x0b\x1f")]
    assert not bad, f"{where}: control characters left in {bad[:3]!r}"


def test_stored_control_characters_never_break_an_export(world):
    from reports.exports import KINDS
    from surveys import services
    from surveys.models import Question

    o = world.objects
    text_q = Question.objects.filter(questionnaire=o["round"].questionnaire, kind="text").first()
    services.answer_save(
        survey_round=o["round"],
        society=o["kenya"],
        question=text_q,
        raw="Answer",
        expected_version=0,
        user=world.users["focal_kenya"],
    )
    assert _poison_every_text_field(world) > 20
    admin = client_for(world.users["admin"])
    exports = {}
    for kind in KINDS:
        for fmt in ("csv", "xlsx"):
            exports[f"reports {kind}.{fmt}"] = reverse("reports:export-kind", args=[kind, fmt])
    exports["workbook"] = reverse("reports:export-workbook")
    from workinggroups.exports import GROUP_SCOPES

    for kind in GROUP_SCOPES:
        for fmt in ("csv", "xlsx"):
            exports[f"group {kind}.{fmt}"] = reverse(
                "workinggroups:group-export", args=[o["wg1"].pk, kind, fmt]
            )
    for fmt in ("csv", "xlsx"):
        exports[f"resources.{fmt}"] = reverse("workinggroups:resource-export", args=[fmt])
    exports["one response"] = reverse(
        "surveys:response-download", args=[o["round"].pk, o["kenya"].pk, "xlsx"]
    )
    for where, url in exports.items():
        response = admin.get(url)
        assert response.status_code == 200, where
        content = b"".join(response.streaming_content) if response.streaming else response.content
        cells = _cells_xlsx(content) if "xlsx" in where or "." not in where else _cells_csv(content)
        _no_control_characters(cells, where)
        if where in ("workbook", "resources.xlsx", "resources.csv", "one response"):
            # The pasted line break stays a line break.
            assert any(isinstance(c, str) and "\npasted" in c for c in cells), where
    from surveys.forms import ExportForm

    for layout, _label in ExportForm.base_fields["layout"].choices:
        response = admin.get(
            reverse("surveys:round-export", args=[o["round"].pk]),
            {"format": "xlsx", "layout": layout, "language": "en"},
        )
        assert response.status_code in (200, 302), layout
        if response.status_code == 200 and "spreadsheet" in response.get("Content-Type", ""):
            content = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )
            _no_control_characters(_cells_xlsx(content), f"survey {layout}")
    # The administration's own exports (django-import-export's XLSX format, as the admin
    # writes them from each admin's resource).
    from django.contrib import admin as django_admin
    from import_export.formats.base_formats import XLSX

    for model, model_admin in django_admin.site._registry.items():
        for resource_class in getattr(model_admin, "resource_classes", []):
            content = XLSX().export_data(resource_class().export())
            _no_control_characters(_cells_xlsx(content), f"admin {model.__name__}")


def test_spreadsheet_imports_refuse_control_characters_row_by_row(world):
    import tablib

    from workinggroups.models import Resource
    from workinggroups.resources import IMPORT_COLUMNS, ResourceResource

    def row(title, notes="note"):
        values = dict(
            title=title,
            kind="me_tool",
            organisation="IFRC",
            countries="KE",
            regions="Africa",
            languages="English",
            layer="basic_pss",
            link="",
            notes=notes,
        )
        return [values[c] for c in IMPORT_COLUMNS]

    data = tablib.Dataset(
        row("Word\x0bsoft break"),
        row("Bell\x07here"),
        row("Fine", notes="NUL\x00inside"),
        row("Long", notes="n" * 30_001),
        headers=IMPORT_COLUMNS,
    )
    count = Resource.objects.count()
    resource = ResourceResource(working_group=world.objects["wg1"], user=world.users["colead_wg1"])
    result = resource.import_data(data, dry_run=True)
    invalid = {r.number: r.error_dict for r in result.invalid_rows}
    assert set(invalid) == {2, 3, 4}, invalid
    assert "U+0007" in str(invalid[2]["title"])
    assert "Null characters" in str(invalid[3]["notes"])
    assert "30000" in str(invalid[4]["notes"]).replace(",", "")
    assert Resource.objects.count() == count
    # The good row alone goes in, its pasted line break a newline.
    result = resource.import_data(tablib.Dataset(row("Word\x0bsoft break"), headers=IMPORT_COLUMNS))
    assert not result.has_validation_errors() and not result.has_errors()
    assert Resource.objects.filter(title="Word\nsoft break").exists()


# ---------------------------------------------------------------- backups


def _tar_gz(path: Path, files: dict[str, bytes]) -> Path:
    import tarfile

    with tarfile.open(path, "w:gz") as archive:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return path


def test_restore_refuses_broken_archives_with_a_message_and_changes_nothing(world, tmp_path):
    from django.core.management import CommandError, call_command

    from accounts.models import User

    manifest = b"vendor=sqlite\ndump=database.sqlite3\n"
    whole = _tar_gz(tmp_path / "whole.tar.gz", {"MANIFEST": manifest, "media/x": b"x" * 50_000})
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(whole.read_bytes()[: len(whole.read_bytes()) // 2])
    cases = {
        "truncated": (truncated, "truncated"),
        "no manifest": (
            _tar_gz(tmp_path / "a.tar.gz", {"database.sqlite3": b"SQLite format 3\x00"}),
            "no MANIFEST",
        ),
        "manifest names nothing": (
            _tar_gz(tmp_path / "b.tar.gz", {"MANIFEST": manifest}),
            "names no database dump",
        ),
        "not a database": (
            _tar_gz(
                tmp_path / "c.tar.gz",
                {"MANIFEST": manifest, "database.sqlite3": b"just some notes\n" * 100},
            ),
            "not a readable SQLite database",
        ),
        "not an archive": (tmp_path / "notes.txt", "Not a readable backup archive"),
    }
    (tmp_path / "notes.txt").write_text("hello")
    people = User.objects.count()
    for what, (archive, message) in cases.items():
        with pytest.raises(CommandError, match=message) as raised:
            call_command("restore_data", str(archive), yes=True)
        assert "Nothing was changed" in str(raised.value), what
        assert User.objects.count() == people, what


@pytest.mark.parametrize("form_id", ["endline\n2025", "end\tline", "x" * 300, "../../etc"])
def test_xlsform_with_a_hostile_form_id_is_a_message(world, form_id):
    """A newline (or worse) in the settings sheet's form_id: a message, nothing written."""
    import openpyxl as xl

    from surveys.models import Questionnaire

    book = xl.Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label"])
    survey.append(["text", "who", "Who answers?"])
    settings_sheet = book.create_sheet("settings")
    settings_sheet.append(["form_id", "form_title", "version"])
    settings_sheet.append([form_id, "Endline", "1"])
    buffer = io.BytesIO()
    book.save(buffer)
    client = client_for(world.users["admin"])
    count = Questionnaire.objects.count()
    response, check, write = xlsform_import(
        client, SimpleUploadedFile("form.xlsx", buffer.getvalue()), "Hostile id"
    )
    _no_500(response, repr(form_id))
    assert response.status_code in (302, 422), repr(form_id)
    if check is not None:
        _no_500(client.get(reverse("jobs:detail", args=[check.pk])), repr(form_id))
    if write is not None and write.status == "done":
        # Taken after all: then the id kept is one line, and the export's file name works.
        questionnaire = Questionnaire.objects.order_by("-pk").first()
        assert "\n" not in questionnaire.form_id and "/" not in questionnaire.form_id
        export = client.get(reverse("surveys:questionnaire-export", args=[questionnaire.pk]))
        _no_500(export, "export")
    else:
        assert Questionnaire.objects.count() == count


# ---------------------------------------------------------------- every text field, every way in

# Each refused character (NUL, C0 controls, DEL, the XML non-characters); every one of the 30
# is checked by ``clean_text`` itself below, these through every field of every form.
REFUSED_IN_FORMS = ["\x00", "\x01", "\x07", "\x08", "\x1b", "\x1f", "\x7f", "\ufffe"]
REFUSED_IN_ADMIN = ["\x00", "\x01", "\x1b"]


def _refused_message(char: str) -> str:
    return "Null characters are not allowed." if char == "\x00" else f"U+{ord(char):04X}"


def test_clean_text_refuses_each_control_character_and_keeps_line_breaks():
    from django.core.exceptions import ValidationError

    from core.hygiene import clean_text

    refused = [chr(c) for c in (*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F, 0xFFFE, 0xFFFF)]
    assert len(refused) == 30
    for char in refused:
        with pytest.raises(ValidationError) as raised:
            clean_text(f"ab{char}cd")
        assert _refused_message(char) in " ".join(raised.value.messages) or (
            char == "\x00" and raised.value.code == "null_characters"
        ), repr(char)
    for char in "\x0b\x0c":
        assert clean_text(f"ab{char}cd") == "ab\ncd"
    assert clean_text("tab\there\r\nnew line") == "tab\there\r\nnew line"


def _edit_pages(world) -> dict:
    """Every edit page of the app and the row it edits (as the access table maps them)."""
    o = world.objects
    return {
        reverse("workinggroups:group-edit", args=[o["wg1"].pk]): o["wg1"],
        reverse("workinggroups:deliverable-edit", args=[o["deliverable"].pk]): o["deliverable"],
        reverse("workinggroups:milestone-edit", args=[o["milestone"].pk]): o["milestone"],
        reverse("workinggroups:meeting-edit", args=[o["meeting"].pk]): o["meeting"],
        reverse("workinggroups:action-edit", args=[o["action_item"].pk]): o["action_item"],
        reverse("workinggroups:resource-edit", args=[o["resource"].pk]): o["resource"],
        reverse("workinggroups:progress-edit", args=[o["deliverable_update"].pk]): o[
            "deliverable_update"
        ],
        reverse("roadmap:update-edit", args=[o["result_update"].pk]): o["result_update"],
        reverse("roadmap:indicator-value-edit", args=[o["indicator_value"].pk]): o[
            "indicator_value"
        ],
        reverse("reports:edition-update", args=[o["edition"].pk]): o["edition"],
    }


def _state(row) -> tuple:
    from core.concurrency import version_token

    fresh = type(row)._base_manager.get(pk=row.pk)
    return version_token(fresh), fresh.history.count()


def _text_fields(form) -> list[str]:
    from django import forms

    return [
        name
        for name, field in form.fields.items()
        if type(field) in (forms.CharField,)  # plain text: URLs and e-mails have their own checks
        and not field.widget.is_hidden
        and name != "version"
    ]


def _refused_fields(form, fields: list[str], char: str) -> list[str]:
    """The fields of `fields` whose errors in the bound `form` do not name `char`."""
    return [
        name for name in fields if _refused_message(char) not in " ".join(form.errors.get(name, []))
    ]


def test_every_text_field_of_every_edit_form_refuses_control_characters(world, capsys):
    """Each refused character in each text field of each edit page: a message naming it, the
    row and its history unchanged, never a 500. One submit per page and character puts it in
    every text field at once (each field is checked on its own, so each must say so)."""
    from tests.helpers import form_data

    client = client_for(world.users["admin"])
    tried = 0
    for url, row in _edit_pages(world).items():
        page = client.get(url)
        assert page.status_code == 200, url
        data = form_data(page.context["form"])
        data.setdefault("reason", "Hostile input")
        fields = _text_fields(page.context["form"])
        assert fields, url
        before = _state(row)
        for char in REFUSED_IN_FORMS:
            response = client.post(url, {**data, **{name: f"ok{char}ok" for name in fields}})
            _no_500(response, f"{url} {char!r}")
            assert response.status_code in (200, 422), (url, repr(char))
            assert not _refused_fields(response.context["form"], fields, char), (url, repr(char))
            assert _refused_message(char) in _text(response), (url, repr(char))
            tried += len(fields)
        assert _state(row) == before, url  # nothing written, no history
    with capsys.disabled():
        print(f"\nedit forms: {tried} control-character inputs refused, 0 written, 0 500s")
    assert tried >= 250


def test_every_text_field_of_every_admin_change_form_refuses_control_characters(world, capsys):
    """The same through the Django admin: every registered admin of the project's models, each
    text field of its change form (with its version: the hygiene refuses, not the version)."""
    from django.contrib import admin

    from tests.helpers import admin_form_data

    user = world.users["admin"]
    user.is_superuser = True  # some apps' admins go by Django's permissions
    user.save()
    client = client_for(user)
    project = {"accounts", "roadmap", "workinggroups", "surveys", "reports"}
    tried, admins = 0, 0
    for model, _model_admin in admin.site._registry.items():
        if model._meta.app_label not in project:
            continue
        row = model._base_manager.order_by("pk").first()
        if row is None:
            continue
        url = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[row.pk]
        )
        page = client.get(url)
        if page.status_code != 200 or "adminform" not in (page.context or {}):
            continue
        form = page.context["adminform"].form
        fields = [n for n in _text_fields(form) if n not in ("change_reason", "password")]
        if not fields:
            continue
        admins += 1
        data = admin_form_data(page)
        before = (
            _state(row)
            if hasattr(row, "history")
            else (getattr(model._base_manager.get(pk=row.pk), "updated_at", None),)
        )
        for char in REFUSED_IN_ADMIN:
            hostile = {name: f"ok{char}ok" for name in fields}
            response = client.post(url, {**data, **hostile, "change_reason": "t"})
            _no_500(response, f"{url} {char!r}")
            assert response.status_code == 200, (url, repr(char))
            refused = _refused_fields(response.context["adminform"].form, fields, char)
            assert not refused, (url, refused, repr(char))
            tried += len(fields)
        after = (
            _state(row)
            if hasattr(row, "history")
            else (getattr(model._base_manager.get(pk=row.pk), "updated_at", None),)
        )
        assert after == before, url
    with capsys.disabled():
        print(f"\nadmin: {tried} control-character inputs in {admins} change forms refused")
    assert admins >= 15 and tried >= 100

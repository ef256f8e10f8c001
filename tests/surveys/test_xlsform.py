"""XLSForm import read with pyxform: spellings, refusals with sheet/row/column, warnings on a
preview before anything is created, export that pyxform converts, round trip, limits."""

import io
import time
import zipfile

import pytest
from django.urls import reverse
from openpyxl import Workbook
from pyxform.xls2xform import convert

from jobs.models import Job
from surveys import xlsform
from surveys.models import Choice, Question, Questionnaire, Section
from tests.helpers import questionnaire_structure, xlsform_import

KOBO_HEADER = [
    "type",
    "name",
    "label:English",
    "label::Français (fr)",
    "label::Kiswahili (sw)",
    "hint:english",
    "bind::relevant",
    "bind::constraint",
    "constraint_message:English",
    "required",
    "choice_filter",
    "calculation",
    "default",
    "appearance",
]


def workbook(survey_rows, choices_rows=None, settings=None, header=KOBO_HEADER) -> io.BytesIO:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(header)
    for row in survey_rows:
        survey.append(row)
    choices = book.create_sheet("choices")
    choices.append(["list name", "name", "label:English", "label::Kiswahili (sw)", "state"])
    for row in choices_rows or CHOICES:
        choices.append(row)
    sheet = book.create_sheet("settings")
    settings = settings or {"form_title": "Test form", "form_id": "test_form", "version": "1"}
    sheet.append(list(settings))
    sheet.append(list(settings.values()))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


CHOICES = [
    ["yn", "yes", "Yes", "Ndiyo"],
    ["yn", "no", "No", "Hapana"],
    ["state", "tx", "Texas"],
    ["state", "wa", "Washington"],
    ["county", "harris", "Harris", "", "tx"],
    ["county", "travis", "Travis", "", "tx"],
    ["county", "king", "King", "", "wa"],
    ["fruit", "apple", "Apple"],
    ["fruit", "pear", "Pear"],
]

GOOD = [
    ["start", "start"],
    ["end", "end"],
    ["today", "today"],
    ["select one yn", "consent", "Consent?", "Consentement ?", "Ridhaa?", "", "", "", "", "yes"],
    ["begin group", "household", "Household", "", "", "", "${consent} = 'yes'"],
    ["integer", "age", "Age", "Âge", "Umri", "In years", "", ". >= 0 and . <= 120", "0 to 120"],
    ["begin_group", "place", "Place", "", "", "", "${age} >= 18"],
    ["select_one state", "state", "State"],
    ["select_one county", "county", "County", "", "", "", "", "", "", "", "state=${state}"],
    [
        "select_multiple fruit or_other",
        "fruit",
        "Fruit",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "minimal",
    ],
    ["end_group"],
    ["calculate", "age_months", "", "", "", "", "", "", "", "", "", "${age} * 12"],
    ["note", "intro", "Thank you"],
    ["date", "visit", "Visit date", "", "", "", "", ". <= today()"],
    ["text", "comments", "Comments", "", "", "", "", "", "", "", "", "", "none", "multiline"],
    ["end group"],
]


def assert_pyxform_converts(content: bytes) -> str:
    result = convert(xlsform=content, warnings=[])
    assert "<h:html" in result.xform
    return result.xform


def test_kobo_spellings_are_read(db):
    questionnaire = xlsform.import_xlsform(workbook(GOOD), name="Imported")
    kinds = dict(questionnaire.questions.values_list("name", "kind"))
    assert kinds == {
        "consent": "yes_no",
        "age": "integer",
        "state": "single",
        "county": "single",
        "fruit": "multiple",
        "fruit_other": "text",
        "age_months": "calculate",
        "intro": "note",
        "visit": "date",
        "comments": "long_text",
    }
    age = questionnaire.questions.get(name="age")
    assert (age.label_en, age.label_fr, age.help_en) == ("Age", "Âge", "In years")
    assert age.translations["label"] == {"Kiswahili (sw)": "Umri"}
    assert age.message("constraint_message") == "0 to 120"
    assert (age.min_value, age.max_value) == (0, 120)
    # The group's relevant stays on the group; the inner group adds the outer one's.
    household = questionnaire.sections.get(name="household")
    place = questionnaire.sections.get(name="place")
    assert (household.relevant, place.relevant, place.parent) == (
        "${consent} = 'yes'",
        "${age} >= 18",
        household,
    )
    assert place.condition == "(${consent} = 'yes') and (${age} >= 18)"
    assert questionnaire.questions.get(name="state").relevant == ""
    county = questionnaire.questions.get(name="county")
    assert county.choice_filter == "state=${state}" and county.list_name == "county"
    assert county.choices.get(name="king").properties == {"state": "wa"}
    fruit = questionnaire.questions.get(name="fruit")
    assert fruit.or_other and fruit.appearance == "minimal"
    assert [c.name for c in fruit.choices.all()] == ["apple", "pear", "other"]
    assert fruit.choices.get(name="other").label_fr == "Autre"
    assert questionnaire.questions.get(name="comments").default == "none"
    assert questionnaire.languages == [
        ["English", "en"],
        ["Français (fr)", "fr"],
        ["Kiswahili (sw)", None],
    ]


def test_preview_lists_what_is_ignored(db):
    plan = xlsform.read_xlsform(workbook(GOOD), name="Preview")
    text = [str(w) for w in plan.warnings]
    assert "survey, row 2, column type: The metadata start" in text[0]
    assert any("end is recorded" in t for t in text) and any("today" in t for t in text)
    assert any("Kiswahili (sw) is kept" in t for t in text)
    assert plan.extra_languages == ["Kiswahili (sw)"]
    assert not Questionnaire.objects.exists()


@pytest.mark.parametrize(
    ("rows", "row", "column", "reason"),
    [
        (
            [["begin_repeat", "kids", "Children"], ["text", "kid", "Kid"], ["end_repeat"]],
            3,
            "type",
            "The repeat kids",
        ),
        ([["begin repeat", "kids", "Children"], ["end repeat"]], 3, "type", "The repeat kids"),
        ([["geopoint", "where", "Where"]], 3, "type", "The type geopoint is not supported"),
        (
            [["begin_group", "g", "G"], ["text", "ok", "Again"], ["end_group"]],
            4,
            "name",
            "already used on row 2",
        ),
        ([["begin_group", "ok", "Group"], ["end_group"]], 3, "name", "must be unique"),
        ([["text", "b", "B", "", "", "", "foo(${ok})"]], 3, "relevant", "foo() is not supported"),
        ([["text", "b", "B", "", "", "", "", "", "", "maybe"]], 3, "required", "write yes or no"),
        ([["text", "b", "x" * 10001]], 3, "label:English", "keep it under 10000"),
        (
            [["text", "b", "B", "", "", "", "${ok} = " + "'x' or ${ok} = " * 400 + "'y'"]],
            3,
            "relevant",
            "keep it under 5000",
        ),
    ],
)
def test_refusals_name_sheet_row_column_and_create_nothing(db, rows, row, column, reason):
    with pytest.raises(xlsform.XLSFormError) as error:
        xlsform.import_xlsform(workbook([["text", "ok", "OK"], *rows]), name="Broken")
    found = [(p.sheet, p.row, p.column, p.reason) for p in error.value.errors]
    assert any(
        s == "survey" and r == row and c == column and reason in text for s, r, c, text in found
    ), found
    assert not (
        Questionnaire.objects.exists()
        or Section.objects.exists()
        or Question.objects.exists()
        or Choice.objects.exists()
    )


def test_pyxform_errors_keep_their_row(db):
    with pytest.raises(xlsform.XLSFormError) as error:
        xlsform.import_xlsform(workbook([["select_one nolist", "a", "A"]]), name="X")
    problem = error.value.errors[0]
    assert problem.row == 2 and "nolist" in problem.reason


def test_long_labels_and_conditions_fit(db):
    """A 301-character label and a 501-character condition (refused with a 500 on PostgreSQL
    before) are stored whole, on SQLite and PostgreSQL alike."""
    label = "L" * 301
    relevant = "${ok} != ''" + " and ${ok} != 'x'" * 30
    assert len(relevant) > 501
    questionnaire = xlsform.import_xlsform(
        workbook(
            [["text", "ok", "OK"], ["text", "b", label, "", "", "", relevant]],
            [["yn", "yes", "C" * 400], ["yn", "no", "No"]],
        ),
        name="Long",
    )
    b = questionnaire.questions.get(name="b")
    assert (b.label_en, b.relevant) == (label, relevant)


def test_export_converts_with_pyxform_and_round_trips(db):
    first = xlsform.import_xlsform(workbook(GOOD), name="First")
    exported = xlsform.export_xlsform(first)
    xform = assert_pyxform_converts(exported)
    assert 'nodeset="/data/household/place"' in xform  # nested group kept
    second = xlsform.import_xlsform(io.BytesIO(exported), name="Second")
    assert questionnaire_structure(second) == questionnaire_structure(first)


def test_endline_fixture_is_valid_xlsform_and_its_export_too(db):
    from surveys import seed

    assert_pyxform_converts(seed.ENDLINE_FILE.read_bytes())
    seed.load_reference_data()
    first = Questionnaire.objects.get()
    exported = xlsform.export_xlsform(first)
    assert_pyxform_converts(exported)
    second = xlsform.import_xlsform(io.BytesIO(exported), name="Copy")
    assert questionnaire_structure(second)[2:] == questionnaire_structure(first)[2:]
    names = [s.name for s in first.sections.all()] + [q.name for q in first.questions.all()]
    assert len(names) == len(set(names))


def test_xls_files_are_read(db):
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    survey = book.add_sheet("survey")
    for r, row in enumerate(
        [["type", "name", "label"], ["select_one yn", "q", "Q?"], ["integer", "n", "N"]]
    ):
        for c, value in enumerate(row):
            survey.write(r, c, value)
    choices = book.add_sheet("choices")
    for r, row in enumerate(
        [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]]
    ):
        for c, value in enumerate(row):
            choices.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    questionnaire = xlsform.import_xlsform(buffer, name="Old Excel")
    assert dict(questionnaire.questions.values_list("name", "kind")) == {
        "q": "yes_no",
        "n": "integer",
    }
    assert questionnaire.questions.get(name="q").label_en == "Q?"


def test_zip_bomb_is_refused_at_once(db):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "x")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    buffer.seek(0)
    started = time.monotonic()
    with pytest.raises(xlsform.XLSFormError) as error:
        xlsform.read_xlsform(buffer, name="Bomb")
    assert time.monotonic() - started < 1
    assert len(error.value.errors) == 1 and "unpacks" in error.value.errors[0].reason


def _upload(client, content: io.BytesIO, name: str, filename="form.xlsx"):
    content.name = filename
    return client.post(reverse("surveys:questionnaire-import"), {"name": name, "file": content})


def _named(content: io.BytesIO, filename="form.xlsx") -> io.BytesIO:
    content.name = filename
    return content


def test_upload_is_checked_by_a_job_then_created_by_another(
    client, admin_user, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    page, check, write = xlsform_import(
        client, _named(workbook(GOOD)), "Good", django_capture_on_commit_callbacks, confirm=False
    )
    # The request only guards the file and queues the check: its page shows progress, then the
    # preview.
    assert page.status_code == 302 and page.url == reverse("jobs:detail", args=[check.pk])
    assert check.status == Job.Status.DONE and check.total == len(GOOD)
    html = client.get(page.url).content.decode()
    assert "Ready to create" in html and "The metadata start" in html
    assert "Kiswahili (sw)" in html
    assert "10 questions" in html
    assert not Questionnaire.objects.exists()  # nothing before the confirmation

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("surveys:questionnaire-import-confirm"), {"job": check.pk})
    write = Job.objects.get(kind="questionnaires.write")
    assert done.status_code == 302 and done.url == reverse("jobs:detail", args=[write.pk])
    questionnaire = Questionnaire.objects.get()
    assert questionnaire.questions.count() == 10
    assert write.status == Job.Status.DONE and write.summary["questionnaire"] == questionnaire.pk
    result = client.get(done.url).content.decode()
    assert "Questionnaire Good created." in result
    assert reverse("surveys:questionnaire-export", args=[questionnaire.pk]) in result
    # The checked file is used up: a second confirmation creates nothing.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("surveys:questionnaire-import-confirm"), {"job": check.pk})
    assert again.url == reverse("surveys:questionnaire-import")
    assert Questionnaire.objects.count() == 1
    assert Job.objects.filter(kind="questionnaires.write").count() == 1


def test_the_check_reports_errors_by_sheet_row_and_column(
    client, admin_user, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    rows = [["text", "ok", "OK"], ["begin repeat", "r", "R"], ["end repeat"]]
    page, check, write = xlsform_import(
        client, _named(workbook(rows)), "Bad", django_capture_on_commit_callbacks
    )
    assert page.status_code == 302 and write is None
    assert check.summary == {"valid": False}
    assert check.errors[0]["row"] == 3 and check.errors[0]["column"] == "survey: type"
    assert check.errors[0]["message"].startswith("The repeat r")
    html = client.get(page.url).content.decode()
    assert "The form was not imported; nothing was created" in html
    assert "The repeat r" in html and "survey: type" in html
    assert "Create the questionnaire" not in html
    assert not Questionnaire.objects.exists()
    # The refused file is not kept: nothing can confirm it.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("surveys:questionnaire-import-confirm"), {"job": check.pk})
    assert not Questionnaire.objects.exists()


def test_a_name_taken_between_check_and_write_fails_the_write_and_creates_nothing(
    client, admin_user, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    _page, check, _write = xlsform_import(
        client, _named(workbook(GOOD)), "Twice", django_capture_on_commit_callbacks, confirm=False
    )
    xlsform.import_xlsform(workbook(GOOD[:4]), name="Twice")
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("surveys:questionnaire-import-confirm"), {"job": check.pk})
    write = Job.objects.get(kind="questionnaires.write")
    assert write.status == Job.Status.FAILED and write.errors
    assert Questionnaire.objects.count() == 1
    assert "nothing was created" in client.get(done.url).content.decode()


def test_someone_else_cannot_confirm_a_check(
    client, admin_user, django_capture_on_commit_callbacks
):
    from tests import factories

    client.force_login(admin_user)
    _page, check, _write = xlsform_import(
        client, _named(workbook(GOOD)), "Mine", django_capture_on_commit_callbacks, confirm=False
    )
    client.force_login(factories.AdminFactory())
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("surveys:questionnaire-import-confirm"), {"job": check.pk})
    assert page.url == reverse("surveys:questionnaire-import")
    assert not Questionnaire.objects.exists()


def test_upload_refuses_a_non_workbook(client, admin_user):
    client.force_login(admin_user)
    page = _upload(client, io.BytesIO(b"<html>not excel</html>"), "X")
    assert "Upload an Excel workbook (.xlsx or .xls)" in page.content.decode()
    assert not Questionnaire.objects.exists() and not Job.objects.exists()


def test_the_zip_bomb_is_refused_in_the_request_with_one_message(client, admin_user):
    client.force_login(admin_user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "x")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    buffer.seek(0)
    page = _upload(client, buffer, "Bomb")
    assert page.status_code == 422
    errors = page.content.decode().split('id="import-errors"', 1)[1].split("</div>", 1)[0]
    assert errors.count("<li>") == 1 and "unpacks to" in errors
    assert not Job.objects.exists() and not Questionnaire.objects.exists()


def test_confirm_without_a_checked_file_creates_nothing(client, admin_user):
    client.force_login(admin_user)
    page = client.post(reverse("surveys:questionnaire-import-confirm"), {"job": "abc"})
    assert page.status_code == 302 and not Questionnaire.objects.exists()


def test_import_pages_are_for_admins(client, focal_lebanon):
    client.force_login(focal_lebanon)
    assert client.get(reverse("surveys:questionnaire-import")).status_code == 404
    assert client.get(reverse("surveys:questionnaire-import-confirm")).status_code == 405


def test_export_and_preview_queries_do_not_grow_with_the_form(
    client, admin_user, django_assert_max_num_queries
):
    small = xlsform.import_xlsform(workbook(GOOD[:4]), name="Small")
    big = xlsform.import_xlsform(
        workbook([*GOOD, *[["integer", f"n{i}", f"N{i}"] for i in range(60)]]), name="Big"
    )
    client.force_login(admin_user)
    for questionnaire in (small, big):
        url = reverse("surveys:questionnaire-export", args=[questionnaire.pk])
        # session, user, questionnaire, sections, questions, choices, indicator codes, and
        # the session's refresh (savepoint, update, release) when it is due
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200
    for rows in (GOOD[:4], [*GOOD, *[["text", f"t{i}", f"T{i}"] for i in range(60)]]):
        # session, user, and the check queued: the person's row locked, their waiting jobs
        # counted, the job inserted (in a savepoint); the check itself runs in the worker
        with django_assert_max_num_queries(8):
            page = _upload(client, workbook(rows), "Preview only")
        assert page.status_code == 302


@pytest.mark.parametrize("form_id", ["endline\n2025", "end\tline", "../../etc", "x" * 101])
def test_a_hostile_form_id_is_refused_at_the_preview(db, form_id):
    settings = {"form_title": "T", "form_id": form_id}
    with pytest.raises(xlsform.XLSFormError) as error:
        xlsform.read_xlsform(workbook([["text", "ok", "OK"]], settings=settings), name="Id")
    assert error.value.errors[0].sheet == "settings"


def test_questions_outside_groups_sit_on_a_page_named_in_every_language(db):
    plan_rows = [["text", "alone", "Alone"]]
    titled = xlsform.import_xlsform(workbook(plan_rows), name="Titled")
    assert titled.sections.get().title_fr == "Test form"
    untitled = xlsform.import_xlsform(workbook(plan_rows, settings={"form_id": "x"}), name="U")
    section = untitled.sections.get()
    assert (section.title_en, section.title_fr, section.title_ar) == ("U", "U", "U")

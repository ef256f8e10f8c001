"""XLSForm import (errors with sheet and row, nothing created) and round trip."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from surveys import xlsform
from surveys.models import Choice, Question, Questionnaire, Section

SURVEY_HEADER = [
    "type",
    "name",
    "label::English (en)",
    "label::French (fr)",
    "hint::English (en)",
    "required",
    "relevant",
    "constraint",
    "appearance",
]


def workbook(survey_rows, choices_rows=None, settings_rows=None) -> io.BytesIO:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(SURVEY_HEADER)
    for row in survey_rows:
        survey.append(row)
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label::English (en)", "label::French (fr)"])
    for row in choices_rows or [
        ["yn", "yes", "Yes", "Oui"],
        ["yn", "no", "No", "Non"],
        ["svc", "pfa", "PFA", "PSP"],
        ["svc", "other", "Other", "Autre"],
    ]:
        choices.append(row)
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "default_language"])
    settings.append(["Test form", "test_form", "English (en)"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


GOOD = [
    ["start", "start"],
    ["begin_group", "g1", "Services", "Services"],
    ["select_one yn", "provides", "Provide?", "Fournissez-vous ?", "Last 12 months", "yes"],
    ["select_multiple svc", "services", "Which?", "Lesquels ?", "", "true", "${provides} = 'yes'"],
    [
        "text",
        "other_text",
        "Other",
        "Autre",
        "",
        "",
        "selected(${services}, 'other') and ${provides} != 'no'",
    ],
    ["integer", "staff", "Staff", "Personnel", "", "", "", ". >= 0 and . <= 100"],
    ["end_group"],
    ["begin group", "g2", "More"],
    ["text", "notes", "Notes", "", "", "", "", "", "multiline"],
    ["decimal", "budget", "Budget", "", "", "no", "", ". >= 0"],
    ["end group"],
]


def test_import_creates_questionnaire(db):
    questionnaire = xlsform.import_xlsform(workbook(GOOD), name="Imported")
    kinds = dict(questionnaire.questions.values_list("name", "kind"))
    assert kinds == {
        "provides": "yes_no",
        "services": "multiple",
        "other_text": "text",
        "staff": "integer",
        "notes": "long_text",
        "budget": "decimal",
    }
    staff = questionnaire.questions.get(name="staff")
    assert (staff.min_value, staff.max_value) == (0, 100)
    provides = questionnaire.questions.get(name="provides")
    assert (
        provides.required
        and provides.label_fr == "Fournissez-vous ?"
        and provides.help_en == "Last 12 months"
    )
    assert list(questionnaire.sections.values_list("name", flat=True)) == ["g1", "g2"]
    assert questionnaire.form_id == "test_form"


@pytest.mark.parametrize(
    ("rows", "sheet", "row", "reason"),
    [
        ([["note", "n1", "A note"]], "survey", 2, "type 'note' is not supported"),
        ([["select_one nolist", "a", "A"]], "survey", 2, "'nolist' is not on the choices sheet"),
        ([["text", "a", "A"], ["text", "a", "B"]], "survey", 3, "used twice"),
        ([["text", "a", "A", "", "", "", "${zz} = 'x'"]], "survey", 2, "not an earlier question"),
        ([["text", "a", "A", "", "", "", "count(${a}) > 1"]], "survey", 2, "not supported"),
        ([["integer", "a", "A", "", "", "", "", "regex(., '^a')"]], "survey", 2, "only '. >= n'"),
        ([["text", "a", "A", "", "", "maybe"]], "survey", 2, "required must be yes or no"),
        ([["text", "a", ""]], "survey", 2, "English label is required"),
        ([["begin_repeat", "r", "R"]], "survey", 2, "repeats are not supported"),
        (
            [["begin_group", "g", "G"], ["begin_group", "h", "H"]],
            "survey",
            3,
            "groups inside groups",
        ),
        ([["text", "bad name", "A"]], "survey", 2, "not a valid name"),
    ],
)
def test_import_refuses_with_sheet_row_reason_and_creates_nothing(db, rows, sheet, row, reason):
    with pytest.raises(xlsform.XLSFormError) as error:
        xlsform.import_xlsform(workbook([["text", "ok", "OK"], *rows]), name="Broken")
    found = [(p.sheet, p.row, p.reason) for p in error.value.errors]
    assert any(s == sheet and r == row + 1 and reason in text for s, r, text in found), found
    assert not Questionnaire.objects.exists()
    assert (
        not Section.objects.exists()
        and not Question.objects.exists()
        and not Choice.objects.exists()
    )


def test_import_refuses_duplicate_choice(db):
    choices = [["yn", "yes", "Yes", ""], ["yn", "yes", "Again", ""], ["yn", "no", "No", ""]]
    with pytest.raises(xlsform.XLSFormError) as error:
        xlsform.import_xlsform(workbook([["select_one yn", "a", "A"]], choices), name="X")
    assert ("choices", 3) in [(p.sheet, p.row) for p in error.value.errors]


def _structure(questionnaire):
    return [
        (
            s.name,
            s.title_en,
            [
                (
                    q.name,
                    q.kind,
                    q.required,
                    q.relevant,
                    q.min_value,
                    q.max_value,
                    q.label_en,
                    q.label_fr,
                    q.help_en,
                    [(c.name, c.label_en, c.label_fr) for c in q.choices.all()],
                )
                for q in s.questions.order_by("order")
            ],
        )
        for s in questionnaire.sections.order_by("order")
    ]


def test_round_trip_gives_an_equivalent_questionnaire(db):
    first = xlsform.import_xlsform(workbook(GOOD), name="First")
    exported = xlsform.export_xlsform(first)
    second = xlsform.import_xlsform(io.BytesIO(exported), name="Second")
    assert _structure(second) == _structure(first)
    again = xlsform.import_xlsform(io.BytesIO(xlsform.export_xlsform(second)), name="Third")
    assert _structure(again) == _structure(first)


def test_round_trip_of_default_endline_questionnaire(db):
    from surveys import seed

    seed.load_reference_data()
    first = Questionnaire.objects.get()
    second = xlsform.import_xlsform(io.BytesIO(xlsform.export_xlsform(first)), name="Copy")
    assert _structure(second) == _structure(first)


def test_upload_page_imports_and_reports_errors(client, admin_user):
    client.force_login(admin_user)
    url = reverse("surveys:questionnaire-import")
    bad = workbook([["note", "n", "N"]])
    bad.name = "bad.xlsx"
    page = client.post(url, {"name": "Bad", "file": bad})
    assert page.status_code == 422
    assert "Sheet survey, row 2: the type" in page.content.decode()
    good = workbook(GOOD)
    good.name = "good.xlsx"
    assert client.post(url, {"name": "Good", "file": good}).status_code == 302
    assert Questionnaire.objects.filter(name="Good").exists()


def test_upload_refuses_a_non_workbook(client, admin_user):
    client.force_login(admin_user)
    fake = io.BytesIO(b"<html>not excel</html>")
    fake.name = "form.xlsx"
    page = client.post(reverse("surveys:questionnaire-import"), {"name": "X", "file": fake})
    assert "Upload an Excel workbook" in page.content.decode()
    assert not Questionnaire.objects.exists()

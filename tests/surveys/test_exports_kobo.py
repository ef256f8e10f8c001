"""Exports as KoboToolbox users expect them: a 0/1 column per option of a multiple choice
beside the joined column, a codebook sheet (questions, types, options, labels in four
languages, conditions), and answers as labels or codes. Read back with openpyxl and csv."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from jobs.models import Job
from surveys.models import Response
from tests import factories

pytestmark = pytest.mark.django_db


def _respond(survey_round, society, values, question, state="submitted"):
    response = Response.objects.create(round=survey_round, society=society, state=state)
    for name, value in values.items():
        response.answers.create(question=question(name), value=value)
    return response


@pytest.fixture
def answered(survey_round, question, kenya, lebanon):
    question("services").choices.filter(name="pfa").update(
        label_fr="Premiers secours psychologiques", label_es="PAP", label_ar="الإسعافات النفسية"
    )
    question("staff").__class__.objects.filter(pk=question("staff").pk).update(
        constraint=". <= 1000", label_fr="Combien de personnel ?"
    )
    _respond(
        survey_round,
        kenya,
        {"provides": "yes", "services": "pfa counselling", "staff": "12", "notes": "Floods"},
        question,
    )
    # Lebanon said no: its services answer is kept but not asked, so blank everywhere.
    _respond(survey_round, lebanon, {"provides": "no", "services": "rfl", "staff": "4"}, question)
    senegal = factories.NationalSocietyFactory(name="Senegalese Red Cross", country="SN")
    _respond(survey_round, senegal, {"provides": "yes"}, question, state="in_progress")
    return survey_round


def _get(client, survey_round, **params):
    return client.get(reverse("surveys:round-export", args=[survey_round.pk]), params)


def _book(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _csv(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def _by_society(rows):
    header, *body = rows
    return header, {row[0]: dict(zip(header, row, strict=True)) for row in body}


def test_wide_xlsx_with_codes_has_a_0_1_column_per_option(client, reader, answered):
    client.force_login(reader)
    book = _book(
        _get(client, answered, format="xlsx", layout="wide", language="en", values="codes")
    )
    assert book.sheetnames == ["Endline 2023", "Codebook", "About"]
    rows = [list(r) for r in book["Endline 2023"].iter_rows(values_only=True)]
    header, by = _by_society(rows)
    assert header == [
        "society",
        "country",
        "region",
        "state",
        "submitted",
        "provides",
        "services",
        "services/pfa",
        "services/rfl",
        "services/counselling",
        "staff",
        "notes",
    ]
    kenya = by["Kenya Red Cross Society"]
    assert kenya["region"] == "africa" and kenya["state"] == "submitted"
    assert kenya["provides"] == "yes" and kenya["services"] == "pfa counselling"
    assert (kenya["services/pfa"], kenya["services/rfl"], kenya["services/counselling"]) == (
        1,
        0,
        1,
    )
    assert kenya["staff"] == 12
    lebanon = by["Lebanese Red Cross"]
    assert lebanon["region"] == "mena" and lebanon["provides"] == "no"
    # Not asked: the joined cell and the option cells stay blank.
    assert [lebanon[c] for c in ("services", "services/pfa", "services/rfl")] == [None] * 3
    senegal = by["Senegalese Red Cross"]
    assert senegal["state"] == "in_progress"
    # Asked but not answered: blank, not 0.
    assert senegal["services"] is None and senegal["services/pfa"] is None


def test_wide_xlsx_with_labels_in_french(client, reader, answered):
    client.force_login(reader)
    book = _book(
        _get(client, answered, format="xlsx", layout="wide", language="fr", values="labels")
    )
    sheet = book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header, by = _by_society(rows)
    assert "services/pfa: Premiers secours psychologiques" in header
    assert "services/rfl: RFL" in header  # no French label: the English one
    kenya = by["Kenya Red Cross Society"]
    assert kenya["services: Which services?"] == "Premiers secours psychologiques; COUNSELLING"
    assert kenya["services/pfa: Premiers secours psychologiques"] == 1
    assert kenya["services/rfl: RFL"] == 0
    assert kenya["provides: Do you provide MHPSS?"] == "Oui"
    about = [list(r) for r in book.worksheets[-1].iter_rows(values_only=True)]
    assert any(row[0] == "Codebook" or "question/option" in str(row[1]) for row in about)


def test_the_codebook_sheet_lists_questions_options_labels_and_conditions(client, reader, answered):
    client.force_login(reader)
    book = _book(_get(client, answered, format="xlsx", layout="wide", language="en"))
    rows = [list(r) for r in book["Codebook"].iter_rows(values_only=True)]
    header = rows[0]
    assert header == [
        "column",
        "name",
        "option",
        "type",
        "type_label",
        "required",
        "label::English (en)",
        "label::French (fr)",
        "label::Spanish (es)",
        "label::Arabic (ar)",
        "relevant",
        "constraint",
        "choice_filter",
        "section",
    ]
    by = {(row[1], row[2] or ""): dict(zip(header, row, strict=True)) for row in rows[1:]}
    services = by["services", ""]
    assert services["type"] == "multiple" and services["type_label"] == "Multiple choice"
    assert services["relevant"] == "${provides} = 'yes'" and services["required"] == "Yes"
    pfa = by["services", "pfa"]
    assert pfa["column"] == "services/pfa" and pfa["type"] == "option"
    assert pfa["label::French (fr)"] == "Premiers secours psychologiques"
    assert pfa["label::Spanish (es)"] == "PAP"
    assert pfa["label::Arabic (ar)"] == "الإسعافات النفسية"
    # Single-valued questions' options have no column of their own.
    yes = by["provides", "yes"]
    assert yes["column"] is None and yes["label::Arabic (ar)"] == "نعم"
    staff = by["staff", ""]
    assert staff["constraint"] == ". <= 1000" and staff["type"] == "integer"
    assert staff["label::French (fr)"] == "Combien de personnel ?"
    assert staff["section"] == "Services"
    assert [row[1] for row in rows[1:] if not row[2]] == ["provides", "services", "staff", "notes"]


def test_csv_wide_with_codes_and_the_codebook_as_csv(client, reader, answered):
    client.force_login(reader)
    rows = _csv(_get(client, answered, format="csv", layout="wide", language="en", values="codes"))
    header, by = _by_society(rows)
    assert header[5:10] == [
        "provides",
        "services",
        "services/pfa",
        "services/rfl",
        "services/counselling",
    ]
    kenya = by["Kenya Red Cross Society"]
    assert (kenya["services/pfa"], kenya["services/rfl"], kenya["services/counselling"]) == (
        "1",
        "0",
        "1",
    )
    assert by["Lebanese Red Cross"]["services/pfa"] == ""
    codebook = _csv(_get(client, answered, format="csv", layout="codebook", language="en"))
    assert codebook[0][:3] == ["column", "name", "option"]
    assert ["services/rfl", "services", "rfl"] == codebook[[r[2] for r in codebook].index("rfl")][
        :3
    ]


def test_labels_are_the_default_so_older_links_still_work(client, reader, answered):
    client.force_login(reader)
    rows = _csv(_get(client, answered, format="csv", layout="wide", language="en"))
    header, by = _by_society(rows)
    assert header[0] == "National Society"
    assert by["Kenya Red Cross Society"]["services: Which services?"] == "PFA; COUNSELLING"
    assert by["Kenya Red Cross Society"]["services/pfa: PFA"] == "1"


def test_long_layout_with_codes_names_regions_and_sections(client, reader, answered):
    client.force_login(reader)
    rows = _csv(_get(client, answered, format="csv", layout="long", language="en", values="codes"))
    kenya = [r for r in rows[1:] if r[0] == "Kenya Red Cross Society"]
    assert {r[2] for r in kenya} == {"africa"} and {r[3] for r in kenya} == {"services", "other"}
    services = next(r for r in kenya if r[4] == "services")
    assert services[6:] == ["pfa counselling", "PFA; COUNSELLING"]


def test_a_bad_values_choice_is_refused(client, reader, answered):
    client.force_login(reader)
    page = _get(client, answered, format="csv", layout="wide", language="en", values="xml")
    assert page.status_code == 400


def test_a_large_round_is_exported_as_a_job_in_the_new_shape(
    client, admin_user, answered, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_INLINE_MAX_ROWS = 1
    client.force_login(admin_user)
    params = {"format": "xlsx", "layout": "wide", "language": "en", "values": "codes"}
    offer = _get(client, answered, **params)
    assert offer["Content-Type"].startswith("text/html")
    assert 'value="surveys.round_export"' in offer.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("jobs:start"), {"kind": "surveys.round_export", "round": answered.pk, **params}
        )
    job = Job.objects.get(owner=admin_user)
    assert job.status == "done", job.message
    book = _book(client.get(reverse("jobs:download", args=[job.pk])))
    assert book.sheetnames == ["Endline 2023", "Codebook", "About"]
    header = next(book["Endline 2023"].iter_rows(values_only=True))
    assert "services/counselling" in header
    # The codebook alone never needs a job.
    codebook = _get(client, answered, format="csv", layout="codebook", language="en")
    assert codebook["Content-Type"].startswith("text/csv")


def test_submitted_is_a_real_date_and_time(client, reader, answered, kenya):
    import datetime

    from django.utils import timezone

    when = timezone.make_aware(datetime.datetime(2026, 3, 4, 9, 30))
    Response.objects.filter(round=answered, society=kenya).update(submitted_at=when)
    client.force_login(reader)
    book = _book(_get(client, answered, format="xlsx", layout="wide", language="en"))
    sheet = book["Endline 2023"]
    header = [c.value for c in sheet[1]]
    column = header.index("Submitted")
    cell = next(row[column] for row in sheet.iter_rows(min_row=2) if row[0].value == kenya.name)
    assert cell.is_date and cell.value == timezone.localtime(when).replace(tzinfo=None)
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True) if row[0]}
    assert isinstance(about["Exported"], datetime.datetime)  # not a text
    rows = _csv(_get(client, answered, format="csv", layout="wide", language="en"))
    _header, by = _by_society(rows)
    local = timezone.localtime(when)
    assert by[kenya.name]["Submitted"] == local.strftime("%Y-%m-%d %H:%M")

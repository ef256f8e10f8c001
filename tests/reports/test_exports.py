"""Spreadsheet exports: complete, and formula cells neutralised."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.hygiene import export_cell
from reports.exports import KINDS
from tests import factories


@pytest.mark.parametrize(
    "value,expected",
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+2", "'+1+2"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("plain", "plain"),
        (-5, -5),
        (None, None),
    ],
)
def test_export_cell_neutralises_formulae(value, expected):
    assert export_cell(value) == expected


def test_csv_export_neutralises_formula_cells(client, admin_user):
    factories.AreaFactory(title="=cmd|' /C calc'!A0", short_title="@evil")
    client.force_login(admin_user)
    response = client.get(reverse("reports:export-kind", kwargs={"kind": "areas", "fmt": "csv"}))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["title"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["short title"] == "'@evil"


def test_export_headers_are_in_the_reader_language(client, admin_user):
    factories.AreaFactory(title="Basic psychosocial support")
    client.force_login(admin_user)
    client.cookies["django_language"] = "fr"
    response = client.get(reverse("reports:export-kind", kwargs={"kind": "areas", "fmt": "csv"}))
    headers = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert "titre" in headers and "titre (arabe)" in headers
    assert "title" not in headers


def test_workbook_has_a_sheet_per_kind_and_every_row(client, admin_user):
    area = factories.AreaFactory()
    for n in range(120):
        factories.OutputFactory(area=area, code=f"R{n}", title=f"-result {n}")
    client.force_login(admin_user)
    response = client.get(reverse("reports:export-workbook"))
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    # Each sheet named for what it holds, in the reader's language (never "Tablib Dataset").
    assert workbook.sheetnames == [kind.title() for kind in KINDS.values()]
    assert {"Expected results", "Meetings", "Action items", "Milestones", "Evidence"} <= set(
        workbook.sheetnames
    )
    assert {"working-groups", "deliverables", "resources", "survey-responses"} <= set(KINDS)
    rows = list(workbook["Expected results"].iter_rows(values_only=True))
    assert len(rows) == 1 + 120  # header and every result: never truncated
    titles = {row[rows[0].index("title")] for row in rows[1:]}
    assert "'-result 7" in titles


def test_xlsx_export_of_indicator_values(client, admin_user):
    factories.IndicatorValueFactory(value=61)
    client.force_login(admin_user)
    url = reverse("reports:export-kind", kwargs={"kind": "indicator-values", "fmt": "xlsx"})
    rows = list(
        load_workbook(io.BytesIO(client.get(url).content)).active.iter_rows(values_only=True)
    )
    assert rows[1][rows[0].index("year")] == 2021
    assert rows[1][rows[0].index("value")] == 61  # a number, not the text "61"


def test_unknown_kind_is_404(client, admin_user):
    client.force_login(admin_user)
    url = reverse("reports:export-kind", kwargs={"kind": "passwords", "fmt": "csv"})
    assert client.get(url).status_code == 404


def test_one_resource_per_model_shared_by_the_admin_and_the_data_export():
    import importlib

    from django.apps import apps
    from django.contrib import admin

    from core.resources import ModelResource

    registered = {kind.resource._meta.model: kind.resource for kind in KINDS.values()}
    seen = set()
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.resources")
        except ModuleNotFoundError:
            continue
        own = [
            cls
            for cls in vars(module).values()
            if isinstance(cls, type)
            and issubclass(cls, ModelResource)
            and cls.__module__ == module.__name__
            and cls._meta.model is not None
        ]
        models = [cls._meta.model for cls in own]
        assert len(models) == len(set(models)), f"{module.__name__}: two resources for a model"
        for cls in own:  # no app defines another app's resources
            assert cls._meta.model._meta.app_label == config.label, cls
        seen.update(own)
    assert set(registered.values()) <= seen
    for model, model_admin in admin.site._registry.items():
        for resource_class in getattr(model_admin, "resource_classes", []):
            assert resource_class._meta.model is model
            assert resource_class in seen
            if model in registered:
                assert resource_class is registered[model], model


def test_admin_round_trip_keeps_ids_and_data_export_names_them(client, admin_user):
    from roadmap.resources import ExpectedResultResource

    result = factories.OutputFactory(code="R1.9", title="Referral pathways")
    admin_sheet = ExpectedResultResource().export()
    assert admin_sheet.headers[:2] == ["area", "area_number"]
    assert admin_sheet[0][0] == result.area_id  # the id, to be imported back
    assert "latest_status" not in admin_sheet.headers
    client.force_login(admin_user)
    response = client.get(reverse("reports:export-workbook"))
    rows = list(
        load_workbook(io.BytesIO(response.content), read_only=True)["Expected results"].iter_rows(
            values_only=True
        )
    )
    assert list(rows[0][:5]) == ["ID", "roadmap", "area", "kind", "code"]
    assert rows[0][-3:] == ("status", "percent complete", "date of the latest update")
    assert rows[1][0] == result.pk  # a number stays a number
    assert rows[1][1] == result.area.roadmap.name  # every roadmap's rows, each named
    assert rows[1][2] == result.area.number  # the area's number (a number), not its id
    assert rows[1][rows[0].index("title")] == "Referral pathways"


def _sheet_rows(content, sheet=None):
    book = load_workbook(io.BytesIO(content))
    rows = list((book[sheet] if sheet else book.active).iter_rows(values_only=True))
    return book, [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_export_cell_keeps_dates_and_numbers():
    import datetime
    from decimal import Decimal

    for value in (datetime.date(2026, 1, 2), datetime.datetime(2026, 1, 2, 3, 4), Decimal("61.5")):
        assert export_cell(value) == value
    assert export_cell("=2026-01-02") == "'=2026-01-02"


def test_progress_updates_name_their_subject_by_title(client, admin_user):
    import datetime

    result = factories.OutputFactory(code="R1.9", title="Referral pathways")
    factories.ProgressUpdateFactory(
        subject=result, status="at_risk", percent_complete=35, date=datetime.date(2026, 2, 3)
    )
    client.force_login(admin_user)
    url = reverse("reports:export-kind", kwargs={"kind": "progress-updates", "fmt": "xlsx"})
    book, (row,) = _sheet_rows(client.get(url).content)
    assert book.sheetnames == ["Progress updates"]
    assert row["subject type"] == "expected result"
    assert row["subject"] == "R1.9 Referral pathways"  # never expectedresult/4
    assert "object id" not in row
    assert row["status"] == "At risk"
    assert row["percent complete"] == 35
    assert row["date"] == datetime.datetime(2026, 2, 3)
    assert book.active["D2"].is_date
    # In French for a French reader: the sheet, the subject's kind and the status.
    client.cookies["django_language"] = "fr"
    book, (row,) = _sheet_rows(client.get(url).content)
    assert book.sheetnames == ["Points d'avancement"]
    assert row["type d'objet"] == "résultat attendu"
    assert row["statut"] == "À risque"


def test_statuses_and_choices_are_words_in_the_reader_language(client, admin_user):
    import datetime

    result = factories.OutputFactory(code="R2.1", title="Peer support")
    factories.ProgressUpdateFactory(subject=result, status="on_track", percent_complete=70)
    client.force_login(admin_user)
    client.cookies["django_language"] = "fr"
    url = reverse("reports:export-kind", kwargs={"kind": "expected-results", "fmt": "xlsx"})
    book, rows = _sheet_rows(client.get(url).content)
    assert book.sheetnames == ["Résultats attendus"]
    row = next(r for r in rows if r["code"] == "R2.1")
    assert row["statut"] == "En bonne voie"  # not "on_track"
    assert row["type"] == "Produit"  # Output in French, not "output"
    assert row["archivé"] == "Non"
    assert row["pourcentage d'achèvement"] == 70
    assert isinstance(row["date du dernier point d'avancement"], datetime.datetime)
    csv_url = reverse("reports:export-kind", kwargs={"kind": "expected-results", "fmt": "csv"})
    csv_rows = list(csv.DictReader(io.StringIO(client.get(csv_url).content.decode("utf-8-sig"))))
    row = next(r for r in csv_rows if r["code"] == "R2.1")
    assert row["statut"] == "En bonne voie"
    assert row["date du dernier point d'avancement"] == datetime.date.today().isoformat()


def test_every_group_meetings_with_their_action_items(client, admin_user):
    from tests.workinggroups import factories as wg

    group = wg.WorkingGroupFactory(number=4)
    meeting = wg.MeetingFactory(working_group=group, title="Webinar series kick-off")
    wg.ActionItemFactory(meeting=meeting, description="Book the speakers")
    client.force_login(admin_user)
    url = reverse("reports:export-kind", kwargs={"kind": "meetings", "fmt": "xlsx"})
    book, (row,) = _sheet_rows(client.get(url).content)
    assert book.sheetnames == ["Meetings", "Action items"]
    assert row["title"] == "Webinar series kick-off"
    _book, (item,) = _sheet_rows(client.get(url).content, "Action items")
    assert item["meeting"] == "Webinar series kick-off"
    assert item["action"] == "Book the speakers"


def test_admin_and_list_exports_name_their_sheet(db):
    from import_export.formats.base_formats import XLSX

    from roadmap.resources import ExpectedResultResource
    from workinggroups.resources import ResourceResource

    factories.OutputFactory()
    for resource, title in (
        (ExpectedResultResource(), "expected results"),
        (ResourceResource(), "resources"),
    ):
        book = load_workbook(io.BytesIO(XLSX().export_data(resource.export())))
        assert book.sheetnames == [title]  # never "Tablib Dataset"

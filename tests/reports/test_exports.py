"""Spreadsheet exports: complete, and formula cells neutralised."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.exports import KINDS, neutralise
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
def test_neutralise(value, expected):
    assert neutralise(value) == expected


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
    assert workbook.sheetnames == list(KINDS)
    assert {"working-groups", "deliverables", "resources", "survey-responses"} <= set(KINDS)
    rows = list(workbook["expected-results"].iter_rows(values_only=True))
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
    assert str(rows[1][rows[0].index("year")]) == "2021"
    assert str(rows[1][rows[0].index("value")]).startswith("61")


def test_unknown_kind_is_404(client, admin_user):
    client.force_login(admin_user)
    url = reverse("reports:export-kind", kwargs={"kind": "passwords", "fmt": "csv"})
    assert client.get(url).status_code == 404

"""Numbers and percentages follow the reader's language; machine-facing values stay plain."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from core.formatting import format_number, format_percent
from roadmap import charts
from tests import factories

NNBSP = "\u00a0"  # no-break space before "%" in French (the PDF fonts all have it)
NBSP = "\u00a0"  # no-break space: Spanish before "%"


@pytest.mark.parametrize(
    "language, number, one_decimal, percent, percent_one_decimal",
    [
        ("en", "74.5", "3.00", "74%", "74.5%"),
        ("fr", "74,5", "3,00", f"74{NNBSP}%", f"74,5{NNBSP}%"),
        ("es", "74,5", "3,00", f"74{NBSP}%", f"74,5{NBSP}%"),
        ("ar", "74,5", "3,00", "74%", "74,5%"),
    ],
)
def test_formats_per_language(language, number, one_decimal, percent, percent_one_decimal):
    with translation.override(language):
        assert format_number(Decimal("74.50")) == number
        assert format_number(74.5) == number
        assert format_number(3, 2) == one_decimal
        assert format_percent(74) == percent
        assert format_percent(Decimal("74.46"), None) == percent_one_decimal


@pytest.mark.parametrize(
    "value, places, expected",
    [
        (80, None, "80"),
        (Decimal("80.00"), None, "80"),
        (Decimal("74.96"), None, "75"),  # rounds to a whole number: no ".0"
        (Decimal("74.25"), None, "74.3"),  # half up
        (Decimal("-0.04"), None, "0"),  # never "-0"
        (12.5, 0, "13"),
        (Decimal("12.25"), "-2", "12.25"),
        (Decimal("12.00"), "-2", "12"),
        (None, None, "—"),
        ("", None, "—"),
        ("abc", None, "—"),
    ],
)
def test_format_number_rounding_and_empty_values(value, places, expected):
    with translation.override("en"):
        assert format_number(value, places) == expected


def test_empty_percent_is_a_dash():
    assert format_percent(None) == "—"


def test_template_filters():
    template = Template(
        "{% load roadmap_tags %}{{ a|number }} {{ b|percent }} {{ c|percent:'-1' }} {{ d|percent }}"
    )
    context = Context({"a": 12.5, "b": 40, "c": Decimal("33.33"), "d": None})
    with translation.override("en"):
        assert template.render(context) == "12.5 40% 33.3% —"
    with translation.override("fr"):
        assert template.render(context) == f"12,5 40{NNBSP}% 33,3{NNBSP}% —"


@pytest.fixture
def area(db):
    roadmap = factories.RoadmapFactory(name="Roadmap 2020-2023", is_current=True)
    return factories.AreaFactory(roadmap=roadmap, number=1, title="Basic psychosocial support")


@pytest.fixture
def indicator(area):
    return factories.IndicatorFactory(area=area, code="PFA", name="Provide PFA")


def _page(client, user, url, language):
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_indicator_values_on_the_area_page_in_french(client, reader, area, indicator):
    indicator.baseline_value = Decimal("50.25")
    indicator.save()
    factories.IndicatorValueFactory(indicator=indicator, year=2023, value=Decimal("74.50"))
    html = _page(client, reader, reverse("roadmap:area", args=[1]), "fr")
    assert f"74,5{NNBSP}%" in html
    assert f"50,3{NNBSP}%" in html
    assert f"80{NNBSP}%" in html  # the target
    assert "74.5%" not in html
    html = _page(client, reader, reverse("roadmap:area", args=[1]), "en")
    assert "74.5%" in html and "50.3%" in html


def test_count_indicator_has_no_percent_sign(area):
    indicator = factories.IndicatorFactory(area=area, unit="count", target_value=Decimal("12.50"))
    with translation.override("es"):
        assert indicator.format_value(indicator.target_value) == "12,5"
        assert indicator.format_value(None) == "—"


def test_chart_labels_are_localised_and_geometry_stays_plain():
    with translation.override("fr"):
        chart = charts.indicator_bars(
            "Share", [("2021", Decimal("63.5")), ("2023", Decimal("74.5"))], target=80
        )
        regions = charts.region_bars("Rate", [("Africa", 1, 3)], headers=["a", "b", "c", "d"])
    svg = str(chart.svg)
    assert f">74,5{NNBSP}%</text>" in svg  # the bar's label
    assert f">50{NNBSP}%</text>" in svg  # an axis tick
    assert f"objectif 80{NNBSP}%" in chart.desc
    assert chart.rows == [[f"63,5{NNBSP}%", f"74,5{NNBSP}%"]]
    assert f">33,3{NNBSP}%</text>" in str(regions.svg)
    # Every coordinate and size is a plain number with a dot, never "12,5".
    for svg_text in (svg, str(regions.svg)):
        geometry = re.findall(r'\b(?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"', svg_text)
        assert geometry
        assert all(re.fullmatch(r"-?\d+(\.\d+)?%?", value) for value in geometry), geometry


def test_bar_widths_stay_dot_decimal_in_french(client, reader, area):
    """The status bar's widths are attributes read by the browser, not text: no "33,33%"."""
    for status in ("completed", "at_risk", "on_track"):
        output = factories.OutputFactory(area=area)
        factories.ProgressUpdateFactory(subject=output, status=status, percent_complete=40)
    html = _page(client, reader, reverse("home"), "fr")
    widths = re.findall(r'<rect x="([^"]*)" y="0" width="([^"]*)"', html)
    assert ("0.00%", "33.33%") in widths
    assert all("," not in x + w for x, w in widths)
    assert f"1 produit (33{NNBSP}%)" in html  # while the text is French


def test_progress_value_attribute_stays_plain_and_text_is_french(client, admin_user, area):
    output = factories.OutputFactory(area=area)
    factories.ProgressUpdateFactory(subject=output, status="on_track", percent_complete=45)
    html = _page(client, admin_user, reverse("roadmap:result", args=[output.pk]), "fr")
    assert 'max="100" value="45"' in html
    assert f">45{NNBSP}%</span>" in html


def test_spreadsheet_exports_keep_plain_numbers_in_french(client, admin_user):
    factories.IndicatorValueFactory(value=Decimal("61.50"))
    client.force_login(admin_user)
    client.cookies["django_language"] = "fr"
    url = reverse("reports:export-kind", kwargs={"kind": "indicator-values", "fmt": "csv"})
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    assert "61.50" in rows[1], rows
    assert not any("61,5" in cell for cell in rows[1])
    url = reverse("reports:export-kind", kwargs={"kind": "indicator-values", "fmt": "xlsx"})
    sheet = load_workbook(io.BytesIO(client.get(url).content)).active
    first = list(sheet.iter_rows(values_only=True))[1]
    assert 61.5 in first and 2021 in first  # numbers the spreadsheet can sum, not text
    assert not any(isinstance(cell, str) and cell.startswith("61") for cell in first)

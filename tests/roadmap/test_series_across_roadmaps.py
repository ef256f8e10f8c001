"""A carried-over indicator's one series across roadmaps (issue #21): pages, chart and report."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from reports.selectors import report_data
from roadmap import charts, figures, services
from roadmap.models import Indicator
from tests import factories
from tests.conftest import client_for
from tests.reports.factories import EditionFactory

AS_OF = datetime.date(2026, 6, 30)


def _successor(source, name, start, end, by=None):
    return services.roadmap_create_successor(
        source=source, name=name, start_year=start, end_year=end, groups={}, by=by
    )


@pytest.fixture
def two(db):
    first = factories.RoadmapFactory(name="Roadmap 2020–2023", is_current=True)
    area = factories.AreaFactory(roadmap=first, number=1, title="Basic support")
    pfa = factories.IndicatorFactory(
        area=area, code="PFA", baseline_value=40, baseline_year=2019, target_value=80
    )
    factories.IndicatorValueFactory(indicator=pfa, year=2021, value=55, source="Survey 2021")
    factories.IndicatorValueFactory(indicator=pfa, year=2023, value=71, source="Endline 2023")
    second = _successor(first, "Roadmap 2024–2027", 2024, 2027)
    new_pfa = Indicator.objects.get(area__roadmap=second, code="PFA")
    factories.IndicatorValueFactory(indicator=new_pfa, year=2025, value=78, source="Survey 2025")
    return {"first": first, "second": second, "pfa": pfa, "new_pfa": new_pfa}


def test_one_series_from_the_first_baseline_to_today(two):
    lineage = figures.series_across_roadmaps([two["new_pfa"]], AS_OF)[two["new_pfa"].pk]
    assert lineage.first == two["pfa"]
    assert [(v.year, v.value) for v in lineage.values] == [
        (2021, Decimal("55")),
        (2023, Decimal("71")),
        (2025, Decimal("78")),
    ]
    assert lineage.boundaries == [(2024, two["second"])]
    assert lineage.previous == two["pfa"] and lineage.previous_latest.value == Decimal("71")
    # The successor's own figures stay its own: the latest is 2025, the baseline 71 (2023).
    assert figures.latest_values([two["new_pfa"]], AS_OF)[two["new_pfa"].pk].value == 78
    assert two["new_pfa"].baseline_value == Decimal("71")


def test_the_chart_marks_where_the_new_roadmap_starts(two):
    lineage = figures.series_across_roadmaps([two["new_pfa"]], AS_OF)[two["new_pfa"].pk]
    chart = charts.indicator_trend(two["new_pfa"], [], lineage)
    assert chart.headers == ["2019", "2021", "2023", "2025"]  # the first roadmap's baseline
    assert chart.svg.count('class="boundary"') == 1
    boundaries = [key for key in chart.legend if key[0] == charts.BOUNDARY]
    assert boundaries == [(charts.BOUNDARY, "From 2024: Roadmap 2024–2027")]
    assert "From 2024: Roadmap 2024–2027" in chart.svg  # in the <title>, the PDF's alt text
    # An indicator that was not carried over draws as before, with no boundary.
    plain = charts.indicator_trend(
        two["pfa"], figures.indicator_series(two["pfa"], AS_OF)[two["pfa"].pk]
    )
    assert 'class="boundary"' not in plain.svg
    assert not [key for key in plain.legend if key[0] == charts.BOUNDARY]


def test_the_query_count_does_not_grow_with_the_number_of_roadmaps(two, django_assert_num_queries):
    with django_assert_num_queries(4):
        figures.series_across_roadmaps([two["new_pfa"]], AS_OF)
    third = _successor(two["second"], "Roadmap 2028–2031", 2028, 2031)
    newest = Indicator.objects.get(area__roadmap=third, code="PFA")
    with django_assert_num_queries(4):
        lineage = figures.series_across_roadmaps([newest], AS_OF)[newest.pk]
    assert lineage.first == two["pfa"]
    assert [b[0] for b in lineage.boundaries] == [2024, 2028]
    assert [v.year for v in lineage.values] == [2021, 2023, 2025]


def test_pages_show_the_trend_across_both(two, client, reader):
    c = client_for(client, reader)
    area = c.get(reverse("roadmap:area", args=[1]) + f"?roadmap={two['second'].pk}")
    page = area.content.decode()
    assert "From 2024: Roadmap 2024–2027" in page
    assert "carried over from" in page
    indicator = c.get(reverse("roadmap:indicator", args=[two["new_pfa"].pk])).content.decode()
    assert "From 2024: Roadmap 2024–2027" in indicator
    assert reverse("roadmap:indicator", args=[two["pfa"].pk]) in indicator


def test_the_report_compares_the_two_roadmaps(two, client, reader):
    edition = EditionFactory(
        roadmap=two["second"],
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
    )
    data = report_data(edition)
    assert data["roadmap"] == two["second"]
    assert data["previous_roadmap"] == two["first"]
    [row] = data["carried_rows"]
    assert (row.previous_baseline, row.previous_latest, row.previous_latest_year) == (
        "40%",
        "71%",
        2023,
    )
    assert (row.row.baseline, row.row.latest, row.row.latest_year) == ("71%", "78%", 2025)
    html = (
        client_for(client, reader)
        .get(reverse("reports:edition-preview", args=[edition.pk]))
        .content.decode()
    )
    assert "Indicators carried over: Roadmap 2020–2023 and Roadmap 2024–2027" in html
    assert "From 2024: Roadmap 2024–2027" in html
    # An edition of the first roadmap has nothing to compare.
    old = EditionFactory(roadmap=two["first"], period_end=datetime.date(2023, 12, 31))
    assert report_data(old)["carried_rows"] == []

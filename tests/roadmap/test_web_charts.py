"""Charts on the web pages (roadmap.charts, the PDF's SVG module): indicator trends with their
baseline, target and provisional values marked, on the indicator and area pages; deliverables
by status per group on the working-groups page. Their figures, read back from the page's text
alternative, are those of roadmap.figures and workinggroups.figures."""

import datetime
import html as htmllib
import re

from django.urls import reverse
from django.utils import translation

from roadmap import charts, figures
from tests import factories
from tests.workinggroups import factories as wf
from workinggroups.figures import group_figures


def _chart_table(page: str, title: str) -> tuple[list[str], list[str]]:
    """The headers and first row of a chart's data table, found by the chart's title."""
    caption = f"Data for the chart: {title}"
    start = page.index(htmllib.escape(caption, quote=False))
    table = page[start : page.index("</table>", start)]
    headers = [htmllib.unescape(h) for h in re.findall(r'<th scope="col">(.*?)</th>', table)]
    cells = [htmllib.unescape(c) for c in re.findall(r"<td>(.*?)</td>", table)]
    return headers, cells


def _trend(area):
    indicator = factories.IndicatorFactory(
        area=area, code="TREND", name="Trend", baseline_value=50, baseline_year=2019
    )
    factories.IndicatorValueFactory(indicator=indicator, year=2021, value=60)
    factories.IndicatorValueFactory(
        indicator=indicator, year=2023, value=70, source="Survey", is_provisional=True
    )
    return indicator


def test_indicator_page_chart_marks_baseline_target_and_provisional(client, admin_user, area):
    indicator = _trend(area)
    client.force_login(admin_user)
    page = client.get(reverse("roadmap:indicator", args=[indicator.pk])).content.decode()
    headers, cells = _chart_table(page, "TREND Trend")
    series = figures.indicator_series(indicator, figures.today())[indicator.pk]
    # The figures' own series, after the baseline: nothing computed a second time.
    assert headers == ["2019", *[str(v.year) for v in series]] == ["2019", "2021", "2023"]
    assert cells == ["50% (baseline)", "60%", "70% (provisional)"]
    assert 'class="baseline"' in page and 'class="provisional"' in page
    assert ">70%*</text>" in page  # the starred figure in the picture
    assert "Dashed line: the target, 80%" in page
    assert "Pale bar: provisional" in page


def test_area_page_shows_the_same_chart(client, admin_user, area):
    _trend(area)
    client.force_login(admin_user)
    page = client.get(reverse("roadmap:area", args=[area.number])).content.decode()
    _headers, cells = _chart_table(page, "TREND Trend")
    assert cells == ["50% (baseline)", "60%", "70% (provisional)"]


def test_the_baseline_year_with_a_value_is_marked_as_the_baseline(area):
    indicator = factories.IndicatorFactory(area=area, baseline_year=2021, target_value=None)
    factories.IndicatorValueFactory(indicator=indicator, year=2021, value=55)
    factories.IndicatorValueFactory(indicator=indicator, year=2023, value=65)
    series = figures.indicator_series(indicator, figures.today())[indicator.pk]
    chart = charts.indicator_trend(indicator, series)
    assert chart.rows == [["55% (baseline)", "65%"]]
    assert [text for _colour, text in chart.legend] == ["Grey bar: the baseline (2021)"]


def test_arabic_chart_is_mirrored_baseline_on_the_right(area):
    indicator = _trend(area)
    series = figures.indicator_series(indicator, figures.today())[indicator.pk]
    with translation.override("ar"):
        chart = charts.indicator_trend(indicator, series)
    svg = str(chart.svg)
    baseline_x = float(re.search(r'<rect x="([\d.]+)"[^>]*class="baseline"', svg).group(1))
    provisional_x = float(re.search(r'<rect x="([\d.]+)"[^>]*class="provisional"', svg).group(1))
    assert baseline_x > provisional_x  # years run from right to left
    assert chart.svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"')
    assert "<title>" in svg


def test_working_groups_page_draws_each_groups_deliverables_by_status(client, reader, roadmap):
    today = datetime.date.today()
    group = wf.WorkingGroupFactory(roadmap=roadmap, number=1, name="Basic PSS")
    plan = wf.WorkplanFactory(working_group=group, year=today.year)
    done = wf.DeliverableFactory(workplan=plan, due_date=today + datetime.timedelta(30))
    factories.ProgressUpdateFactory(subject=done, status="completed", percent_complete=100)
    going = wf.DeliverableFactory(workplan=plan, due_date=today + datetime.timedelta(30))
    factories.ProgressUpdateFactory(subject=going, status="on_track")
    wf.DeliverableFactory(workplan=plan, due_date=today - datetime.timedelta(3))  # overdue
    wf.DeliverableFactory(workplan=plan, due_date=today + datetime.timedelta(3))  # not started
    empty = wf.WorkingGroupFactory(roadmap=roadmap, number=2, name="Empty")
    client.force_login(reader)
    page = client.get(reverse("workinggroups:list")).content.decode()
    headers, cells = _chart_table(page, "WG1: deliverables by status")
    segments = [s for s in group_figures([group.pk], today)[group.pk].segments if s.count]
    assert headers == [s.label for s in segments]
    assert cells == [str(s.count) for s in segments] == ["1", "1", "1", "1"]
    assert headers == ["Completed", "On track", "Overdue", "Not started"]
    # A group without deliverables has no chart.
    assert f"Data for the chart: WG{empty.number}" not in page

"""The home page: each area's status, output shares and indicators, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roadmap.selectors import areas_at_a_glance
from tests import factories

# Session, person, current roadmap, areas, outputs (latest status annotated), indicators,
# indicator values, then the session refresh (savepoint, update, release; sessions are saved on
# every request): ten, whatever the data.
MAX_QUERIES = 10


def _build(roadmap, areas: int, outputs: int, updates: int, values: int):
    author = factories.UserFactory()
    for n in range(areas):
        area = factories.AreaFactory(roadmap=roadmap, number=n + 1)
        for o in range(outputs):
            output = factories.OutputFactory(area=area)
            for u in range(updates):
                factories.ProgressUpdateFactory(
                    subject=output,
                    author=author,
                    status=["on_track", "at_risk", "off_track", "completed"][(o + u) % 4],
                    percent_complete=100 if (o + u) % 4 == 3 else 20,
                    date=datetime.date(2023, 1, 1) + datetime.timedelta(days=u),
                )
        indicator = factories.IndicatorFactory(area=area)
        for v in range(values):
            factories.IndicatorValueFactory(indicator=indicator, year=2019 + v, source=f"s{v}")


def _count(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("areas, outputs, updates, values", [(1, 1, 1, 1), (6, 5, 4, 3)])
def test_query_count_pinned(
    client, reader, roadmap, django_assert_max_num_queries, areas, outputs, updates, values
):
    _build(roadmap, areas, outputs, updates, values)
    client.force_login(reader)
    client.get(reverse("home"))  # warm caches (content types) so both sizes compare fairly
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("home"))
    assert response.content.decode().count('class="card h-100 area-card"') == areas


def test_query_count_does_not_grow(client, reader, roadmap):
    client.force_login(reader)
    _build(roadmap, 1, 1, 1, 1)
    client.get(reverse("home"))
    small, _ = _count(client)
    other = factories.RoadmapFactory(name="Unused")  # not current: not shown
    _build(other, 1, 1, 1, 1)
    for n in range(2, 8):
        area = factories.AreaFactory(roadmap=roadmap, number=n + 10)
        for _o in range(4):
            output = factories.OutputFactory(area=area)
            factories.ProgressUpdateFactory(subject=output, status="at_risk")
            factories.ProgressUpdateFactory(subject=output, status="off_track")
        indicator = factories.IndicatorFactory(area=area)
        factories.IndicatorValueFactory(indicator=indicator, year=2023)
    large, response = _count(client)
    assert large == small
    assert response.content.decode().count('class="card h-100 area-card"') == 7


def test_area_card_content(client, reader, area, output, indicator):
    factories.IndicatorValueFactory(
        indicator=indicator, year=2021, value=63, source="2021 follow-up"
    )
    factories.IndicatorValueFactory(indicator=indicator, year=2023, value=71, source="2023 endline")
    second = factories.OutputFactory(area=area)
    factories.ProgressUpdateFactory(subject=output, status="completed", percent_complete=100)
    factories.ProgressUpdateFactory(subject=second, status="at_risk")
    client.force_login(reader)
    html = client.get(reverse("home")).content.decode()
    assert "Area 1" in html
    assert "status-at_risk" in html  # the area takes its worst output's status
    assert "71%" in html and "2023 endline" in html  # latest value with its source
    assert "50%" in html and "80%" in html  # baseline and target
    assert "1 output (50%)" in html


def test_latest_update_decides_an_output_status(area, output):
    factories.ProgressUpdateFactory(
        subject=output, status="off_track", date=datetime.date(2022, 1, 1)
    )
    factories.ProgressUpdateFactory(
        subject=output, status="on_track", date=datetime.date(2023, 1, 1)
    )
    (summary,) = areas_at_a_glance(area.roadmap)
    assert summary.status == "on_track"


def test_archived_outputs_do_not_count(area, output):
    archived = factories.OutputFactory(area=area, is_archived=True)
    factories.ProgressUpdateFactory(subject=archived, status="off_track")
    (summary,) = areas_at_a_glance(area.roadmap)
    assert summary.output_count == 1
    assert summary.status == "not_started"


def test_no_roadmap_yet(client, reader):
    client.force_login(reader)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "No roadmap has been loaded yet" in response.content.decode()

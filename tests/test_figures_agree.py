"""One scenario, every place a figure appears: the pages, the PDF, the exports and the sheet agree.

The scenario (docs/figures.md): an area with mixed outputs, whose last update comes after the
report's period; an overdue deliverable and milestone; indicator values typed in, corrected
and withdrawn. Each figure is read back from what people get (HTML, `pdftotext`, XLSX cells
through openpyxl), never from the function that computed it.
"""

import datetime
import io
import re
import shutil
import subprocess

import openpyxl
import pytest
from django.urls import reverse

from core.choices import yes_no
from reports.rendering import group_sheet_html, report_pdf
from roadmap import services
from roadmap.figures import status_label
from roadmap.models import IndicatorValue
from tests import factories
from tests.conftest import client_for
from tests.reports.factories import EditionFactory
from tests.workinggroups import factories as wf

PERIOD_END = datetime.date(2023, 12, 31)


@pytest.fixture
def scenario(db, admin_user):
    roadmap = factories.RoadmapFactory(is_current=True, name="Roadmap 2020–2023")
    area = factories.AreaFactory(roadmap=roadmap, number=1, title="Mixed area")
    author = factories.UserFactory()

    def update(subject, day, status, narrative):
        factories.ProgressUpdateFactory(
            subject=subject, author=author, date=day, status=status, narrative=narrative
        )

    done = factories.OutputFactory(area=area, code="1.1", title="Done output")
    update(done, datetime.date(2023, 6, 1), "completed", "Finished in June.")
    factories.OutputFactory(area=area, code="1.2", title="Untouched output")
    late = factories.OutputFactory(area=area, code="1.3", title="Late output")
    update(late, datetime.date(2023, 5, 1), "on_track", "On its way in May.")
    # After the period's end: the report (and the page as of that day) must not see it.
    update(late, datetime.date(2024, 3, 1), "off_track", "Stalled in 2024.")

    indicator = factories.IndicatorFactory(area=area, code="IND-1", unit="percent")
    # Typed in, then corrected (61 → 63): a correction, not a second value.
    services.indicator_value_add(
        indicator=indicator, added_by=admin_user, year=2021, value=61, source="Follow-up"
    )
    services.indicator_value_add(
        indicator=indicator,
        added_by=admin_user,
        year=2021,
        value=63,
        source="Follow-up",
        reason="Typo in the first entry",
    )
    # A wrong 2022 value, withdrawn; a computed one from a thin round, provisional.
    wrong = services.indicator_value_add(
        indicator=indicator, added_by=admin_user, year=2022, value=99, source="Mistake"
    )
    services.indicator_value_withdraw(indicator_value=wrong, by=admin_user, reason="Wrong sheet")
    factories.IndicatorValueFactory(
        indicator=indicator,
        year=2022,
        value=65,
        source="Round 2022",
        is_computed=True,
        is_provisional=True,
    )
    services.indicator_value_add(
        indicator=indicator, added_by=admin_user, year=2023, value=73, source="Endline"
    )
    # Computed from a round and not reviewed yet: it counts nowhere.
    factories.IndicatorValueFactory(
        indicator=indicator,
        year=2023,
        value=22.2,
        source="Round 2023",
        is_computed=True,
        status=IndicatorValue.Status.PROPOSED,
    )
    services.indicator_value_add(
        indicator=indicator, added_by=admin_user, year=2024, value=88, source="Check"
    )

    group = wf.WorkingGroupFactory(roadmap=roadmap, number=1)
    group.areas.add(area)
    deliverable = wf.DeliverableFactory(
        workplan=wf.WorkplanFactory(working_group=group, year=2023),
        title="Overdue mapping",
        due_date=datetime.date(2023, 6, 30),
    )
    update(deliverable, datetime.date(2023, 4, 1), "on_track", "Mapping started.")
    wf.MilestoneFactory(deliverable=deliverable, title="Late milestone", date=PERIOD_END)
    edition = EditionFactory(
        period_start=datetime.date(2023, 1, 1),
        period_end=PERIOD_END,
        survey_round=None,
        created_by=admin_user,
    )
    return {"area": area, "edition": edition, "group": group, "indicator": indicator}


def _area_badge_on_home(html: str) -> str:
    card = html.split('aria-labelledby="area-1-title"', 1)[1].split("</section>", 1)[0]
    return re.search(r"status-badge status-(\w+)", card).group(1)


def _area_badge_on_area_page(html: str) -> str:
    line = html.split("Area status", 1)[1].split("</p>", 1)[0]
    return re.search(r"status-badge status-(\w+)", line).group(1)


def _result_badges(html: str) -> dict[str, str]:
    found = {}
    for code, status in re.findall(
        r'<bdi class="fw-semibold">([\d.]+)</bdi>.*?status-badge status-(\w+)', html, re.S
    ):
        found.setdefault(code, status)
    return found


def _xlsx(client, kind: str) -> list[dict]:
    response = client.get(reverse("reports:export-kind", args=[kind, "xlsx"]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


def _pdf_text(edition) -> str:
    pdf = report_pdf(edition, "en")
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return " ".join(done.stdout.decode().split())


def test_as_of_the_period_end_the_pages_and_the_pdf_agree(client, admin_user, scenario):
    client = client_for(client, admin_user)
    as_of = f"?as_of={PERIOD_END.isoformat()}"
    home = client.get(reverse("home") + as_of).content.decode()
    area_page = client.get(reverse("roadmap:area", args=[1]) + as_of).content.decode()
    # Completed + not started + on track (the 2024 "off track" is after the date): on track.
    assert _area_badge_on_home(home) == "on_track"
    assert _area_badge_on_area_page(area_page) == "on_track"
    assert _result_badges(area_page) == {
        "1.1": "completed",
        "1.2": "not_started",
        "1.3": "on_track",
    }
    assert "On its way in May." in area_page and "Stalled in 2024." not in area_page
    assert "31 December 2023" in home  # the page says which date it shows

    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils is needed to read the PDF")
    text = _pdf_text(scenario["edition"])
    assert "Overall status: On track" in text
    assert "Figures as of 31 December 2023" in text
    assert "On its way in May." in text and "Stalled in 2024." not in text
    assert "Overdue mapping" in text and "Overdue" in text.split("Overdue mapping", 1)[1][:200]
    # The latest value as of 2023 is the 2023 one (73), not 2024's (88; the target is 80);
    # the corrected 2021 value is 63, the withdrawn 99 and the proposed 22.2 count nowhere.
    assert "73%" in text and "88%" not in text
    assert "63%" in text and "61%" not in text
    assert "99%" not in text and "22.2%" not in text
    # The annex is docs/figures.md.
    assert "an overdue deliverable counts as off track" in text


def test_today_the_pages_the_exports_and_the_sheet_agree(client, admin_user, scenario):
    client = client_for(client, admin_user)
    home = client.get(reverse("home")).content.decode()
    area_page = client.get(reverse("roadmap:area", args=[1])).content.decode()
    assert _area_badge_on_home(home) == "off_track"
    assert _area_badge_on_area_page(area_page) == "off_track"
    results = {row["code"]: row for row in _xlsx(client, "expected-results")}
    # The exports write each status in words, the pages mark it by its code: the same status.
    assert {code: row["status"] for code, row in results.items()} == {
        "1.1": status_label("completed"),
        "1.2": status_label("not_started"),
        "1.3": status_label("off_track"),
    }
    assert {code: status_label(badge) for code, badge in _result_badges(area_page).items()} == {
        code: r["status"] for code, r in results.items()
    }

    deliverables = _xlsx(client, "deliverables")
    assert [row["status"] for row in deliverables] == [status_label("overdue")]
    group_page = client.get(reverse("workinggroups:detail", args=[1])).content.decode()
    assert "status-badge status-overdue" in group_page
    sheet = group_sheet_html(1)
    assert "status status-overdue" in sheet and "Overdue mapping" in sheet
    assert "Late milestone" in sheet  # overdue milestone listed
    overdue_page = client.get(reverse("workinggroups:overdue")).content.decode()
    assert "Overdue mapping" in overdue_page and "Late milestone" in overdue_page

    # The latest value today is 2024's, on the page; the area page's series and the indicator
    # page show the counted values, the withdrawn one marked as such.
    assert "88%" in home
    series = area_page.split('id="indicator-', 1)[1].split("</section>", 1)[0]
    for shown in ("63%", "65%", "73%", "88%"):
        assert shown in series
    for hidden in ("61%", "99%", "22.2%"):
        assert hidden not in series
    assert "provisional" in series.lower()
    indicator_page = client.get(
        reverse("roadmap:indicator", args=[scenario["indicator"].pk])
    ).content.decode()
    assert "99%" in indicator_page and "withdrawn" in indicator_page.lower()
    # The export lists every value with its status: nothing is hidden from an analyst.
    exported = {(row["year"], str(row["value"])): row for row in _xlsx(client, "indicator-values")}
    assert IndicatorValue.objects.count() == len(exported) == 6
    assert exported[(2022, "99")]["status"] == IndicatorValue.Status.WITHDRAWN.label
    assert exported[(2023, "22.2")]["status"] == IndicatorValue.Status.PROPOSED.label
    assert exported[(2022, "65")]["provisional"] == str(yes_no(True))


def test_a_date_that_is_not_a_date_is_refused_with_a_message(client, admin_user, scenario):
    client = client_for(client, admin_user)
    for bad in ("31/12/2023", "2099-01-01"):
        response = client.get(reverse("home"), {"as_of": bad})
        assert response.status_code == 200
        body = response.content.decode()
        assert 'aria-invalid="true"' in body and 'role="alert"' in body
        # Today's figures, as without a date.
        assert _area_badge_on_home(body) == "off_track"


@pytest.mark.parametrize("grow", [0, 5])
def test_pages_with_figures_have_a_fixed_query_count(
    client, admin_user, scenario, django_assert_max_num_queries, grow
):
    area, group = scenario["area"], scenario["group"]
    for n in range(grow):
        output = factories.OutputFactory(area=area, code=f"1.{n + 10}")
        factories.ProgressUpdateFactory(subject=output, status="at_risk")
        factories.IndicatorValueFactory(indicator=scenario["indicator"], year=2010 + n)
        d = wf.DeliverableFactory(workplan=group.workplans.get(), due_date=PERIOD_END)
        wf.MilestoneFactory(deliverable=d, date=PERIOD_END)
        wf.ActionItemFactory(meeting=wf.MeetingFactory(working_group=group), due_date=PERIOD_END)
    client = client_for(client, admin_user)
    # Session and person, then: home — roadmap, areas, results as of the date, indicators,
    # values; area page — area, results, indicators, values, history (one per kind);
    # overdue page — roadmap, three lists.
    for url, limit in (
        (reverse("home") + "?as_of=2023-12-31", 9),
        (reverse("roadmap:area", args=[1]) + "?as_of=2023-12-31", 17),
        (reverse("workinggroups:overdue"), 8),
    ):
        client.get(url)  # warm caches (content types, the session's first save)
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200

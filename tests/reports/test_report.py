"""The report's content: sections from live records, figures, and a bounded query count."""

import pytest
from django.urls import reverse

from reports.rendering import report_html
from tests.reports.factories import EditionFactory, build_roadmap


@pytest.fixture
def edition(admin_user):
    return EditionFactory(created_by=admin_user, executive_summary="Our summary text.")


def test_preview_has_every_section(client, admin_user, edition):
    build_roadmap()
    client.force_login(admin_user)
    html = client.get(reverse("reports:edition-preview", kwargs={"pk": edition.pk})).content
    html = html.decode()
    for anchor in [
        'id="executive-summary"',
        'id="background"',
        'id="at-a-glance"',
        'id="area-1"',
        'id="area-2"',
        'id="survey"',
        'id="challenges"',
        'id="annexes"',
    ]:
        assert anchor in html
    assert "Our summary text." in html
    assert "Narrative of output 1.1" in html
    assert "Next step of output 2.2" in html
    assert "CD/19/R5" in html
    assert "<svg" in html and "<title>" in html and 'class="chart-data"' in html
    # The preview is a web page under the CSP: the stylesheet is a static file, no inline style.
    assert "/static/css/report.css" in html
    assert "<style" not in html and "style=" not in html


def test_left_out_sections_are_not_rendered(edition):
    build_roadmap()
    edition.sections = ["areas"]
    html = report_html(edition, "en", for_pdf=True)
    assert 'id="area-1"' in html
    assert 'id="executive-summary"' not in html
    assert 'id="annexes"' not in html
    assert 'href="#annexes"' not in html


def test_indicator_latest_value_is_the_newest_in_period(edition):
    build_roadmap(areas=1)
    edition.period_end = edition.period_end.replace(year=2022)
    html = report_html(edition, "en", for_pdf=True)
    # IND-1 has 61 in 2021 and 73 in 2023: a period ending in 2022 must show 61 as latest.
    assert "<strong>61%</strong>" in html
    assert "<strong>73%</strong>" not in html


def test_report_queries_do_not_grow_with_data(edition, django_assert_max_num_queries):
    build_roadmap(areas=1, outputs_per_area=1, societies=1)
    with django_assert_max_num_queries(15) as small:
        report_html(edition, "en", for_pdf=True)
    build_roadmap_more()
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = report_html(edition, "en", for_pdf=True)
    assert 'id="area-6"' in html


def build_roadmap_more():
    """Add areas, outputs, updates and societies to the current roadmap."""
    import datetime

    from roadmap.models import Roadmap
    from tests import factories

    roadmap = Roadmap.objects.current()
    author = factories.UserFactory()
    for number in range(2, 7):
        area = factories.AreaFactory(roadmap=roadmap, number=number)
        for o in range(4):
            output = factories.OutputFactory(area=area, code=f"X{number}.{o}")
            factories.ProgressUpdateFactory(
                subject=output, author=author, date=datetime.date(2024, 1, 1)
            )
        indicator = factories.IndicatorFactory(area=area)
        factories.IndicatorValueFactory(indicator=indicator)
    for _ in range(20):
        factories.NationalSocietyFactory()

"""Results worth reading: a chart per question (the SVG module of the PDF), in the reader's
language and right to left, the base (n of N) on every figure, the cross-tabulation by region,
and the text answers with their society, by region, a page at a time."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from core.formatting import format_number, format_percent
from roadmap import charts
from surveys import result_charts, selectors
from surveys.models import Question, Response
from tests import factories
from tests.surveys import factories as f

pytestmark = pytest.mark.django_db


def _respond(survey_round, society, values, question, state="submitted"):
    response = Response.objects.create(round=survey_round, society=society, state=state)
    for name, value in values.items():
        response.answers.create(question=question(name), value=value)
    return response


def _section(html: str, name: str) -> str:
    part = html[html.index(f'id="result-{name}"') :]
    return part[: part.index("</section>")]


@pytest.fixture
def answered(survey_round, question, kenya, lebanon):
    """Kenya (Africa) and Lebanon (MENA) submitted, Senegal (Africa) started only."""
    question("services").choices.filter(name="pfa").update(label_fr="PSP", label_ar="الإسعافات")
    _respond(
        survey_round,
        kenya,
        {"provides": "yes", "services": "pfa rfl", "staff": "12", "notes": "Floods in Kisumu"},
        question,
    )
    _respond(
        survey_round,
        lebanon,
        {"provides": "no", "services": "pfa", "staff": "4", "notes": "مراكز في بيروت"},
        question,
    )
    senegal = factories.NationalSocietyFactory(name="Senegalese Red Cross", country="SN")
    _respond(survey_round, senegal, {"provides": "yes", "notes": "Draft"}, question, "in_progress")
    return survey_round


# ---------------------------------------------------------------- the chart itself


def test_count_bars_states_its_figures_at_12_px_or_more():
    with translation.override("en"):
        chart = charts.count_bars(
            "Which services?", [("PFA", 3), ("RFL <x>", 1)], base=4, headers=[]
        )
    svg = str(chart.svg)
    assert chart.desc == "PFA: 3 (75%); RFL <x>: 1 (25%)"
    assert "<title>PFA: 3 (75%)</title>" in svg and "RFL &lt;x&gt;" in svg
    sizes = [int(s) for s in re.findall(r'font-size="(\d+)"', svg)]
    assert sizes and min(sizes) >= 12
    # Bars' lengths are the shares of the base: 75 % and 25 % of the 260 px plot.
    assert '<rect x="0.0" y="0" width="195.0"' in svg and '<rect x="0.0" y="0" width="65.0"' in svg
    assert chart.rows == [["PFA", "3 (75%)"], ["RFL <x>", "1 (25%)"]]


def test_count_bars_right_to_left_start_on_the_right_in_arabic_figures():
    with translation.override("ar"):
        chart = charts.count_bars("الخدمات", [("نعم", 1), ("لا", 3)], base=4, headers=[])
    svg = str(chart.svg)
    # The plot stands on the right (x 100..360): a 25 % bar starts at 360 - 65.
    assert '<rect x="100" y="0" width="260"' in svg
    assert '<rect x="295.0" y="0" width="65.0"' in svg
    assert 'text-anchor="end"' in svg and 'text-anchor="start"' not in svg
    assert "نعم" in svg


def test_number_summary_and_ranges():
    values = {Decimal(1): 2, Decimal(3): 1, Decimal(10): 1}
    assert result_charts.number_summary(values) == {
        "n": 4,
        "min": Decimal(1),
        "median": Decimal(2),
        "mean": Decimal("3.75"),
        "max": Decimal(10),
    }
    assert result_charts.number_summary({}) is None
    with translation.override("en"):
        few = result_charts.number_ranges(values, integer=True)
        many = result_charts.number_ranges({Decimal(v): 1 for v in range(0, 1001, 7)}, integer=True)
        decimals = result_charts.number_ranges(
            {Decimal(v) / 4: 1 for v in range(0, 40)}, integer=False
        )
    assert few == [("1", 2), ("3", 1), ("10", 1)]
    assert many[0] == ("0 to 165", 24) and many[-1] == ("830 to 995", 24)
    assert sum(n for _label, n in many) == 143  # every answer in one range
    assert len(decimals) == 6 and sum(n for _label, n in decimals) == 40


# ---------------------------------------------------------------- the results page


def test_every_question_has_its_chart_and_base(client, reader, answered):
    client.force_login(reader)
    html = client.get(reverse("surveys:round-results", args=[answered.pk])).content.decode()
    assert "2 submitted responses of 3 National Societies invited." in html
    provides = _section(html, "provides")
    assert "Base: answered by 2 of 2 submitted responses." in provides
    assert "<title>Do you provide MHPSS?: Yes: 1 (50%); No: 1 (50%)</title>" not in provides
    assert '<figure class="chart-figure web-chart result-chart mb-2">' in provides
    assert (
        'visually-hidden">Do you provide MHPSS?: Yes: 1 (50%); No: 1 (50%)</figcaption>' in provides
    )
    assert "<title>Yes: 1 (50%)</title>" in provides and "<title>No: 1 (50%)</title>" in provides
    # services is asked of Kenya only (Lebanon said no): base 1 of 1, Lebanon's answer kept out.
    services = _section(html, "services")
    assert "Base: answered by 1 of 1 submitted response;" in services
    assert "<title>PFA: 1 (100%)</title>" in services
    assert "<title>RFL: 1 (100%)</title>" in services
    assert "<title>COUNSELLING: 0 (0%)</title>" in services
    # Numbers: a bar per value, the summary, the average per region.
    staff = _section(html, "staff")
    assert "<title>4: 1 (50%)</title>" in staff and "<title>12: 1 (50%)</title>" in staff
    assert "Over 2 answers: smallest 4, median 8, average 8, largest 12; total 16." in staff
    # The cross-tabulation: each region's base, and its average.
    base_row = re.search(r'<tr class="result-region-base">(.*?)</tr>', staff, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", base_row, re.S)
    # All, then Africa, Americas, Asia Pacific, Europe, MENA.
    assert cells == ["2 of 2", "1 of 1", "0 of 0", "0 of 0", "0 of 0", "1 of 1"]
    assert re.search(
        r"Average</th><td>8</td><td>12</td><td>—</td><td>—</td><td>—</td><td>4</td>", staff
    )
    # Text questions: no chart, a link to their answers.
    notes = _section(html, "notes")
    assert "<svg" not in notes
    assert "Read the 2 answers, with their National Society" in notes


@pytest.mark.parametrize(
    ("language", "label"),
    [("fr", "PSP"), ("es", "PFA"), ("ar", "الإسعافات")],
)
def test_charts_speak_the_readers_language(client, reader, answered, language, label):
    reader.language = language
    reader.save()
    client.force_login(reader)
    html = client.get(
        reverse("surveys:round-results", args=[answered.pk]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert f'lang="{language}"' in html
    services = _section(html, "services")
    with translation.override(language):
        figures = f"{format_number(1)} ({format_percent(100, None)})"
    assert f"<title>{label}: {figures}</title>" in services
    if language == "ar":
        assert 'dir="rtl"' in html
        assert 'text-anchor="end"' in services and 'text-anchor="start"' not in services


def test_results_query_count_is_pinned_against_grown_data(
    client, reader, questionnaire, survey_round, question, django_assert_max_num_queries
):
    """Many societies and many questions: the same queries."""
    section = questionnaire.sections.get(name="other")
    names = []
    for i in range(30):
        kind = [Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.INTEGER][i % 3]
        q = f.QuestionFactory(section=section, name=f"q{i}", kind=kind, order=10 + i)
        if kind != Question.Kind.INTEGER:
            for j in range(4):
                f.ChoiceFactory(question=q, name=f"o{j}", label_en=f"Option {j}", order=j)
        names.append((q.name, kind))
    regions = ["africa", "americas", "asia_pacific", "europe_central_asia", "mena"]
    for n in range(120):
        society = factories.NationalSocietyFactory(name=f"Society {n:03d}", region=regions[n % 5])
        values = {"provides": "yes" if n % 2 else "no", "staff": str(n), "notes": f"Note {n}"}
        for name, kind in names:
            values[name] = str(n % 50) if kind == Question.Kind.INTEGER else f"o{n % 4}"
        _respond(survey_round, society, values, question)
    client.force_login(reader)
    # As tests/surveys/test_results.py: the same 18 whatever the size (the counts not cached
    # yet: the round's fingerprint before and after counting).
    with django_assert_max_num_queries(18):
        page = client.get(reverse("surveys:round-results", args=[survey_round.pk]))
    html = page.content.decode()
    # provides, staff and the 30 others (services, never asked here, has no answer to draw)
    assert html.count('<figure class="chart-figure') == 2 + 30
    assert "Base: answered by 120 of 120 submitted responses." in _section(html, "q0")


# ---------------------------------------------------------------- text answers


def test_text_answers_with_their_society_by_region(client, reader, answered, kenya):
    client.force_login(reader)
    url = reverse("surveys:round-text-answers", args=[answered.pk])
    html = client.get(url, {"question": "notes"}).content.decode()
    table = html[html.index('id="text-answers"') :]
    assert "Kenya Red Cross Society" in table and "Floods in Kisumu" in table
    kenya_response = reverse("surveys:response-form", args=[answered.pk, kenya.pk])
    assert f'<a href="{kenya_response}">Kenya Red Cross Society</a>' in table
    assert "Lebanese Red Cross" in table and "مراكز في بيروت" in table
    assert "Draft" not in table  # Senegal did not submit
    assert "2 answers of the submitted responses asked this question." in html
    mena = client.get(url, {"question": "notes", "region": "mena"}).content.decode()
    table = mena[mena.index('id="text-answers"') :]
    assert "Lebanese Red Cross" in table and "Kenya Red Cross Society" not in table
    assert '<td dir="auto">مراكز في بيروت</td>' in table


def test_text_answers_leave_out_the_questions_not_asked(
    client, reader, questionnaire, survey_round, question, kenya, lebanon
):
    services = questionnaire.sections.get(name="services")
    f.QuestionFactory(
        section=services,
        name="why",
        kind=Question.Kind.TEXT,
        order=5,
        relevant="${provides} = 'yes'",
        label_en="Why?",
    )
    _respond(survey_round, kenya, {"provides": "yes", "why": "Asked"}, question)
    _respond(survey_round, lebanon, {"provides": "no", "why": "Kept, not asked"}, question)
    client.force_login(reader)
    url = reverse("surveys:round-text-answers", args=[survey_round.pk])
    html = client.get(url, {"question": "why"}).content.decode()
    assert "Asked" in html and "Kept, not asked" not in html
    assert "1 answer of the submitted responses asked this question." in html


def test_text_answers_page_in_french_shows_the_french_name(client, reader, answered, kenya):
    kenya.name_fr = "Croix-Rouge du Kenya"
    kenya.save()
    reader.language = "fr"
    reader.save()
    client.force_login(reader)
    url = reverse("surveys:round-text-answers", args=[answered.pk])
    html = client.get(url, {"question": "notes"}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Croix-Rouge du Kenya" in html


def test_text_answers_are_paginated_in_fixed_queries(
    client, reader, survey_round, question, django_assert_max_num_queries
):
    for n in range(130):
        society = factories.NationalSocietyFactory(name=f"Society {n:03d}", region="africa")
        _respond(survey_round, society, {"provides": "yes", "notes": f"Answer {n:03d}"}, question)
    client.force_login(reader)
    url = reverse("surveys:round-text-answers", args=[survey_round.pk])
    # session + user, round, sections, questions, choices, a count, a page; permissions.
    with django_assert_max_num_queries(12):
        first = client.get(url, {"question": "notes"}).content.decode()
    assert "Answer 000" in first and "Answer 049" in first and "Answer 050" not in first
    assert "Page 1 of 3" in first
    last = client.get(url, {"question": "notes", "page": 3}).content.decode()
    assert "Answer 129" in last and "Answer 099" not in last


def test_text_answers_refuse_an_unknown_question_or_region(client, reader, answered):
    client.force_login(reader)
    url = reverse("surveys:round-text-answers", args=[answered.pk])
    assert client.get(url, {"question": "nope"}).status_code == 400
    page = client.get(url, {"question": "notes", "region": "atlantis"})
    assert page.status_code == 400
    assert "Floods in Kisumu" not in page.content.decode()


def test_text_answers_are_not_for_focal_points(client, focal_kenya, answered):
    client.force_login(focal_kenya)
    url = reverse("surveys:round-text-answers", args=[answered.pk])
    assert client.get(url, {"question": "notes"}).status_code == 404
    assert client.post(url).status_code == 405


def test_the_selector_counts_what_the_page_lists(answered, question):
    questions = [
        q
        for s in selectors.questionnaire_sections(answered.questionnaire)
        for q in s.questions.all()
    ]
    rows = list(selectors.text_answers(answered, questions, question("notes")))
    assert [r["response__society__name"] for r in rows] == [
        "Kenya Red Cross Society",
        "Lebanese Red Cross",
    ]

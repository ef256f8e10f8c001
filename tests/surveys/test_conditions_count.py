"""Conditions count, and numbers as people type them.

An answer to a question that is not asked (its condition is false given the response's other
answers) is kept, and returns if the condition turns true again, but until then it is counted
nowhere: not in the results (so not in the indicators computed from them), not in
completeness, not in the exports. Numbers are read by the conventions of the person's
language and shown back as kept.
"""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from surveys import answers as answer_rules
from surveys import exports, selectors, services
from surveys.models import Answer, Question, Response
from surveys.selectors import questionnaire_sections
from tests import factories
from tests.surveys import factories as f

NBSP = "\u00a0"


@pytest.fixture
def reached(questionnaire):
    """People reached with PFA: asked only of societies that provide MHPSS services."""
    section = questionnaire.sections.get(name="services")
    return f.QuestionFactory(
        section=section,
        name="reached",
        kind=Question.Kind.INTEGER,
        order=3,
        relevant="${provides} = 'yes'",
        label_en="How many people did you reach with PFA?",
    )


@pytest.fixture
def budget(questionnaire):
    section = questionnaire.sections.get(name="other")
    return f.QuestionFactory(
        section=section, name="budget", kind=Question.Kind.DECIMAL, order=1, label_en="Budget?"
    )


def _save(survey_round, society, user, question, raw):
    answer = Answer.objects.filter(response__society=society, question=question).first()
    return services.answer_save(
        survey_round=survey_round,
        society=society,
        question=question,
        raw=raw,
        expected_version=answer.version if answer else 0,
        user=user,
    )


def _submit(survey_round, society, user):
    return services.response_submit(survey_round=survey_round, society=society, user=user)


@pytest.fixture
def answered(survey_round, question, reached, kenya, lebanon, focal_kenya, focal_lebanon):
    """Kenya provides services (PFA, 100 people reached). Lebanon answered the same way, then
    changed its first answer to "No": its PFA and people-reached answers are kept, not asked."""
    _save(survey_round, kenya, focal_kenya, question("provides"), "yes")
    _save(survey_round, kenya, focal_kenya, question("services"), ["pfa"])
    _save(survey_round, kenya, focal_kenya, reached, "100")
    _submit(survey_round, kenya, focal_kenya)
    _save(survey_round, lebanon, focal_lebanon, question("provides"), "yes")
    _save(survey_round, lebanon, focal_lebanon, question("services"), ["pfa", "rfl"])
    _save(survey_round, lebanon, focal_lebanon, reached, "500")
    _save(survey_round, lebanon, focal_lebanon, question("provides"), "no")
    _submit(survey_round, lebanon, focal_lebanon)
    return survey_round


def _item(data, name):
    return next(i for i in data["questions"] if i["question"].name == name)


def _row(item, name):
    return next(r for r in item["rows"] if r["name"] == name)


def test_answers_not_asked_are_kept_but_not_counted_in_results(answered, question, lebanon):
    # Kept: the answers are still stored.
    kept = Answer.objects.filter(
        response__society=lebanon, question__name__in=["services", "reached"]
    )
    assert sorted(kept.values_list("question__name", "value")) == [
        ("reached", "500"),
        ("services", "pfa rfl"),
    ]
    data = selectors.results(answered)
    services_item = _item(data, "services")
    assert services_item["answered"] == 1
    assert (services_item["asked"], services_item["not_asked"]) == (1, 1)
    assert _row(services_item, "pfa")["count"] == 1
    assert _row(services_item, "pfa")["share"] == 100
    assert _row(services_item, "rfl")["count"] == 0
    africa = [code for code, _label in data["regions"]].index("africa")
    mena = [code for code, _label in data["regions"]].index("mena")
    assert _row(services_item, "pfa")["regions"][africa]["count"] == 1
    assert _row(services_item, "pfa")["regions"][mena]["count"] == 0
    reached_item = _item(data, "reached")
    assert reached_item["answered"] == 1
    assert reached_item["numbers"] == {"sum": 100.0, "mean": 100.0}
    provides = _item(data, "provides")
    assert (provides["answered"], provides["asked"], provides["not_asked"]) == (2, 2, 0)
    assert _row(provides, "no")["count"] == 1


def test_flipping_the_condition_back_restores_the_answers(
    answered, question, reached, lebanon, focal_lebanon, admin_user
):
    services.response_reopen(
        response=Response.objects.get(society=lebanon), user=admin_user, reason="Typo"
    )
    _save(answered, lebanon, focal_lebanon, question("provides"), "yes")
    _submit(answered, lebanon, focal_lebanon)
    data = selectors.results(answered)
    services_item = _item(data, "services")
    assert (services_item["answered"], services_item["asked"]) == (2, 2)
    assert _row(services_item, "pfa")["count"] == 2
    assert _row(services_item, "rfl")["count"] == 1
    assert _item(data, "reached")["numbers"] == {"sum": 600.0, "mean": 300.0}


def test_indicators_computed_from_the_round_leave_out_answers_not_asked(
    answered, question, admin_user
):
    pfa = question("services").choices.get(name="pfa")
    pfa.indicator = factories.IndicatorFactory(code="PFA")
    pfa.save()
    (value,) = services.indicators_compute(survey_round=answered, by=admin_user)
    # Kenya selected PFA; Lebanon's kept "pfa rfl" was not asked (it provides no services).
    assert (value.numerator, value.denominator, value.value) == (1, 1, 100)


def test_the_values_indicators_read_leave_out_answers_not_asked(answered, lebanon, kenya):
    values = selectors.submitted_values(answered)
    by_society = {Response.objects.get(pk=pk).society_id: v for pk, v in values.items()}
    assert by_society[lebanon.pk] == {"provides": "no"}
    assert by_society[kenya.pk] == {"provides": "yes", "services": "pfa", "reached": "100"}


def test_completeness_counts_only_questions_asked(questionnaire, reached):
    sections = questionnaire_sections(questionnaire)
    values = {"provides": "no", "services": "pfa", "reached": "5"}
    first = answer_rules.progress(sections, values)[0]
    # provides and staff are shown; services and reached are not, so their answers do not count.
    assert (first.answered, first.shown, first.required_remaining) == (1, 2, 0)
    assert answer_rules.problems(sections, values) == []
    first = answer_rules.progress(sections, {"provides": "yes"})[0]
    assert [q.name for q in first.missing] == ["services"]


def test_results_page_states_the_base_of_every_figure(client, reader, answered):
    client.force_login(reader)
    page = client.get(reverse("surveys:round-results", args=[answered.pk])).content.decode()
    section = page[page.index('id="result-services"') :]
    section = section[: section.index("</section>")]
    assert "answered by 1 of 1 submitted response" in section
    assert "not asked of 1 of the 2: their other answers made it not apply" in section
    provides = page[page.index('id="result-provides"') :]
    assert "answered by 2 of 2 submitted responses" in provides[: provides.index("</section>")]
    reached_section = page[page.index('id="result-reached"') :]
    assert (
        "Over 1 answer: smallest 100, median 100, average 100, largest 100"
        in reached_section[: reached_section.index("</section>")]
    )


def _respond(survey_round, society, values, question, state="submitted"):
    response = Response.objects.create(round=survey_round, society=society, state=state)
    for name, value in values.items():
        response.answers.create(question=question(name), value=value)
    return response


@pytest.mark.parametrize("n", [3, 15])
def test_results_page_query_count_with_conditions_is_fixed(
    client, reader, survey_round, question, reached, django_assert_max_num_queries, n
):
    for i in range(n):
        society = factories.NationalSocietyFactory(name=f"Society {i}", region="africa")
        values = {"provides": "yes" if i % 2 else "no", "services": "pfa", "reached": str(i)}
        _respond(survey_round, society, values, question)
    client.force_login(reader)
    # session + user, round, sections, questions, choices, respondents per region, the
    # answers of conditional questions and what their conditions read, the other tallies,
    # indicator values, the invited societies; the user's and groups' permissions
    # (ModelBackend, read once, when the rules deny a permission); the session save; and the
    # two reads of the counts' cache key (surveys.selectors.submitted_counts), on a cold cache.
    with django_assert_max_num_queries(17):
        page = client.get(reverse("surveys:round-results", args=[survey_round.pk]))
    assert page.status_code == 200
    counted = (n + 1) // 2 if n % 2 == 0 else n // 2
    assert f"answered by {counted} of {counted} submitted response" in page.content.decode()


def _export(client, survey_round, fmt, layout):
    url = reverse("surveys:round-export", args=[survey_round.pk])
    result = client.get(url, {"format": fmt, "layout": layout, "language": "en"})
    body = b"".join(result.streaming_content)
    if fmt == "csv":
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig")))), None
    workbook = load_workbook(io.BytesIO(body))
    about = [list(r) for r in workbook["About"].values]
    return [list(r) for r in workbook.active.values], about


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_wide_export_leaves_answers_not_asked_blank(client, reader, answered, fmt):
    client.force_login(reader)
    rows, about = _export(client, answered, fmt, "wide")
    header = rows[0]
    by_society = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    lebanon, kenya = by_society["Lebanese Red Cross"], by_society["Kenya Red Cross Society"]
    reached = "reached: How many people did you reach with PFA?"
    assert lebanon["provides: Do you provide MHPSS?"] == "No"
    assert lebanon["services: Which services?"] in ("", None)
    assert lebanon[reached] in ("", None)
    assert kenya["services: Which services?"] == "PFA"
    assert kenya[reached] in (100, "100")
    if fmt == "xlsx":
        notes = " ".join(str(cell) for row in about for cell in row if cell)
        assert "Answers to questions that were not asked are left out" in notes
        assert "blank in the one-row-per-society layout" in notes


def test_long_export_has_no_row_for_answers_not_asked(client, reader, answered):
    client.force_login(reader)
    rows, about = _export(client, answered, "xlsx", "long")
    lebanon = [(r[4], r[6]) for r in rows[1:] if r[0] == "Lebanese Red Cross"]
    assert lebanon == [("provides", "no")]
    kenya = {r[4] for r in rows[1:] if r[0] == "Kenya Red Cross Society"}
    assert kenya == {"provides", "services", "reached"}
    assert any("no row in the one-row-per-answer layout" in str(c) for row in about for c in row)


def test_one_society_export_leaves_out_questions_not_asked(answered, lebanon):
    response = Response.objects.get(society=lebanon)
    rows = list(exports._response_rows(response))
    assert [r[1] for r in rows[1:]] == ["Do you provide MHPSS?", "How many staff?", "Notes"]


@pytest.mark.parametrize("layout", ["wide", "long"])
@pytest.mark.parametrize("n", [3, 12])
def test_export_query_count_does_not_grow_with_conditions(
    client, reader, survey_round, question, reached, django_assert_max_num_queries, layout, n
):
    for i in range(n):
        society = factories.NationalSocietyFactory(name=f"Society {i}", region="africa")
        values = {"provides": "yes" if i % 2 else "no", "services": "pfa", "reached": str(i)}
        _respond(survey_round, society, values, question)
    client.force_login(reader)
    # session + user, round, the answer count (big exports leave the request), sections,
    # questions, choices, responses (wide), answers, session save: the conditions cost none.
    with django_assert_max_num_queries(12):
        result = client.get(
            reverse("surveys:round-export", args=[survey_round.pk]),
            {"format": "csv", "layout": layout, "language": "en"},
        )
        rows = list(csv.reader(io.StringIO(b"".join(result.streaming_content).decode("utf-8-sig"))))
    if layout == "long":
        assert sum(1 for r in rows[1:] if r[4] == "reached") == n // 2


# ---------------------------------------------------------------- numbers as people type them


def _autosave(client, survey_round, society, question, raw, language):
    client.cookies["django_language"] = language
    answer = Answer.objects.filter(response__society=society, question=question).first()
    return client.post(
        reverse("surveys:answer-save", args=[survey_round.pk, society.pk, question.pk]),
        {f"q_{question.pk}": raw, f"v_{question.pk}": answer.version if answer else 0},
        HTTP_HX_REQUEST="true",
    ).content.decode()


@pytest.mark.parametrize(
    "language, typed, kept, echo",
    [
        ("es", "12.500", "12500", f"12{NBSP}500"),
        ("fr", "12 500", "12500", f"12{NBSP}500"),
        ("fr", f"12{NBSP}500", "12500", f"12{NBSP}500"),
        ("en", "12,500", "12500", f"12{NBSP}500"),
        ("ar", "١٢٬٥٠٠", "12500", f"12{NBSP}500"),
        ("ar", "١٢٥٠٠", "12500", f"12{NBSP}500"),
    ],
)
def test_whole_numbers_as_people_type_them(
    client, focal_lebanon, survey_round, lebanon, reached, language, typed, kept, echo
):
    client.force_login(focal_lebanon)
    html = _autosave(client, survey_round, lebanon, reached, typed, language)
    assert Answer.objects.get(question=reached).value == kept
    # The echo: the input and a line under it show what was kept.
    assert f'value="{echo}"' in html
    assert f"{echo}" in html[html.index("survey-kept") :]


@pytest.mark.parametrize(
    "language, typed, kept, echo",
    [
        ("es", "12,5", "12.5", "12,5"),
        ("es", "1.234,75", "1234.75", f"1{NBSP}234,75"),
        ("fr", "0,125", "0.125", "0,125"),
        ("en", "12.5", "12.5", "12.5"),
        ("ar", "١٢٫٥", "12.5", "12,5"),
    ],
)
def test_decimals_as_people_type_them(
    client, focal_lebanon, survey_round, lebanon, budget, language, typed, kept, echo
):
    client.force_login(focal_lebanon)
    html = _autosave(client, survey_round, lebanon, budget, typed, language)
    assert Answer.objects.get(question=budget).value == kept
    assert f'value="{echo}"' in html


@pytest.mark.parametrize(
    "language, typed, message",
    [
        (
            "en",
            "12.500",
            "Write 12500 or 12,500 for 12500, or 12.5 for a number between 12 and 13.",
        ),
        (
            "es",
            "12,500",
            "Write 12500 or 12.500 for 12500, or 12,5 for a number between 12 and 13.",
        ),
    ],
)
def test_number_read_two_ways_is_refused_and_nothing_stored(
    client, focal_lebanon, survey_round, lebanon, budget, language, typed, message
):
    client.force_login(focal_lebanon)
    html = _autosave(client, survey_round, lebanon, budget, typed, language)
    assert not Answer.objects.filter(question=budget).exists()
    assert "invalid-feedback" in html
    if language == "en":  # the Spanish catalogue may translate the sentence
        assert message in html
    assert f'value="{typed}"' in html  # what the person typed stays for them to correct


def test_full_form_reads_the_language_and_shows_what_was_kept(
    client, focal_lebanon, survey_round, lebanon, question, budget
):
    client.force_login(focal_lebanon)
    client.cookies["django_language"] = "es"
    staff = question("staff")
    section = staff.section
    page = client.post(
        reverse("surveys:section-save", args=[survey_round.pk, lebanon.pk, section.pk]),
        {f"q_{staff.pk}": "1.000", f"v_{staff.pk}": "0", f"o_{staff.pk}": ""},
        follow=True,
    )
    assert Answer.objects.get(question=staff).value == "1000"
    assert f'value="1{NBSP}000"' in page.content.decode()
    # Sending the page again unchanged keeps the answer as it is (no new version).
    client.post(
        reverse("surveys:section-save", args=[survey_round.pk, lebanon.pk, section.pk]),
        {f"q_{staff.pk}": f"1{NBSP}000", f"v_{staff.pk}": "1", f"o_{staff.pk}": f"1{NBSP}000"},
    )
    assert Answer.objects.get(question=staff).version == 1


# ---------------------------------------------------------------- demo and synthetic answers


def test_demo_and_synthetic_answers_respect_the_conditions(db):
    """`load_demo` and `seed_demo` answer only the questions their own answers ask: a society
    that says it provides no MHPSS services has no PFA answers, stored or counted."""
    import os

    from django.core.management import call_command

    from roadmap import synthetic

    with open(os.devnull, "w") as quiet:
        call_command("load_roadmap", stdout=quiet)
        call_command("load_demo", stdout=quiet)
    synthetic.generate(scale=1, sizes=synthetic.Sizes(**synthetic.TINY))
    checked = 0
    for response in Response.objects.select_related("round__questionnaire"):
        questions = [
            q
            for s in questionnaire_sections(response.round.questionnaire)
            for q in s.questions.all()
        ]
        values = dict(response.answers.values_list("question__name", "value"))
        shown = {
            q.name for q in questions if q.pk in answer_rules.visible_questions(questions, values)
        }
        assert set(values) <= shown, (response, set(values) - shown)
        checked += bool(values)
    assert checked > 10
    # Some societies do answer "no" to a question that hides others: the rule is exercised.
    hiding = {
        name
        for q in Question.objects.exclude(relevant="")
        for name in answer_rules.condition_references([q])
    }
    assert Answer.objects.filter(question__name__in=hiding, value="no").exists()

"""Results of a round: the tallies made in the database equal the former tally in Python.

`_results_in_python` is the selector as it was before the tallies moved to the database (it
fetched every submitted answer and counted in Python), with answers to questions not asked
left out; it stays here as the reference. Both run
on a varied data set: five regions, submitted and unfinished responses, yes/no questions with
and without choice rows, single and multiple choices (stale and repeated names included), whole
and decimal numbers, texts, empty answers and indicators with earlier values.
"""

import math
import random
import re
from collections import defaultdict

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Region
from surveys import selectors
from surveys.answers import visible_questions
from surveys.models import Answer, Question, Response, SurveyRound
from surveys.selectors import questionnaire_sections
from tests import factories
from tests.surveys import factories as f


def _results_in_python(survey_round: SurveyRound) -> dict:
    """The former `surveys.selectors.results` (every submitted answer fetched and counted in
    Python), plus the rule that answers to questions not asked are not counted, applied to
    each response whole: the reference for every figure."""
    from roadmap.models import IndicatorValue

    sections = questionnaire_sections(survey_round.questionnaire)
    questions = [q for s in sections for q in s.questions.all()]
    regions = [value for value, _label in Region.choices]
    answers = defaultdict(list)  # question id -> [(region, value)]
    asked = defaultdict(int)  # question id -> submitted responses asked it
    respondents = {"all": 0, **{r: 0 for r in regions}}
    submitted = {}
    for pk, region in Response.objects.filter(
        round=survey_round, state=Response.State.SUBMITTED
    ).values_list("pk", "society__region"):
        respondents["all"] += 1
        respondents[region] = respondents.get(region, 0) + 1
        submitted[pk] = (region, {})
    for rid, qid, value in Answer.objects.filter(
        response__round=survey_round, response__state=Response.State.SUBMITTED
    ).values_list("response_id", "question_id", "value"):
        submitted[rid][1][qid] = value
    names = {q.pk: q.name for q in questions}
    for region, values in submitted.values():
        shown = visible_questions(questions, {names[q]: v for q, v in values.items()})
        for qid in shown:
            asked[qid] += 1
        for qid, value in values.items():
            if value and qid in shown:
                answers[qid].append((region, value))
    indicator_ids = set()
    for section in sections:
        for question in section.questions.all():
            if question.indicator_id:
                indicator_ids.add(question.indicator_id)
            indicator_ids.update(c.indicator_id for c in question.choices.all() if c.indicator_id)
    earlier = defaultdict(list)
    for value in IndicatorValue.objects.filter(indicator_id__in=indicator_ids).select_related(
        "indicator"
    ):
        earlier[value.indicator_id].append(value)

    def share(n, d):
        return round(100 * n / d) if d else None

    out = []
    for section in sections:
        for question in section.questions.all():
            given = answers.get(question.pk, [])
            by_region_total = defaultdict(int)
            for region, _value in given:
                by_region_total[region] += 1
            options = []
            if question.kind == Question.Kind.YES_NO:
                options = [("yes", None), ("no", None)]
            elif question.has_choices:
                options = [(c.name, c) for c in question.choices.all()]
            rows = []
            for name, choice in options:
                hits = [r for r, v in given if name in v.split()]
                per_region = [
                    {
                        "count": sum(1 for h in hits if h == r),
                        "share": share(sum(1 for h in hits if h == r), by_region_total[r]),
                    }
                    for r in regions
                ]
                indicator_id = choice.indicator_id if choice else question.indicator_id
                rows.append(
                    {
                        "name": name,
                        "label": choice.label
                        if choice
                        else (_("Yes") if name == "yes" else _("No")),
                        "count": len(hits),
                        "share": share(len(hits), len(given)),
                        "regions": per_region,
                        "earlier": [
                            (v.year, v.indicator.format_value(v.value), v.source)
                            for v in earlier.get(indicator_id, [])
                        ],
                    }
                )
            numbers = None
            if question.kind in (Question.Kind.INTEGER, Question.Kind.DECIMAL) and given:
                values = [float(v) for _r, v in given]
                numbers = {"sum": sum(values), "mean": sum(values) / len(values)}
            out.append(
                {
                    "section": section,
                    "question": question,
                    "answered": len(given),
                    "asked": asked[question.pk],
                    "rows": rows,
                    "numbers": numbers,
                }
            )
    return {"questions": out, "respondents": respondents, "regions": Region.choices}


def _comparable(result: dict) -> dict:
    """The figures of a result, with model instances replaced by their ids."""
    questions = []
    for item in result["questions"]:
        questions.append(
            {
                "section": item["section"].pk,
                "question": item["question"].pk,
                "answered": item["answered"],
                "asked": item["asked"],
                "rows": item["rows"],
                "numbers": item["numbers"],
            }
        )
    return {
        "questions": questions,
        "respondents": result["respondents"],
        "regions": list(result["regions"]),
    }


def _assert_same(new: dict, old: dict) -> None:
    new, old = _comparable(new), _comparable(old)
    assert new["respondents"] == old["respondents"]
    assert new["regions"] == old["regions"]
    assert len(new["questions"]) == len(old["questions"])
    for mine, theirs in zip(new["questions"], old["questions"], strict=True):
        numbers, expected = mine.pop("numbers"), theirs.pop("numbers")
        assert mine == theirs
        if expected is None:
            assert numbers is None
        else:
            # Floats summed in another order (or exactly, as decimals) may differ in the last
            # bit; what the page shows (two decimals at most) is the same.
            assert set(numbers) == set(expected)
            for key in expected:
                assert math.isclose(numbers[key], expected[key], rel_tol=1e-12, abs_tol=1e-12)


@pytest.fixture
def varied_round(questionnaire, survey_round, question):
    """The conftest questionnaire plus the kinds it lacks, answered by 60 societies."""
    s1 = questionnaire.sections.get(name="services")
    s2 = questionnaire.sections.get(name="other")
    consent = f.QuestionFactory(  # yes/no made by hand: no choice rows
        section=s1, name="consent", kind=Question.Kind.YES_NO, order=3, label_en="Consent?"
    )
    level = f.QuestionFactory(
        section=s1, name="level", kind=Question.Kind.SINGLE, order=4, label_en="Level?"
    )
    for i, name in enumerate(["low", "medium", "high"]):
        f.ChoiceFactory(question=level, name=name, label_en=name.title(), order=i)
    f.QuestionFactory(
        section=s2, name="budget", kind=Question.Kind.DECIMAL, order=1, label_en="Budget?"
    )
    f.QuestionFactory(section=s2, name="contact", kind=Question.Kind.TEXT, order=2)
    f.QuestionFactory(section=s2, name="unanswered", kind=Question.Kind.INTEGER, order=3)
    # Indicators with earlier values, on a choice and on a yes/no question.
    pfa_indicator = factories.IndicatorFactory(code="PFA")
    factories.IndicatorValueFactory(indicator=pfa_indicator, year=2019, value=74, source="B")
    factories.IndicatorValueFactory(indicator=pfa_indicator, year=2021, value=81, source="F")
    pfa = question("services").choices.get(name="pfa")
    pfa.indicator = pfa_indicator
    pfa.save()
    consent.indicator = factories.IndicatorFactory(code="CONSENT")
    consent.save()
    factories.IndicatorValueFactory(indicator=consent.indicator, year=2021, value=12.5)

    pick = random.Random(20231)
    regions = [value for value, _label in Region.choices]
    choices_of = {
        "provides": ["yes", "no", "", "maybe"],
        "consent": ["yes", "no", "", "yes no"],
        "services": [
            "pfa",
            "rfl",
            "pfa rfl",
            "counselling pfa",
            "pfa pfa",
            "unknown pfa",
            "rfl  counselling",
            "",
            "pfa rfl counselling",
        ],
        "level": ["low", "medium", "high", "", "gone"],
        "staff": ["0", "12", "7", "", "1000", "3"],
        "budget": ["1.5", "0.1", "0.2", "2.25", "", "1000000.3333", "-4.75"],
        "notes": ["Long\nanswer", "", "=1+1", "x" * 300],
        "contact": ["a@example.org", "", "Someone"],
    }
    for i in range(60):
        society = factories.NationalSocietyFactory(
            name=f"Society {i:02d}", region=regions[pick.randrange(len(regions))]
        )
        if i % 11 == 5:
            continue  # never started
        state = "in_progress" if i % 7 == 3 else "submitted"
        response = Response.objects.create(round=survey_round, society=society, state=state)
        if i % 13 == 0:
            continue  # submitted with no answer at all
        for name, values in choices_of.items():
            if pick.random() < 0.15:
                continue  # left unanswered
            response.answers.create(question=question(name), value=pick.choice(values))
    # Another round's answers stay out of this round's results.
    other = f.RoundFactory(questionnaire=questionnaire, name="Other round")
    stranger = factories.NationalSocietyFactory(name="Elsewhere", region="mena")
    other_response = Response.objects.create(round=other, society=stranger, state="submitted")
    other_response.answers.create(question=question("provides"), value="yes")
    return survey_round


def test_results_in_the_database_equal_the_python_tally(varied_round):
    _assert_same(selectors.results(varied_round), _results_in_python(varied_round))


def test_results_of_a_round_without_answers_equal_the_python_tally(survey_round, kenya):
    Response.objects.create(round=survey_round, society=kenya, state="submitted")
    _assert_same(selectors.results(survey_round), _results_in_python(survey_round))


def test_results_after_reopening_equal_the_python_tally(varied_round):
    """A reopened response leaves the results; submitted again, it comes back."""
    response = Response.objects.filter(round=varied_round, state="submitted").first()
    response.state = "in_progress"
    response.save()
    _assert_same(selectors.results(varied_round), _results_in_python(varied_round))
    response.state = "submitted"
    response.save()
    _assert_same(selectors.results(varied_round), _results_in_python(varied_round))


def test_results_page_shows_the_figures(
    client, reader, varied_round, django_assert_max_num_queries
):
    expected = _results_in_python(varied_round)
    client.force_login(reader)
    # session + user, round, sections, questions, choices, the round's fingerprint (before
    # and after counting), respondents, answers of the conditional questions (and what their
    # conditions read), the other answer tallies, indicator values, the invited societies
    # (the base of the page); the user's and groups' permissions (ModelBackend, read once,
    # when the rules deny a permission); plus the session save (savepoint, update, release).
    with django_assert_max_num_queries(18):
        page = client.get(reverse("surveys:round-results", args=[varied_round.pk]))
    # Again: the questions' HTML comes from the cache, keyed by the results' state (session +
    # user, round, sections, questions, choices, one fingerprint, indicator values, invited
    # societies, the two permission reads: no respondents nor tallies), and the page is the
    # same.
    with django_assert_max_num_queries(11):
        again = client.get(reverse("surveys:round-results", args=[varied_round.pk]))
    html = page.content.decode()
    tokens = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')

    def figures(text: str) -> str:
        return tokens.sub("", text.split('id="results-base"', 1)[1])

    assert figures(again.content.decode()) == figures(html)
    invited = varied_round.invited().count()
    assert invited >= 60
    assert f"{expected['respondents']['all']} submitted responses of {invited} National" in html
    services = next(i for i in expected["questions"] if i["question"].name == "services")
    pfa = next(r for r in services["rows"] if r["name"] == "pfa")
    assert f"PFA</th>\n      <td>{pfa['count']}</td>\n      <td>{pfa['share']}%</td>" in html
    assert "2019: 74%" in html


def _answer_queries(captured) -> int:
    return sum('"surveys_answer"' in q["sql"] for q in captured.captured_queries)


def test_counts_are_cached_until_the_round_changes(varied_round, question, admin_user):
    """The counts are computed once per state of the round: read again, no answer is read;
    after a submit, a reopening, a changed condition or a society moved to another region,
    the figures are those of the new state at once (the key is read from the database)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Organisation
    from surveys import services

    _assert_same(selectors.results(varied_round), _results_in_python(varied_round))
    with CaptureQueriesContext(connection) as captured:
        _assert_same(selectors.results(varied_round), _results_in_python(varied_round))
    # Only the reference tally (one query) read answers: the selector's counts were cached.
    assert _answer_queries(captured) == 1

    newcomer = _newcomer_submits(varied_round, question, admin_user)
    after_submit = selectors.results(varied_round)
    _assert_same(after_submit, _results_in_python(varied_round))
    assert (
        after_submit["respondents"]["africa"]
        == _results_in_python(varied_round)["respondents"]["africa"]
    )

    submitted = Response.objects.get(round=varied_round, society=newcomer)
    services.response_reopen(response=submitted, user=admin_user, reason="Check")
    _assert_same(selectors.results(varied_round), _results_in_python(varied_round))

    services_question = question("services")
    services_question.relevant = "${provides} = 'no'"
    services_question.save()
    _assert_same(selectors.results(varied_round), _results_in_python(varied_round))

    moved = Organisation.objects.filter(survey_responses__round=varied_round).first()
    moved.region = "asia_pacific" if moved.region != "asia_pacific" else "africa"
    moved.save()
    _assert_same(selectors.results(varied_round), _results_in_python(varied_round))


def _rendered_questions(page) -> bool:
    return "surveys/includes/results_questions.html" in {t.name for t in page.templates}


def test_results_page_is_rendered_once_per_state_and_language(
    client, reader, varied_round, question, admin_user
):
    """The questions of the page are rendered once per state of the results and language,
    then read from the cache: a submit, a relabelled question or a newly published earlier
    value shows at once, and a French reader never gets the English page."""

    url = reverse("surveys:round-results", args=[varied_round.pk])
    client.force_login(reader)
    first = client.get(url)
    assert _rendered_questions(first)
    again = client.get(url)
    assert not _rendered_questions(again)
    assert again.content.decode().count("result-question") == first.content.decode().count(
        "result-question"
    )

    services_question = question("services")
    services_question.label_en = "Which services, now?"
    services_question.save()
    relabelled = client.get(url)
    assert _rendered_questions(relabelled)
    assert "Which services, now?" in relabelled.content.decode()

    factories.IndicatorValueFactory(
        indicator=services_question.choices.get(name="pfa").indicator, year=2022, value=90
    )
    assert "2022: 90%" in client.get(url).content.decode()

    before = varied_round.responses.filter(state="submitted").count()
    _newcomer_submits(varied_round, question, admin_user)
    html = client.get(url).content.decode()
    assert f"{before + 1} submitted responses of" in html
    assert f"of {before + 1} submitted responses" in html  # a question's base, in the fragment

    reader.language = "fr"
    reader.save()
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert _rendered_questions(french)
    assert 'lang="fr"' in french.content.decode()
    assert not _rendered_questions(client.get(url, HTTP_ACCEPT_LANGUAGE="fr"))


def _newcomer_submits(survey_round, question, user):
    """A new African society answers two questions and submits: the results must change."""
    from surveys import services

    newcomer = factories.NationalSocietyFactory(name="Newcomer", region="africa")
    for name, raw in (("provides", "yes"), ("services", ["pfa"])):
        services.answer_save(
            survey_round=survey_round,
            society=newcomer,
            question=question(name),
            raw=raw,
            expected_version=0,
            user=user,
        )
    services.response_submit(survey_round=survey_round, society=newcomer, user=user)
    return newcomer

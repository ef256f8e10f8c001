"""Answering: autosave, conditions, validation, conflicts, submit and read-only states."""

import datetime

import pytest
from django.urls import reverse

from surveys import conditions, services
from surveys.answers import InvalidAnswer, clean_value, problems, visible_questions
from surveys.models import Answer, Response
from surveys.selectors import questionnaire_sections
from tests.factories import FocalPointFactory


def _save_url(r, s, q):
    return reverse("surveys:answer-save", args=[r.pk, s.pk, q.pk])


@pytest.fixture(autouse=True)
def english_interface(client):
    """Lebanon's default language is Arabic; these tests read English messages."""
    client.cookies["django_language"] = "en"


@pytest.fixture
def colleague(lebanon):
    return FocalPointFactory(email="colleague@example.org", full_name="Rima", organisation=lebanon)


def test_autosave_stores_answer_and_returns_fragment(
    client, focal_lebanon, survey_round, lebanon, question
):
    q = question("provides")
    client.force_login(focal_lebanon)
    page = client.post(
        _save_url(survey_round, lebanon, q),
        {f"q_{q.pk}": "yes", f"v_{q.pk}": "0"},
        HTTP_HX_REQUEST="true",
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "<html" not in html  # a fragment, not the whole page
    assert 'id="survey-progress"' in html
    # The services question depends on this answer: it comes back, now shown.
    assert 'id="q-services"' in html
    answer = Answer.objects.get(question=q)
    assert (answer.value, answer.version, answer.updated_by) == ("yes", 1, focal_lebanon)


def test_answers_survive_a_new_browser(client, focal_lebanon, survey_round, lebanon, question):
    """Saved on the server, not in the browser: another session sees every answer."""
    q = question("staff")
    client.force_login(focal_lebanon)
    client.post(_save_url(survey_round, lebanon, q), {f"q_{q.pk}": "42", f"v_{q.pk}": "0"})
    client.logout()
    client.force_login(focal_lebanon)
    page = client.get(reverse("surveys:response-form", args=[survey_round.pk, lebanon.pk]))
    assert 'value="42"' in page.content.decode()


def test_form_in_arabic_uses_arabic_labels_and_rtl(client, focal_lebanon, survey_round, lebanon):
    client.force_login(focal_lebanon)
    client.cookies["django_language"] = "ar"
    page = client.get(reverse("surveys:response-form", args=[survey_round.pk, lebanon.pk]))
    html = page.content.decode()
    assert 'dir="rtl"' in html
    assert "هل تقدمون خدمات الصحة النفسية؟" in html
    # No Arabic label for this one: English fallback.
    assert "How many staff?" in html


def test_invalid_value_is_refused_with_message(
    client, focal_lebanon, survey_round, lebanon, question
):
    q = question("staff")
    client.force_login(focal_lebanon)
    page = client.post(
        _save_url(survey_round, lebanon, q),
        {f"q_{q.pk}": "5000", f"v_{q.pk}": "0"},
        HTTP_HX_REQUEST="true",
    )
    assert "at most 1000" in page.content.decode()
    assert not Answer.objects.filter(question=q).exists()


@pytest.mark.parametrize(
    ("kind_name", "raw", "expected"),
    [
        ("staff", "12", "12"),
        ("staff", "1.5", InvalidAnswer),
        ("staff", "-1", InvalidAnswer),
        ("staff", "abc", InvalidAnswer),
        ("provides", "maybe", InvalidAnswer),
        ("services", ["rfl", "pfa"], "pfa rfl"),
        ("services", ["nope"], InvalidAnswer),
        ("notes", "", ""),
    ],
)
def test_clean_value(question, kind_name, raw, expected):
    q = question(kind_name)
    if expected is InvalidAnswer:
        with pytest.raises(InvalidAnswer):
            clean_value(q, raw)
    else:
        assert clean_value(q, raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2.5", "2.5"),
        ("1,25", "1.25"),
        ("-0.000001", "-0.000001"),
        ("999999999999999", "999999999999999"),
        ("1e309", InvalidAnswer),  # finite for Decimal, but no sensible answer
        ("1e100000000", InvalidAnswer),  # would format as a 100-million-digit string
        ("1e-99999999", InvalidAnswer),
        ("0.0000001", InvalidAnswer),
        ("1000000000000000", InvalidAnswer),
    ],
)
def test_unbounded_decimal_is_still_bounded(question, raw, expected):
    q = question("staff")
    q.kind, q.min_value, q.max_value = q.Kind.DECIMAL, None, None
    if expected is InvalidAnswer:
        # "1e309" is no way people write numbers; the others have too many digits.
        with pytest.raises(InvalidAnswer, match="at most 15 digits|is not a number"):
            clean_value(q, raw)
    else:
        assert clean_value(q, raw) == expected


@pytest.mark.parametrize(
    ("expression", "values", "shown"),
    [
        ("${a} = 'yes'", {"a": "yes"}, True),
        ("${a} = 'yes'", {"a": "no"}, False),
        ("${a} != ''", {"a": ""}, False),
        ("${a} != ''", {"a": "x"}, True),
        ("selected(${b}, 'pfa')", {"b": "rfl pfa"}, True),
        ("selected(${b}, 'pfa')", {"b": "rfl"}, False),
        ("${a} = 'yes' and selected(${b}, 'x')", {"a": "yes", "b": "x"}, True),
        ("${a} = 'yes' and selected(${b}, 'x')", {"a": "yes", "b": "y"}, False),
        ("${a} = 'yes' or (${n} >= 10)", {"a": "no", "n": "12"}, True),
        ("not(${a} = 'yes')", {"a": "yes"}, False),
        ("${n} > -1", {"n": "0"}, True),
        ("${n} >= -2.5", {"n": "-3"}, False),
        # Arithmetic is read by surveys.xpath, with the same tokens.
        ("${n} + 1 > 3", {"n": "3"}, True),
        ("${n} mod 2 = 0", {"n": "3"}, False),
    ],
)
def test_conditions(expression, values, shown):
    assert conditions.evaluate(conditions.parse(expression), values) is shown


@pytest.mark.parametrize(
    # "${a} > 'x'" is valid XLSForm (false, as in ODK): surveys.xpath reads it.
    "expression",
    ["count(${a}) > 1", "${a} = ", "${a} = 'x' xor ${b} = 'y'"],
)
def test_unsupported_conditions_are_refused(expression):
    with pytest.raises(conditions.ConditionError):
        conditions.parse(expression)


def test_hidden_question_not_required_and_stale_answer_ignored(questionnaire):
    sections = questionnaire_sections(questionnaire)
    # services is required but hidden when provides = no; its stale invalid answer is ignored.
    assert problems(sections, {"provides": "no", "services": "bogus"}) == []
    found = problems(sections, {"provides": "yes"})
    assert [q.name for q, _m in found] == ["services"]
    questions = [q for s in sections for q in s.questions.all()]
    shown = visible_questions(questions, {"provides": "no"})
    assert questionnaire.questions.get(name="services").pk not in shown


def test_conflict_on_same_question_shows_other_value(
    client, focal_lebanon, colleague, survey_round, lebanon, question
):
    q = question("staff")
    url = _save_url(survey_round, lebanon, q)
    client.force_login(colleague)
    client.post(url, {f"q_{q.pk}": "10", f"v_{q.pk}": "0"})
    client.force_login(focal_lebanon)
    # Loaded the form before the colleague saved: version 0.
    page = client.post(url, {f"q_{q.pk}": "20", f"v_{q.pk}": "0"}, HTTP_HX_REQUEST="true")
    html = page.content.decode()
    assert "Rima changed this answer" in html
    assert "“10”" in html and "“20” was not saved" in html
    answer = Answer.objects.get(question=q)
    assert (answer.value, answer.version) == ("10", 1)
    # Now with the version shown after the conflict, the change goes through.
    client.post(url, {f"q_{q.pk}": "20", f"v_{q.pk}": "1"})
    answer.refresh_from_db()
    assert (answer.value, answer.version) == ("20", 2)


def test_different_questions_both_stick(
    client, focal_lebanon, colleague, survey_round, lebanon, question
):
    staff, notes = question("staff"), question("notes")
    client.force_login(colleague)
    client.post(
        _save_url(survey_round, lebanon, staff), {f"q_{staff.pk}": "7", f"v_{staff.pk}": "0"}
    )
    client.force_login(focal_lebanon)
    client.post(
        _save_url(survey_round, lebanon, notes), {f"q_{notes.pk}": "hello", f"v_{notes.pk}": "0"}
    )
    assert dict(Answer.objects.values_list("question__name", "value")) == {
        "staff": "7",
        "notes": "hello",
    }


def test_section_post_without_javascript(
    client, focal_lebanon, colleague, survey_round, lebanon, question
):
    provides, staff, services_q = question("provides"), question("staff"), question("services")
    # A colleague answered staff after this person loaded the section; they did not touch it.
    services.answer_save(
        survey_round=survey_round,
        society=lebanon,
        question=staff,
        raw="3",
        expected_version=0,
        user=colleague,
    )
    client.force_login(focal_lebanon)
    url = reverse("surveys:section-save", args=[survey_round.pk, lebanon.pk, provides.section_id])
    result = client.post(
        url,
        {
            f"q_{provides.pk}": "yes",
            f"v_{provides.pk}": "0",
            f"o_{provides.pk}": "",
            f"q_{services_q.pk}": ["pfa", "rfl"],
            f"v_{services_q.pk}": "0",
            f"o_{services_q.pk}": "",
            f"q_{staff.pk}": "",
            f"v_{staff.pk}": "0",
            f"o_{staff.pk}": "",
            "next": "1",
        },
    )
    assert result.status_code == 302
    assert f"section={question('notes').section_id}" in result["Location"]
    values = dict(Answer.objects.values_list("question__name", "value"))
    assert values == {"provides": "yes", "services": "pfa rfl", "staff": "3"}


def test_submit_lists_missing_then_locks(client, focal_lebanon, survey_round, lebanon, question):
    client.force_login(focal_lebanon)
    submit = reverse("surveys:response-submit", args=[survey_round.pk, lebanon.pk])
    page = client.post(submit)
    assert page.status_code == 422
    html = page.content.decode()
    assert "cannot be submitted yet" in html and "#q-provides" in html
    q = question("provides")
    client.post(_save_url(survey_round, lebanon, q), {f"q_{q.pk}": "no", f"v_{q.pk}": "0"})
    assert client.post(submit).status_code == 302
    response = Response.objects.get()
    first_submitted = response.submitted_at
    assert response.is_submitted
    # Double submit: nothing changes.
    assert client.post(submit).status_code == 302
    response.refresh_from_db()
    assert response.submitted_at == first_submitted
    assert response.history.filter(history_change_reason="Submitted").count() == 1
    # Read-only now: saving is refused and the form has no inputs enabled.
    result = client.post(
        _save_url(survey_round, lebanon, q), {f"q_{q.pk}": "yes", f"v_{q.pk}": "1"}
    )
    assert result.status_code == 302
    assert Answer.objects.get(question=q).value == "no"
    page = client.get(reverse("surveys:response-form", args=[survey_round.pk, lebanon.pk]))
    assert "disabled" in page.content.decode() and "Submit response" not in page.content.decode()


def test_closed_round_is_read_only(client, focal_lebanon, survey_round, lebanon, question):
    survey_round.state = "closed"
    survey_round.save()
    q = question("provides")
    client.force_login(focal_lebanon)
    client.post(_save_url(survey_round, lebanon, q), {f"q_{q.pk}": "yes", f"v_{q.pk}": "0"})
    assert not Answer.objects.exists()


def test_admin_reopens_and_extends_with_reason(
    client, admin_user, focal_lebanon, survey_round, lebanon, question
):
    survey_round.closes = datetime.date.today() - datetime.timedelta(days=1)
    survey_round.save()
    response = Response.objects.create(round=survey_round, society=lebanon, state="submitted")
    client.force_login(admin_user)
    base = [survey_round.pk, lebanon.pk]
    client.post(reverse("surveys:response-reopen", args=base), {"reason": "Wrong staff numbers"})
    client.post(
        reverse("surveys:response-extend", args=base),
        {
            "deadline": (datetime.date.today() + datetime.timedelta(days=7)).isoformat(),
            "reason": "Floods",
        },
    )
    response.refresh_from_db()
    assert response.state == "in_progress" and response.deadline
    reasons = set(response.history.values_list("history_change_reason", flat=True))
    assert {"Wrong staff numbers", "Floods"} <= reasons
    # Past the round's date but within the society's extension: the focal point can answer.
    q = question("provides")
    client.force_login(focal_lebanon)
    client.post(_save_url(survey_round, lebanon, q), {f"q_{q.pk}": "yes", f"v_{q.pk}": "0"})
    assert Answer.objects.filter(question=q, value="yes").exists()


def test_reopen_needs_reason(client, admin_user, survey_round, lebanon):
    response = Response.objects.create(round=survey_round, society=lebanon, state="submitted")
    client.force_login(admin_user)
    client.post(
        reverse("surveys:response-reopen", args=[survey_round.pk, lebanon.pk]), {"reason": ""}
    )
    response.refresh_from_db()
    assert response.state == "submitted"


def test_download_own_answers_xlsx_only_after_submit(
    client, focal_lebanon, survey_round, lebanon, question
):
    from io import BytesIO

    from openpyxl import load_workbook

    response = Response.objects.create(round=survey_round, society=lebanon)
    response.answers.create(question=question("staff"), value="12")
    client.force_login(focal_lebanon)
    url = reverse("surveys:response-download", args=[survey_round.pk, lebanon.pk, "xlsx"])
    assert client.get(url).status_code == 404
    response.state = "submitted"
    response.save()
    result = client.get(url)
    rows = list(load_workbook(BytesIO(b"".join(result.streaming_content))).active.values)
    # Lebanon answers in Arabic (its default language); untranslated labels fall back.
    assert ("How many staff?", 12) in [row[1:] for row in rows]
    pdf = client.get(
        reverse("surveys:response-download", args=[survey_round.pk, lebanon.pk, "pdf"])
    )
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_default_questionnaire_form_renders_with_bounded_queries(
    client, focal_lebanon, lebanon, django_assert_max_num_queries
):
    from surveys import seed
    from surveys.models import SurveyRound
    from tests.factories import RoadmapFactory

    RoadmapFactory(is_current=True)
    seed.load_reference_data()
    survey_round = SurveyRound.objects.get(name="Endline 2023")
    survey_round.state = "open"
    survey_round.save()
    del client.cookies["django_language"]  # no choice made: the society's Arabic applies
    client.force_login(focal_lebanon)
    url = reverse("surveys:response-form", args=[survey_round.pk, lebanon.pk])
    sections = survey_round.questionnaire.sections.order_by("order")
    for section in sections:
        # session, user, organisation (language), round, society, response, sections, questions,
        # choices, answers; plus the session save. Independent of the number of questions.
        with django_assert_max_num_queries(14):
            page = client.get(url, {"section": section.pk})
        assert page.status_code == 200
    html = client.get(url).content.decode()
    assert "هل لدى جمعيتكم الوطنية جهة تنسيق" in html
    assert "المسح الختامي 2023" in html  # the round's own name, in Arabic too

"""Autosave answers with exactly what the page would show: the saved question, the questions
whose visibility depends on it, and the progress of every section.

Each fragment of an autosave response is compared with the same element of the whole form
loaded right after, so the short path cannot drift from the page.
"""

import re

import pytest
from django.urls import reverse

from surveys.models import Question
from tests.surveys import factories as f


@pytest.fixture(autouse=True)
def english_interface(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def chained(questionnaire, question):
    """Beside the conftest questions: `detail` shown if `services` has pfa (so it depends on
    `provides` through `services`), `many` shown if staff > 10 (unrelated to `provides`), and
    `followup` in the second section, shown if provides = yes."""
    s1 = questionnaire.sections.get(name="services")
    s2 = questionnaire.sections.get(name="other")
    f.QuestionFactory(
        section=s1,
        name="detail",
        kind=Question.Kind.TEXT,
        order=5,
        required=True,
        relevant="selected(${services}, 'pfa')",
        label_en="Which PFA?",
    )
    f.QuestionFactory(
        section=s1,
        name="many",
        kind=Question.Kind.TEXT,
        order=6,
        relevant="${staff} > 10",
        label_en="Why so many?",
    )
    f.QuestionFactory(
        section=s2,
        name="followup",
        kind=Question.Kind.YES_NO,
        order=1,
        required=True,
        relevant="${provides} = 'yes'",
        label_en="Follow-up?",
    )
    return question


def _fieldset(html: str, name: str) -> str | None:
    found = re.search(rf'<fieldset id="q-{name}".*?</fieldset>', html, re.S)
    return _normal(found.group(0)) if found else None


def _progress(html: str) -> str:
    found = re.search(r'<div id="survey-progress".*?</ul>\s*</div>', html, re.S)
    assert found, "no progress card"
    return _normal(found.group(0))


def _normal(fragment: str) -> str:
    fragment = re.sub(r'<div class="small text-success survey-saved".*?</div>', "", fragment)
    # The echo of a number just kept ("Kept as 12") is the autosave's alone.
    fragment = re.sub(r'<div class="small text-muted survey-kept".*?</div>', "", fragment)
    return re.sub(r"\s+", " ", re.sub(r"\s+>", ">", fragment)).strip()


def _save(client, survey_round, society, q, value, version):
    url = reverse("surveys:answer-save", args=[survey_round.pk, society.pk, q.pk])
    page = client.post(url, {f"q_{q.pk}": value, f"v_{q.pk}": str(version)}, HTTP_HX_REQUEST="true")
    assert page.status_code == 200
    return page.content.decode()


def _page(client, survey_round, society, section_id):
    url = reverse("surveys:response-form", args=[survey_round.pk, society.pk])
    return client.get(url, {"section": section_id}).content.decode()


@pytest.mark.parametrize(
    "steps",
    [
        # (question, value, version) saved one after the other; the last one is checked.
        [("provides", "yes", 0)],
        [("provides", "yes", 0), ("services", ["pfa", "rfl"], 0)],
        [("provides", "yes", 0), ("services", ["pfa"], 0), ("provides", "no", 1)],
        [("staff", "12", 0)],
        [("provides", "yes", 0), ("services", ["rfl"], 0), ("services", ["pfa"], 1)],
    ],
)
def test_autosave_fragments_equal_the_page(
    client, focal_lebanon, survey_round, lebanon, chained, steps
):
    client.force_login(focal_lebanon)
    for name, value, version in steps:
        html = _save(client, survey_round, lebanon, chained(name), value, version)
    saved = chained(steps[-1][0])
    page = _page(client, survey_round, lebanon, saved.section_id)
    assert "survey-saved" in _fieldset(html, saved.name) or "Saved" in html
    assert _fieldset(html, saved.name) == _fieldset(page, saved.name)
    assert _progress(html) == _progress(page)
    # Every question of the section that came back equals the page's.
    for other in re.findall(r'<fieldset id="q-([\w-]+)"', html):
        assert _fieldset(html, other) == _fieldset(page, other), other


def test_autosave_returns_the_questions_depending_on_the_answer(
    client, focal_lebanon, survey_round, lebanon, chained
):
    client.force_login(focal_lebanon)
    html = _save(client, survey_round, lebanon, chained("provides"), "yes", 0)
    # services depends on provides, and detail on services: both come back (out of band).
    assert _fieldset(html, "services") and _fieldset(html, "detail")
    assert 'id="q-services"' in html
    # Shown now: services; still hidden (no pfa yet): detail.
    assert " hidden" not in _fieldset(html, "services").split(">")[0]
    assert " hidden" in _fieldset(html, "detail").split(">")[0]
    # The second section's follow-up is not on this page, but its progress is.
    assert "Other" in _progress(html) and "0 of 2 answered" in _progress(html)


def test_autosave_leaves_unrelated_questions_alone(
    client, focal_lebanon, survey_round, lebanon, chained
):
    client.force_login(focal_lebanon)
    html = _save(client, survey_round, lebanon, chained("provides"), "yes", 0)
    assert _fieldset(html, "many") is None  # shown if staff > 10: nothing to do with provides
    assert _fieldset(html, "staff") is None
    html = _save(client, survey_round, lebanon, chained("staff"), "12", 0)
    assert _fieldset(html, "many") and _fieldset(html, "services") is None


def test_autosave_of_a_refused_value_on_a_closed_round_shows_it_read_only(
    client, focal_lebanon, survey_round, lebanon, chained
):
    survey_round.state = "closed"
    survey_round.save()
    client.force_login(focal_lebanon)
    html = _save(client, survey_round, lebanon, chained("staff"), "abc", 0)
    fieldset = _fieldset(html, "staff")
    assert "“abc” is not a whole number." in fieldset and "disabled" in fieldset
    assert "data-autosave-url" not in fieldset


def test_autosave_conflict_returns_the_fragment_and_progress(
    client, focal_lebanon, survey_round, lebanon, chained
):
    from tests.factories import FocalPointFactory

    colleague = FocalPointFactory(email="c@example.org", full_name="Rima", organisation=lebanon)
    client.force_login(colleague)
    _save(client, survey_round, lebanon, chained("provides"), "yes", 0)
    client.force_login(focal_lebanon)
    html = _save(client, survey_round, lebanon, chained("provides"), "no", 0)
    assert "Rima changed this answer" in html
    assert 'name="v_' in _fieldset(html, "provides") and 'value="1"' in _fieldset(html, "provides")
    assert "1 of 3 answered" in _progress(html)


def test_autosave_queries_do_not_grow_with_the_questionnaire(
    client, focal_lebanon, survey_round, lebanon, chained, django_assert_max_num_queries
):
    client.force_login(focal_lebanon)
    section = chained("notes").section
    for i in range(30):
        f.QuestionFactory(
            section=section, name=f"extra{i}", kind=Question.Kind.SINGLE, order=10 + i
        )
    notes = chained("notes")
    # session + user, round, society, question; the save (no response to lock yet, so it is
    # created, with its history, the answer and its history: 13); sections, and questions
    # with this response's answers (the outline); the session save (3).
    with django_assert_max_num_queries(23):
        _save(client, survey_round, lebanon, notes, "hello", 0)
    # Later saves: the response is locked at once, the answer is updated in place and not
    # read back (6 for the save).
    with django_assert_max_num_queries(16):
        _save(client, survey_round, lebanon, notes, "hello again", 1)

"""Survey fixtures: a small questionnaire with a condition, and an open round."""

import pytest

from surveys.models import Question
from tests.surveys import factories as f


@pytest.fixture
def questionnaire(db):
    """Section 1: provides (yes/no, required), services (multiple, shown if provides = yes,
    required), staff (integer 0..1000). Section 2: notes (long text)."""
    q = f.QuestionnaireFactory(name="Test endline")
    s1 = f.SectionFactory(questionnaire=q, name="services", title_en="Services", order=0)
    s2 = f.SectionFactory(questionnaire=q, name="other", title_en="Other", order=1)
    provides = f.QuestionFactory(
        section=s1,
        name="provides",
        kind=Question.Kind.YES_NO,
        required=True,
        order=0,
        label_en="Do you provide MHPSS?",
        label_ar="هل تقدمون خدمات الصحة النفسية؟",
    )
    f.ChoiceFactory(question=provides, name="yes", label_en="Yes", label_ar="نعم", order=0)
    f.ChoiceFactory(question=provides, name="no", label_en="No", label_ar="لا", order=1)
    services = f.QuestionFactory(
        section=s1,
        name="services",
        kind=Question.Kind.MULTIPLE,
        required=True,
        order=1,
        relevant="${provides} = 'yes'",
        label_en="Which services?",
    )
    for i, name in enumerate(["pfa", "rfl", "counselling"]):
        f.ChoiceFactory(question=services, name=name, label_en=name.upper(), order=i)
    f.QuestionFactory(
        section=s1,
        name="staff",
        kind=Question.Kind.INTEGER,
        order=2,
        min_value=0,
        max_value=1000,
        label_en="How many staff?",
    )
    f.QuestionFactory(
        section=s2, name="notes", kind=Question.Kind.LONG_TEXT, order=0, label_en="Notes"
    )
    return q


@pytest.fixture
def survey_round(questionnaire):
    return f.RoundFactory(questionnaire=questionnaire, name="Endline 2023")


@pytest.fixture
def question(questionnaire):
    return lambda name: questionnaire.questions.get(name=name)

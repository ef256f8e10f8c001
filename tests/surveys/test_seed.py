"""The default endline questionnaire loads through the XLSForm importer, idempotently."""

import pytest

from surveys import demo, seed
from surveys.models import Question, Questionnaire, Response, SurveyRound
from tests import factories


@pytest.mark.django_db
def test_reference_data_is_complete_translated_and_idempotent():
    roadmap = factories.RoadmapFactory(is_current=True)
    area = factories.AreaFactory(roadmap=roadmap)
    pfa = factories.IndicatorFactory(area=area, code="PFA")
    provide = factories.IndicatorFactory(area=area, code="PSS-PROVIDE")
    seed.load_reference_data()
    seed.load_reference_data()
    questionnaire = Questionnaire.objects.get()
    questions = list(questionnaire.questions.all())
    assert 40 <= len(questions) <= 60
    assert all(q.label_fr and q.label_es and q.label_ar for q in questions)
    assert Question.objects.get(name="provides_mhpss").indicator == provide
    assert Question.objects.get(name="services").choices.get(name="pfa").indicator == pfa
    assert Question.objects.filter(relevant__contains="selected(").exists()
    rounds = dict(SurveyRound.objects.values_list("name", "state"))
    assert rounds == {
        "Baseline 2019": "closed",
        "Follow-up 2021": "closed",
        "Endline 2023": "draft",
    }


@pytest.mark.django_db
def test_demo_opens_round_and_leaves_demo_societies_alone():
    factories.RoadmapFactory(is_current=True)
    for code in ["KE", "LB", "CO", "SN", "FR", "ES", "JO", "PH"]:
        factories.NationalSocietyFactory(country=code, name=f"Society {code}")
    demo.load()
    demo.load()
    survey_round = SurveyRound.objects.get(name="Endline 2023")
    assert survey_round.state == "open"
    assert survey_round.closes > survey_round.opens
    answered = set(Response.objects.values_list("society__country", flat=True))
    assert answered == {"FR", "ES", "JO", "PH"}
    assert Response.objects.filter(state="submitted").exists()
    assert Response.objects.filter(state="in_progress").exists()

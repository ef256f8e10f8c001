"""A small roadmap with figures, a round with two societies' responses, and token helpers."""

import base64

import pytest

from api import services
from tests import factories
from tests.surveys.factories import QuestionFactory, ResponseFactory, RoundFactory


@pytest.fixture
def world(db):
    roadmap = factories.RoadmapFactory(name="Roadmap 2020-2023", is_current=True)
    area = factories.AreaFactory(roadmap=roadmap, number=1, title="Basic psychosocial support")
    output = factories.OutputFactory(area=area)
    factories.ProgressUpdateFactory(subject=output, status="on_track")
    indicator = factories.IndicatorFactory(area=area)
    factories.IndicatorValueFactory(indicator=indicator, year=2021, value=40)
    survey_round = RoundFactory(roadmap=roadmap)
    question = QuestionFactory(questionnaire=survey_round.questionnaire)
    kenya = factories.NationalSocietyFactory(name="Kenya Red Cross")
    lebanon = factories.NationalSocietyFactory(name="Lebanese Red Cross")
    ResponseFactory(round=survey_round, society=kenya)
    ResponseFactory(round=survey_round, society=lebanon)
    return {
        "roadmap": roadmap,
        "area": area,
        "indicator": indicator,
        "round": survey_round,
        "question": question,
        "kenya": kenya,
        "lebanon": lebanon,
        "admin": factories.AdminFactory(),
        "reader": factories.ReaderFactory(),
        "focal_kenya": factories.FocalPointFactory(organisation=kenya),
    }


@pytest.fixture
def token_for():
    """token_for(user) -> the secret of a new token of that person."""

    def make(user, **kwargs):
        _token, secret = services.token_create(user=user, name="Dashboard", **kwargs)
        return secret

    return make


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def basic(secret: str, user: str = "excel") -> dict:
    value = base64.b64encode(f"{user}:{secret}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {value}"}


@pytest.fixture
def auth():
    return {"bearer": bearer, "basic": basic}

"""Factories for questionnaires, rounds and responses."""

import datetime

import factory
from factory.django import DjangoModelFactory

from surveys.models import Answer, Choice, Question, Questionnaire, Response, Section, SurveyRound
from tests.factories import RoadmapFactory


class QuestionnaireFactory(DjangoModelFactory):
    class Meta:
        model = Questionnaire

    name = factory.Sequence(lambda n: f"Questionnaire {n}")


class SectionFactory(DjangoModelFactory):
    class Meta:
        model = Section

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    name = factory.Sequence(lambda n: f"section_{n}")
    order = factory.Sequence(lambda n: n)
    title_en = factory.Sequence(lambda n: f"Section {n}")
    title_ar = factory.Sequence(lambda n: f"القسم {n}")


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    section = factory.SubFactory(SectionFactory)
    questionnaire = factory.SelfAttribute("section.questionnaire")
    name = factory.Sequence(lambda n: f"q{n}")
    order = factory.Sequence(lambda n: n)
    kind = Question.Kind.YES_NO
    label_en = factory.Sequence(lambda n: f"Question {n}?")


class ChoiceFactory(DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory, kind=Question.Kind.MULTIPLE)
    name = factory.Sequence(lambda n: f"c{n}")
    order = factory.Sequence(lambda n: n)
    label_en = factory.Sequence(lambda n: f"Choice {n}")


class RoundFactory(DjangoModelFactory):
    class Meta:
        model = SurveyRound

    roadmap = factory.SubFactory(RoadmapFactory)
    name = factory.Sequence(lambda n: f"Endline {2023 + n}")
    year = 2023
    questionnaire = factory.SubFactory(QuestionnaireFactory)
    state = SurveyRound.State.OPEN
    opens = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=10))
    closes = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=30))


class ResponseFactory(DjangoModelFactory):
    class Meta:
        model = Response

    round = factory.SubFactory(RoundFactory)


class AnswerFactory(DjangoModelFactory):
    class Meta:
        model = Answer

    value = "yes"

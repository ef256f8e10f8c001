"""factory_boy factories for people, organisations and the roadmap."""

import datetime

import factory
from factory.django import DjangoModelFactory

from accounts.models import Organisation, Region, User
from roadmap.models import (
    Commitment,
    ExpectedResult,
    Indicator,
    IndicatorValue,
    PriorityActionArea,
    ProgressUpdate,
    Roadmap,
)

PASSWORD = "roadmap-demo"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Partner organisation {n}")
    kind = Organisation.Kind.PARTNER


# Countries that tests and fixtures name themselves (the Kenya, Lebanon, Senegal… societies):
# generated societies never take them, so a named one never collides with a generated one.
_NAMED = {"KE", "LB", "CO", "SN", "JO", "NO", "NG"}
_COUNTRIES = ["FR", "ES", "PH", "BR", "DK", "IN", "EG", "PE", "GH", "UG", "NP", "FJ", "MX", "TR"]


class NationalSocietyFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Test Red Cross Society {n}")
    kind = Organisation.Kind.NATIONAL_SOCIETY
    # Past the short list, synthetic but valid ISO codes keep the one-society-per-country rule.
    country = factory.Sequence(
        lambda n: _COUNTRIES[n] if n < len(_COUNTRIES) else _synthetic_country(n)
    )
    region = Region.AFRICA


def _synthetic_country(n: int) -> str:
    from django_countries import countries

    codes = [c for c in countries if c.code not in _COUNTRIES and c.code not in _NAMED]
    return codes[n % len(codes)].code


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AdminFactory(UserFactory):
    role = User.Role.ADMIN
    is_staff = True


class ReaderFactory(UserFactory):
    role = User.Role.READER


class FocalPointFactory(UserFactory):
    organisation = factory.SubFactory(NationalSocietyFactory)
    is_focal_point = True


class CommitmentFactory(DjangoModelFactory):
    class Meta:
        model = Commitment

    code = factory.Sequence(lambda n: f"CD/19/R{n}")
    kind = Commitment.Kind.RESOLUTION
    title = factory.Sequence(lambda n: f"Resolution {n}")
    adopted_by = "Council of Delegates"


class RoadmapFactory(DjangoModelFactory):
    class Meta:
        model = Roadmap

    name = factory.Sequence(lambda n: f"Roadmap {n}")
    start_year = 2020
    end_year = 2023


class AreaFactory(DjangoModelFactory):
    class Meta:
        model = PriorityActionArea

    roadmap = factory.SubFactory(RoadmapFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Priority action area {n + 1}")


class OutputFactory(DjangoModelFactory):
    class Meta:
        model = ExpectedResult

    area = factory.SubFactory(AreaFactory)
    kind = ExpectedResult.Kind.OUTPUT
    code = factory.Sequence(lambda n: f"O{n}")
    title = factory.Sequence(lambda n: f"Expected output {n}")


class OutcomeFactory(OutputFactory):
    kind = ExpectedResult.Kind.OUTCOME
    code = factory.Sequence(lambda n: f"C{n}")


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator

    area = factory.SubFactory(AreaFactory)
    code = factory.Sequence(lambda n: f"IND-{n}")
    name = factory.Sequence(lambda n: f"Share of societies doing thing {n}")
    baseline_value = 50
    baseline_year = 2019
    target_value = 80
    target_year = 2023


class IndicatorValueFactory(DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2021
    value = 60
    source = "2021 follow-up survey"


class ProgressUpdateFactory(DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    subject = factory.SubFactory(OutputFactory)
    date = factory.LazyFunction(datetime.date.today)
    status = "on_track"
    percent_complete = 40
    narrative = "Work goes on."
    author = factory.SubFactory(UserFactory)

"""Factories and a small roadmap data set for the report tests."""

import datetime

import factory
from factory.django import DjangoModelFactory

from reports.models import ReportEdition, all_sections
from tests import factories


class EditionFactory(DjangoModelFactory):
    class Meta:
        model = ReportEdition

    title = factory.Sequence(lambda n: f"Progress report {n}")
    audience = "Council of Delegates"
    period_start = datetime.date(2020, 1, 1)
    period_end = datetime.date(2025, 6, 30)
    sections = factory.LazyFunction(all_sections)
    executive_summary = "The Movement made steady progress."
    challenges = "Funding remains the main obstacle."
    created_by = factory.SubFactory(factories.AdminFactory)


def build_roadmap(*, areas: int = 2, outputs_per_area: int = 2, societies: int = 2):
    """A current roadmap with areas, outputs with updates, and indicators with values."""
    roadmap = factories.RoadmapFactory(is_current=True, name="Roadmap 2020–2023")
    roadmap.commitments.add(factories.CommitmentFactory(code="CD/19/R5", title="MHPSS policy"))
    author = factories.UserFactory()
    statuses = ["completed", "on_track", "at_risk", "off_track"]
    created_areas = []
    for a in range(areas):
        area = factories.AreaFactory(roadmap=roadmap, number=a + 1, title=f"Area title {a + 1}")
        created_areas.append(area)
        for o in range(outputs_per_area):
            output = factories.OutputFactory(area=area, code=f"{a + 1}.{o + 1}")
            factories.ProgressUpdateFactory(
                subject=output,
                author=author,
                date=datetime.date(2024, 5, 1),
                status=statuses[(a + o) % len(statuses)],
                narrative=f"Narrative of output {a + 1}.{o + 1}",
                next_steps=f"Next step of output {a + 1}.{o + 1}",
            )
        indicator = factories.IndicatorFactory(area=area, code=f"IND-{a + 1}")
        factories.IndicatorValueFactory(indicator=indicator, year=2021, value=61 + a)
        factories.IndicatorValueFactory(
            indicator=indicator, year=2023, value=73 + a, source="Endline"
        )
    for _ in range(societies):
        factories.NationalSocietyFactory()
    return roadmap, created_areas

"""Participation is counted from the membership records, as of a date (docs/figures.md)."""

import datetime

import pytest
from django.urls import reverse

from tests import factories
from tests.conftest import client_for
from tests.workinggroups import factories as wf
from workinggroups.figures import PARTICIPATION_CODE, participation

D = datetime.date


@pytest.fixture
def groups(db):
    roadmap = factories.RoadmapFactory(is_current=True)
    area = factories.AreaFactory(roadmap=roadmap, number=2)
    wg3 = wf.WorkingGroupFactory(roadmap=roadmap, number=3)
    wg4 = wf.WorkingGroupFactory(roadmap=roadmap, number=4)
    digital = wf.WorkingGroupFactory(roadmap=roadmap, number=41, parent=wg4, name="Digital")
    senegal = factories.NationalSocietyFactory(name="Senegalese Red Cross", region="africa")
    kenya = factories.NationalSocietyFactory(name="Kenya Red Cross", region="africa")
    lebanon = factories.NationalSocietyFactory(name="Lebanese Red Cross", region="mena")
    ifrc = factories.OrganisationFactory(name="IFRC", kind="ifrc")
    # Senegal in two groups (counted once), Kenya left on 2024-06-30, Lebanon through the
    # digital subgroup (counted for WG4), the IFRC is not a National Society.
    wf.MembershipFactory(working_group=wg3, organisation=senegal, joined_on=D(2021, 3, 1))
    wf.MembershipFactory(working_group=wg4, organisation=senegal, joined_on=D(2023, 1, 1))
    wf.MembershipFactory(
        working_group=wg3, organisation=kenya, joined_on=D(2022, 1, 1), left_on=D(2024, 6, 30)
    )
    wf.MembershipFactory(working_group=digital, organisation=lebanon, joined_on=D(2024, 2, 1))
    wf.MembershipFactory(working_group=wg3, organisation=ifrc, joined_on=D(2021, 1, 1))
    # Another roadmap's group never counts.
    other = wf.WorkingGroupFactory(roadmap=factories.RoadmapFactory(name="Next"), number=9)
    wf.MembershipFactory(working_group=other, organisation=kenya, joined_on=D(2021, 1, 1))
    indicator = factories.IndicatorFactory(area=area, code=PARTICIPATION_CODE, unit="count")
    factories.IndicatorValueFactory(indicator=indicator, year=2021, value=30, source="2021")
    factories.IndicatorValueFactory(indicator=indicator, year=2023, value=47, source="Jan 2023")
    return {"roadmap": roadmap, "wg3": wg3, "wg4": wg4, "indicator": indicator}


@pytest.mark.parametrize(
    "day, total, africa, mena, wg3, wg4",
    [
        (D(2021, 12, 31), 1, 1, 0, 1, 0),
        (D(2024, 3, 1), 3, 2, 1, 2, 2),
        # Kenya's membership ended on 30 June: gone that very day.
        (D(2024, 6, 30), 2, 1, 1, 1, 2),
    ],
)
def test_participation_equals_the_memberships_on_each_date(
    groups, django_assert_max_num_queries, day, total, africa, mena, wg3, wg4
):
    with django_assert_max_num_queries(1):
        counted = participation(groups["roadmap"], day)
    assert counted.total == total
    assert counted.by_region.get("africa", 0) == africa
    assert counted.by_region.get("mena", 0) == mena
    assert counted.by_group.get(groups["wg3"].pk, 0) == wg3
    assert counted.by_group.get(groups["wg4"].pk, 0) == wg4


def test_the_indicator_switches_to_the_records_from_2024(client, admin_user, groups, settings):
    settings.PARTICIPATION_COUNTED_FROM = D(2024, 1, 1)
    client = client_for(client, admin_user)
    page = client.get(reverse("roadmap:area", args=[2]), {"as_of": "2025-01-15"}).content.decode()
    series = page.split('id="indicator-', 1)[1].split("</section>", 1)[0]
    # Published 30 (2021) and 47 (2023) stay; 2024 counted on 31 December (Senegal, Lebanon),
    # 2025 on the as-of date: the same two.
    assert "30" in series and "47" in series
    assert "working-group memberships on 31 December 2024" in series
    assert "working-group memberships on 15 January 2025" in series
    home = client.get(reverse("home"), {"as_of": "2023-12-31"}).content.decode()
    assert "working-group memberships" not in home  # before the switch: the published value
    assert "47" in home


def test_a_new_membership_counts_from_the_day_it_begins(groups):
    brazil = factories.NationalSocietyFactory(name="Brazilian Red Cross", region="americas")
    wf.MembershipFactory(working_group=groups["wg3"], organisation=brazil, joined_on=D(2025, 5, 2))
    assert participation(groups["roadmap"], D(2025, 5, 1)).total == 2
    assert participation(groups["roadmap"], D(2025, 5, 2)).total == 3

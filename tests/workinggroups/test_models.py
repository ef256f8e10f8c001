"""Database rules of working groups, membership look-ups, seed data."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests import factories as f
from tests.workinggroups import factories as wf
from workinggroups import services
from workinggroups.models import Deliverable, Membership, WorkingGroup
from workinggroups.selectors import person_works_on_area


def test_database_refuses_a_third_active_co_lead(world):
    wf.CoLeadFactory(working_group=world.wg1, slot=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        wf.CoLeadFactory(working_group=world.wg1, slot=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        wf.CoLeadFactory(working_group=world.wg1, slot=1)


def test_database_refuses_a_co_lead_without_slot(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        wf.CoLeadFactory(working_group=world.wg1, slot=None)


def test_ended_co_lead_frees_the_slot_and_stays_in_history(world):
    second = services.membership_add(
        group=world.wg1, role="co_lead", person=f.UserFactory(), added_by=world.admin
    )
    assert second.slot == 2
    with pytest.raises(ValidationError):
        services.membership_add(
            group=world.wg1, role="co_lead", person=f.UserFactory(), added_by=world.admin
        )
    services.membership_end(membership=second, ended_by=world.admin)
    third = services.membership_add(
        group=world.wg1, role="co_lead", person=f.UserFactory(), added_by=world.admin
    )
    assert third.slot == 2
    assert Membership.objects.filter(working_group=world.wg1, role="co_lead").count() == 3
    assert Membership.objects.active().co_leads().filter(working_group=world.wg1).count() == 2


def test_co_lead_comes_from_a_movement_component(world):
    partner = f.OrganisationFactory(kind="partner")
    with pytest.raises(ValidationError):
        services.membership_add(
            group=world.wg4,
            role="co_lead",
            person=f.UserFactory(),
            organisation=partner,
            added_by=world.admin,
        )


def test_person_works_on_area(world):
    assert person_works_on_area(world.colead1, world.area1)
    assert person_works_on_area(world.member1, world.area1)
    assert not person_works_on_area(world.member1, world.area4)
    assert not person_works_on_area(world.reader, world.area1)
    world.membership.left_on = datetime.date.today()
    world.membership.save()
    assert not person_works_on_area(world.member1, world.area1)


def test_subgroup_members_work_on_the_parent_area(world):
    sub = wf.WorkingGroupFactory(roadmap=world.roadmap, number=4, parent=world.wg4, name="Digital")
    person = f.UserFactory()
    wf.MembershipFactory(working_group=sub, person=person)
    assert person_works_on_area(person, world.area4)


def test_deliverable_keeps_the_group_of_its_workplan(world):
    deliverable = wf.DeliverableFactory(workplan=world.plan4)
    assert deliverable.working_group == world.wg4


@pytest.fixture
def reference_roadmap(db):
    roadmap = f.RoadmapFactory(is_current=True)
    for number in range(1, 7):
        area = f.AreaFactory(roadmap=roadmap, number=number)
        f.OutputFactory(area=area, code=f"{number}.1")
    return roadmap


def test_seed_creates_groups_and_plans_once_and_keeps_edits(reference_roadmap):
    from workinggroups.seed import load_reference_data

    created = load_reference_data()
    assert created["groups"] == 6
    wg5 = WorkingGroup.objects.get(number=5, parent=None)
    assert sorted(wg5.areas.values_list("number", flat=True)) == [5, 6]
    digital = WorkingGroup.objects.get(parent__number=4)
    assert digital.deliverables.filter(kind="toolkit").exists()
    webinars = Deliverable.objects.get(kind="webinar_series")
    assert webinars.milestones.count() == 4
    from workinggroups.models import CoordinationBody

    body = CoordinationBody.objects.get()
    assert sorted(body.organisations.values_list("kind", flat=True)) == [
        "icrc",
        "ifrc",
        "ps_centre",
    ]

    wg5.name = "Edited by a person"
    wg5.save()
    again = load_reference_data()
    assert again == {"groups": 0, "workplans": 0, "deliverables": 0, "milestones": 0}
    wg5.refresh_from_db()
    assert wg5.name == "Edited by a person"


def test_demo_data_is_idempotent(reference_roadmap):
    from workinggroups import demo

    colead = f.UserFactory(email="colead-wg1@example.org")
    f.NationalSocietyFactory(country="KE")
    demo.load()
    demo.load()
    assert Membership.objects.active().co_leads().filter(person=colead).count() == 1
    for group in WorkingGroup.objects.top_level():
        assert group.memberships.active().co_leads().count() <= 2

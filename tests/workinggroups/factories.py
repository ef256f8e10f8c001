"""factory_boy factories for working groups."""

import datetime

import factory
from factory.django import DjangoModelFactory

from tests.factories import NationalSocietyFactory, RoadmapFactory, UserFactory
from workinggroups.models import (
    ActionItem,
    Deliverable,
    Meeting,
    Membership,
    Milestone,
    Resource,
    WorkingGroup,
    Workplan,
)


class WorkingGroupFactory(DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    roadmap = factory.SubFactory(RoadmapFactory, is_current=True)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Working group {n + 1}")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    working_group = factory.SubFactory(WorkingGroupFactory)
    organisation = factory.SubFactory(NationalSocietyFactory)
    person = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER
    joined_on = datetime.date(2021, 3, 1)


class CoLeadFactory(MembershipFactory):
    role = Membership.Role.CO_LEAD
    slot = 1


class WorkplanFactory(DjangoModelFactory):
    class Meta:
        model = Workplan

    working_group = factory.SubFactory(WorkingGroupFactory)
    year = 2023


class DeliverableFactory(DjangoModelFactory):
    class Meta:
        model = Deliverable

    workplan = factory.SubFactory(WorkplanFactory)
    title = factory.Sequence(lambda n: f"Deliverable {n}")
    kind = Deliverable.Kind.MAPPING
    due_date = datetime.date(2023, 12, 31)


class MilestoneFactory(DjangoModelFactory):
    class Meta:
        model = Milestone

    deliverable = factory.SubFactory(DeliverableFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    date = datetime.date(2023, 3, 31)


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    working_group = factory.SubFactory(WorkingGroupFactory)
    date = datetime.date(2023, 2, 1)
    title = factory.Sequence(lambda n: f"Meeting {n}")


class ActionItemFactory(DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory)
    description = factory.Sequence(lambda n: f"Action {n}")
    due_date = datetime.date(2023, 3, 1)


class ResourceFactory(DjangoModelFactory):
    class Meta:
        model = Resource

    title = factory.Sequence(lambda n: f"Resource {n}")
    kind = Resource.Kind.PSS_COURSE
    working_group = factory.SubFactory(WorkingGroupFactory)

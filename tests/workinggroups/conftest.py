"""A small world: WG1 and WG4 with co-leads, a member, and one of everything in WG1."""

from types import SimpleNamespace

import pytest

from tests import factories as f
from tests.workinggroups import factories as wf
from workinggroups.models import Membership


@pytest.fixture
def world(db, admin_user, reader, focal_kenya):
    roadmap = f.RoadmapFactory(is_current=True)
    area1 = f.AreaFactory(roadmap=roadmap, number=1)
    area4 = f.AreaFactory(roadmap=roadmap, number=4)
    result1 = f.OutputFactory(area=area1, code="1.1")
    result4 = f.OutputFactory(area=area4, code="4.1")
    wg1 = wf.WorkingGroupFactory(roadmap=roadmap, number=1, name="Basic PSS")
    wg1.areas.set([area1])
    wg4 = wf.WorkingGroupFactory(roadmap=roadmap, number=4, name="Research")
    wg4.areas.set([area4])
    ifrc = f.OrganisationFactory(name="IFRC", kind="ifrc")
    colead1 = f.UserFactory(email="colead-wg1@example.org", organisation=ifrc)
    colead4 = f.UserFactory(email="colead-wg4@example.org", organisation=ifrc)
    member1 = f.UserFactory(email="member-wg1@example.org")
    wf.CoLeadFactory(working_group=wg1, person=colead1, organisation=ifrc, slot=1)
    wf.CoLeadFactory(working_group=wg4, person=colead4, organisation=ifrc, slot=1)
    membership = wf.MembershipFactory(working_group=wg1, person=member1)
    plan1 = wf.WorkplanFactory(working_group=wg1, year=2023)
    plan4 = wf.WorkplanFactory(working_group=wg4, year=2023)
    deliverable = wf.DeliverableFactory(workplan=plan1, expected_result=result1)
    deliverable4 = wf.DeliverableFactory(workplan=plan4, expected_result=result4)
    milestone = wf.MilestoneFactory(deliverable=deliverable)
    meeting = wf.MeetingFactory(working_group=wg1)
    item = wf.ActionItemFactory(meeting=meeting, owner=colead1)
    resource = wf.ResourceFactory(working_group=wg1)
    return SimpleNamespace(
        roadmap=roadmap,
        area1=area1,
        area4=area4,
        result1=result1,
        result4=result4,
        wg1=wg1,
        wg4=wg4,
        ifrc=ifrc,
        admin=admin_user,
        colead1=colead1,
        colead4=colead4,
        member1=member1,
        reader=reader,
        focal=focal_kenya,
        membership=membership,
        plan1=plan1,
        plan4=plan4,
        deliverable=deliverable,
        deliverable4=deliverable4,
        milestone=milestone,
        meeting=meeting,
        item=item,
        resource=resource,
        Membership=Membership,
    )

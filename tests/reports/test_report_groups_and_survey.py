"""Working groups, deliverables, milestones and survey response rates in the report."""

from reports.rendering import report_html
from tests.reports.factories import EditionFactory, build_roadmap
from tests.surveys.factories import ResponseFactory, RoundFactory
from tests.workinggroups.factories import (
    CoLeadFactory,
    DeliverableFactory,
    MembershipFactory,
    MilestoneFactory,
    WorkingGroupFactory,
    WorkplanFactory,
)


def test_groups_deliverables_and_response_rate(admin_user, kenya, lebanon):
    roadmap, areas = build_roadmap(areas=2)
    group = WorkingGroupFactory(roadmap=roadmap, name="Basic psychosocial support group")
    group.areas.add(areas[0])
    CoLeadFactory(working_group=group, organisation=kenya)
    MembershipFactory(working_group=group, organisation=lebanon)
    deliverable = DeliverableFactory(
        workplan=WorkplanFactory(working_group=group), title="Map of PSS courses"
    )
    MilestoneFactory(deliverable=deliverable, title="First draft shared")
    survey_round = RoundFactory(roadmap=roadmap, name="Endline 2023")
    ResponseFactory(round=survey_round, society=kenya, state="submitted")
    edition = EditionFactory(created_by=admin_user, survey_round=survey_round)

    html = report_html(edition, "en", for_pdf=True)

    assert "Basic psychosocial support group" in html
    assert "Kenya Red Cross Society" in html  # co-lead organisation
    assert "Lebanese Red Cross" in html  # member society (annex)
    assert "Map of PSS courses" in html and "First draft shared" in html
    societies = 2 + 2  # the two fixtures and the two of build_roadmap
    assert f"1 of {societies} National Societies answered Endline 2023" in html

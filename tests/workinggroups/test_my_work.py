""" "My work": per role what shows and what does not, the landing after sign-in, query count."""

import datetime

import pytest
from django.urls import reverse

from tests import factories as f
from tests.helpers import TODAY
from tests.workinggroups import factories as wf

pytestmark = pytest.mark.usefixtures("frozen_today")

URL = reverse("workinggroups:my-work")


def _page(client, user) -> str:
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def _section(html: str, heading_id: str) -> str:
    """The HTML of one section of the page, from its heading to the end of the section."""
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def _due_things(world):
    """WG1: one deliverable due in 10 days, one in 60 days, one completed and overdue, and a
    milestone due in 5 days; WG4: one due in 10 days."""
    soon = wf.DeliverableFactory(
        workplan=world.plan1, title="Webinar series", due_date=TODAY + datetime.timedelta(10)
    )
    later = wf.DeliverableFactory(
        workplan=world.plan1, title="Far away", due_date=TODAY + datetime.timedelta(60)
    )
    done = wf.DeliverableFactory(
        workplan=world.plan1, title="Already done", due_date=TODAY - datetime.timedelta(5)
    )
    f.ProgressUpdateFactory(
        subject=done, date=TODAY - datetime.timedelta(6), status="completed", percent_complete=100
    )
    wf.MilestoneFactory(deliverable=soon, title="First session", date=TODAY + datetime.timedelta(5))
    wf.MilestoneFactory(
        deliverable=soon, title="Much later session", date=TODAY + datetime.timedelta(90)
    )
    other = wf.DeliverableFactory(
        workplan=world.plan4, title="Research brief", due_date=TODAY + datetime.timedelta(10)
    )
    return soon, later, done, other


def test_co_lead_sees_own_items_and_own_groups_due_and_overdue(client, world):
    soon, later, done, other = _due_things(world)
    html = _page(client, world.colead1)
    actions = _section(html, "my-actions")
    assert world.item.description in actions
    assert "Overdue" in actions
    assert world.meeting.get_absolute_url() in actions
    deliverables = _section(html, "my-deliverables")
    assert "Webinar series" in deliverables  # due within 30 days
    assert soon.get_absolute_url() in deliverables
    assert world.deliverable.title in deliverables  # overdue (the factory's 2023 due date)
    assert "Far away" not in deliverables
    assert "Already done" not in deliverables  # completed: not overdue, by the one rule
    assert "Research brief" not in html  # WG4 is not the co-lead's group
    assert world.deliverable4.title not in html
    milestones = _section(html, "my-milestones")
    assert "First session" in milestones and "is due" in milestones
    assert world.milestone.title in milestones and "was due" in milestones
    assert "Much later session" not in milestones


def test_member_sees_groups_work_but_only_own_action_items(client, world):
    mine = wf.ActionItemFactory(meeting=world.meeting, owner=world.member1, description="Draft it")
    done = wf.ActionItemFactory(
        meeting=world.meeting, owner=world.member1, description="Finished", is_done=True
    )
    html = _page(client, world.member1)
    actions = _section(html, "my-actions")
    assert mine.description in actions
    assert done.description not in actions
    assert world.item.description not in actions  # the co-lead's item
    assert world.deliverable.title in _section(html, "my-deliverables")
    assert world.deliverable4.title not in html


def test_other_co_lead_does_not_see_another_groups_work_or_changes(client, world):
    world.deliverable.title = "Renamed in WG1"
    world.deliverable._history_user = world.colead1
    world.deliverable.save()
    html = _page(client, world.colead4)
    assert "Renamed in WG1" not in html
    assert world.deliverable4.title in _section(html, "my-deliverables")
    assert world.item.description not in html


def test_admin_sees_every_group(client, world):
    _due_things(world)
    html = _page(client, world.admin)
    assert "Across every working group" in html
    deliverables = _section(html, "my-deliverables")
    for title in ("Webinar series", "Research brief", world.deliverable.title):
        assert title in deliverables
    assert world.deliverable4.title in deliverables


def test_focal_point_and_reader_see_no_group_work(client, world):
    wf.ActionItemFactory(meeting=world.meeting, owner=world.focal, description="Send the list")
    html = _page(client, world.focal)
    assert "not a co-lead or member" in html
    assert "Send the list" in _section(html, "my-actions")
    assert world.deliverable.title not in html
    assert world.milestone.title not in html
    html = _page(client, world.reader)
    assert "not a co-lead or member" in html
    assert world.deliverable.title not in html


def test_recent_changes_say_who_changed_what_with_a_link(client, world):
    world.deliverable.title = "Training of trainers"
    world.deliverable._history_user = world.member1
    world.deliverable.save()
    world.item.description = "Book the venue"
    world.item._history_user = world.colead1
    world.item.save()
    changes = _section(_page(client, world.colead1), "my-changes")
    assert "Training of trainers" in changes
    assert world.member1.get_full_name() in changes
    assert world.deliverable.get_absolute_url() in changes
    assert "changed" in changes
    assert "Book the venue" in changes
    assert world.meeting.get_absolute_url() in changes
    # Newest first: the action item was changed after the deliverable.
    assert changes.index("Book the venue") < changes.index("Training of trainers")


def test_archived_deliverable_does_not_show(client, world):
    world.deliverable.is_archived = True
    world.deliverable.save()
    assert world.deliverable.title not in _section(_page(client, world.colead1), "my-deliverables")


def test_co_lead_and_member_land_on_my_work_after_sign_in(client, world):
    for user in (world.colead1, world.member1):
        response = client.post(
            reverse("accounts:login"), {"username": user.email, "password": f.PASSWORD}
        )
        assert response.status_code == 302
        assert response.url == reverse("workinggroups:landing")
        assert client.get(response.url).url == URL
        client.logout()


def test_others_land_on_the_home_page(client, world):
    for user in (world.admin, world.reader, world.focal):
        client.force_login(user)
        response = client.get(reverse("workinggroups:landing"))
        assert response.status_code == 302
        assert response.url == reverse("home")


def test_an_explicit_next_page_wins_over_the_landing(client, world):
    next_url = world.deliverable.get_absolute_url()
    response = client.post(
        f"{reverse('accounts:login')}?next={next_url}",
        {"username": world.colead1.email, "password": f.PASSWORD},
    )
    assert response.url == next_url


def _grow(world, n: int) -> None:
    for i in range(n):
        d = wf.DeliverableFactory(workplan=world.plan1, due_date=TODAY + datetime.timedelta(i))
        f.ProgressUpdateFactory(subject=d, status="at_risk", percent_complete=50)
        wf.MilestoneFactory(deliverable=d, date=TODAY - datetime.timedelta(days=2))
        m = wf.MeetingFactory(working_group=world.wg1)
        wf.ActionItemFactory(meeting=m, owner=world.colead1)
        group = wf.WorkingGroupFactory(roadmap=world.roadmap, number=20 + i)
        wf.MembershipFactory(working_group=group, person=world.colead1)
        sub = wf.WorkingGroupFactory(roadmap=world.roadmap, number=40 + i, parent=world.wg1)
        wf.DeliverableFactory(workplan=wf.WorkplanFactory(working_group=sub))


def test_query_count_is_pinned_and_flat(client, world, django_assert_max_num_queries):
    # Session, user, two permission reads (the admin check), roadmap, groups, three capped
    # lists and their counts (only once a list is full), four history reads: 16 at most.
    small = {}
    for user in (world.colead1, world.admin):
        client.force_login(user)
        client.get(URL)  # warm caches
        with django_assert_max_num_queries(16) as captured:
            assert client.get(URL).status_code == 200
        small[user.pk] = len(captured.captured_queries)
    _grow(world, 30)
    for user in (world.colead1, world.admin):
        client.force_login(user)
        client.get(URL)
        with django_assert_max_num_queries(16) as captured:
            response = client.get(URL)
        assert response.status_code == 200
        # Only the counts of the lists that are now full are added.
        assert len(captured.captured_queries) <= small[user.pk] + 3
        html = response.content.decode()
        assert "more deliverables" in html
        assert ("more open action item" in html) == (user == world.colead1)


def test_a_co_lead_in_two_roadmaps_reads_each_group_with_its_roadmap(client, world):
    """A group carried over stays open in the roadmap before: both WG1s show, each named."""
    successor = f.RoadmapFactory(name="Roadmap 2024–2027", start_year=2024, end_year=2027)
    wg1_next = wf.WorkingGroupFactory(roadmap=successor, number=1, name="Basic PSS")
    ifrc = world.colead1.organisation
    wf.CoLeadFactory(working_group=wg1_next, person=world.colead1, organisation=ifrc, slot=1)
    plan = wf.WorkplanFactory(working_group=wg1_next, year=2025)
    wf.DeliverableFactory(
        workplan=plan, title="Next-roadmap webinar", due_date=TODAY + datetime.timedelta(7)
    )
    html = _page(client, world.colead1)
    first = world.wg1.roadmap.name
    assert f"WG1 · {first}" in html and "WG1 · Roadmap 2024–2027" in html
    assert f"?roadmap={successor.pk}" in html  # each group's link opens it in its roadmap
    deliverables = _section(html, "my-deliverables")
    assert "Next-roadmap webinar" in deliverables
    assert "WG1 · Roadmap 2024–2027" in deliverables


def test_one_roadmap_keeps_the_short_label(client, world):
    html = _page(client, world.colead1)
    assert "WG1 ·" not in html

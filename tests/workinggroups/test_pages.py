"""Group pages: content, htmx partials, history, the co-lead's journey, pinned query counts."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from roadmap.models import Evidence, ProgressUpdate
from tests import factories as f
from tests.helpers import TODAY, with_version
from tests.workinggroups import factories as wf
from workinggroups.models import ActionItem, Deliverable, Meeting

pytestmark = pytest.mark.usefixtures("frozen_today")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _grow(world, n: int) -> None:
    """More groups, members, deliverables with updates, meetings and overdue items."""
    for i in range(n):
        group = wf.WorkingGroupFactory(roadmap=world.roadmap, number=10 + i)
        wf.CoLeadFactory(working_group=group)
        wf.MembershipFactory(working_group=world.wg1)
        plan = wf.WorkplanFactory(working_group=group)
        wf.DeliverableFactory(workplan=plan)
        d = wf.DeliverableFactory(workplan=world.plan1)
        f.ProgressUpdateFactory(subject=d, date=TODAY - datetime.timedelta(days=3))
        f.ProgressUpdateFactory(subject=d, status="at_risk", percent_complete=50)
        wf.MilestoneFactory(deliverable=d, date=TODAY - datetime.timedelta(days=2))
        m = wf.MeetingFactory(working_group=world.wg1)
        wf.ActionItemFactory(meeting=m, due_date=TODAY - datetime.timedelta(days=1))


def _queries(client, url, django_assert_max_num_queries, limit):
    client.get(url)  # warm caches (content types, the session's first save)
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response


def test_list_query_count_is_pinned_and_flat(client, world, django_assert_max_num_queries):
    client.force_login(world.member1)
    url = reverse("workinggroups:list")
    # Session, user, roadmap, groups with counts, areas, subgroups, active memberships,
    # the deliverables' statuses (roadmap.figures), my groups, session save (3).
    small, _ = _queries(client, url, django_assert_max_num_queries, 12)
    _grow(world, 6)
    large, response = _queries(client, url, django_assert_max_num_queries, 12)
    assert large == small
    assert len(response.context["groups"]) == 8


def test_group_page_query_count_is_pinned_and_flat(client, world, django_assert_max_num_queries):
    client.force_login(world.colead1)
    url = reverse("workinggroups:detail", args=[1])
    small, _ = _queries(client, url, django_assert_max_num_queries, 24)
    _grow(world, 6)
    large, response = _queries(client, url, django_assert_max_num_queries, 24)
    assert large == small
    body = response.content.decode()
    assert "50%" in body and "status-at_risk" in body
    assert len(response.context["overdue_milestones"]) == 7  # with the world's own
    assert len(response.context["overdue_actions"]) == 7


def test_group_page_shows_what_changed_since_the_last_update(client, world):
    f.ProgressUpdateFactory(
        subject=world.deliverable, percent_complete=20, date=TODAY.replace(day=1)
    )
    f.ProgressUpdateFactory(subject=world.deliverable, status="at_risk", percent_complete=35)
    client.force_login(world.reader)
    response = client.get(reverse("workinggroups:detail", args=[1]))
    row = next(d for d in response.context["deliverables"] if d.pk == world.deliverable.pk)
    assert (row.previous_status, row.latest_status) == ("on_track", "at_risk")
    assert "20% → 35%" in response.content.decode()


def test_milestone_toggle_with_htmx_returns_the_row(client, world):
    client.force_login(world.colead1)
    response = client.post(
        reverse("workinggroups:milestone-toggle", args=[world.milestone.pk]), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.strip().startswith("<li") and f"milestone-{world.milestone.pk}" in body
    assert "<html" not in body
    world.milestone.refresh_from_db()
    assert world.milestone.is_done


def test_membership_add_with_htmx_returns_the_members_section(client, world):
    client.force_login(world.colead1)
    person = f.UserFactory(full_name="Nadia Newcomer")
    response = client.post(
        reverse("workinggroups:membership-add", args=[world.wg1.pk]),
        {"role": "observer", "person": person.pk},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert 'id="members"' in body and "Nadia Newcomer" in body and "<html" not in body


def test_third_co_lead_is_refused_with_a_message(client, world):
    wf.CoLeadFactory(working_group=world.wg1, slot=2)
    client.force_login(world.admin)
    response = client.post(
        reverse("workinggroups:membership-add", args=[world.wg1.pk]),
        {"role": "co_lead", "person": f.UserFactory().pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "two co-leads" in response.content.decode()


def test_co_lead_journey_and_history(client, world):
    """Add a deliverable, post an update with a file and a link, record a meeting with an
    action item, see it all in the history; the WG4 co-lead sees it but cannot change it."""
    client.force_login(world.colead1)
    response = client.post(
        reverse("workinggroups:deliverable-add", args=[world.wg1.pk]),
        {
            "workplan": world.plan1.pk,
            "title": "Stigma resources",
            "kind": "mapping",
            "expected_result": world.result1.pk,
            "owner_organisation": world.ifrc.pk,
            "due_date": "2023-12-31",
        },
    )
    deliverable = Deliverable.objects.get(title="Stigma resources")
    assert response["Location"] == deliverable.get_absolute_url()

    response = client.post(
        reverse("workinggroups:progress-add", args=[deliverable.pk]),
        {
            "date": TODAY.isoformat(),
            "status": "on_track",
            "percent_complete": 25,
            "narrative": "Twelve resources collected.",
            "evidence_file": SimpleUploadedFile("list.pdf", PDF, content_type="application/pdf"),
            "evidence_file_title": "List of resources",
            "evidence_url": "https://example.org/stigma",
            "evidence_url_title": "Shared folder",
        },
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.for_object(deliverable).get()
    assert Evidence.objects.filter(update=update).count() == 2

    response = client.post(
        reverse("workinggroups:deliverable-edit", args=[deliverable.pk]),
        with_version(
            deliverable,
            {
                "workplan": world.plan1.pk,
                "title": "Stigma resources 2023",
                "kind": "mapping",
                "reason": "Named after the year",
            },
        ),
    )
    assert response.status_code == 302

    client.post(
        reverse("workinggroups:meeting-add", args=[world.wg1.pk]),
        {
            "date": "2023-05-02",
            "kind": "monthly",
            "title": "May meeting",
            "attendees": [world.member1.pk],
        },
    )
    meeting = Meeting.objects.get(title="May meeting")
    client.post(
        reverse("workinggroups:action-add", args=[meeting.pk]),
        {"description": "Share the list", "owner": world.member1.pk, "due_date": "2023-05-20"},
    )
    assert ActionItem.objects.filter(meeting=meeting, owner=world.member1).exists()

    response = client.get(deliverable.get_absolute_url())
    body = response.content.decode()
    assert "Named after the year" in body
    assert "Stigma resources 2023" in body and "diff-old" in body
    assert "List of resources" in body and "https://example.org/stigma" in body
    diffs = response.context["diffs"]
    assert any(entry.reason == "Named after the year" for entry in diffs)

    client.force_login(world.colead4)
    assert client.get(deliverable.get_absolute_url()).status_code == 200
    assert "Shared folder" in client.get(deliverable.get_absolute_url()).content.decode()
    assert client.get(meeting.get_absolute_url()).status_code == 200
    assert (
        client.post(
            reverse("workinggroups:deliverable-edit", args=[deliverable.pk]),
            {"workplan": world.plan1.pk, "title": "Hijacked", "kind": "other", "reason": "x"},
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("workinggroups:action-add", args=[meeting.pk]), {"description": "x"}
        ).status_code
        == 403
    )
    deliverable.refresh_from_db()
    assert deliverable.title == "Stigma resources 2023"


def test_edit_without_reason_is_refused(client, world):
    client.force_login(world.colead1)
    response = client.post(
        reverse("workinggroups:deliverable-edit", args=[world.deliverable.pk]),
        {"workplan": world.plan1.pk, "title": "No reason", "kind": "other"},
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    world.deliverable.refresh_from_db()
    assert world.deliverable.title != "No reason"


def test_member_writes_minutes_but_not_the_meeting_date(client, world):
    client.force_login(world.member1)
    client.post(
        reverse("workinggroups:meeting-edit", args=[world.meeting.pk]),
        with_version(
            world.meeting, {"date": "2030-01-01", "minutes": "Notes by a member", "decisions": ""}
        ),
    )
    world.meeting.refresh_from_db()
    assert world.meeting.minutes == "Notes by a member"
    assert world.meeting.date == datetime.date(2023, 2, 1)


def test_correcting_an_update_needs_a_reason_and_the_right_person(client, world):
    update = f.ProgressUpdateFactory(subject=world.deliverable, author=world.member1)
    other = f.ProgressUpdateFactory(subject=world.deliverable, author=world.colead1)
    url = reverse("workinggroups:progress-edit", args=[update.pk])
    data = with_version(
        update,
        {
            "date": update.date.isoformat(),
            "status": "at_risk",
            "percent_complete": 40,
            "narrative": "Corrected",
            "reason": "Wrong status",
        },
    )
    for person in (world.colead4, world.reader, world.focal):
        client.force_login(person)
        assert client.post(url, data).status_code == 403
    client.force_login(world.member1)
    assert (
        client.post(reverse("workinggroups:progress-edit", args=[other.pk]), data).status_code
        == 403
    )
    response = client.post(url, {**data, "reason": ""})
    assert "reason" in response.context["form"].errors
    assert client.post(url, data).status_code == 302
    update.refresh_from_db()
    assert update.status == "at_risk"
    assert update.history.first().history_change_reason == "Wrong status"
    # An update on an expected result is not reachable here.
    result_update = f.ProgressUpdateFactory(subject=world.result1)
    client.force_login(world.admin)
    assert (
        client.get(reverse("workinggroups:progress-edit", args=[result_update.pk])).status_code
        == 404
    )


def test_subgroup_page_and_parent_co_lead_rights(client, world):
    sub = wf.WorkingGroupFactory(
        roadmap=world.roadmap, number=4, parent=world.wg4, name="Digital MHPSS subgroup"
    )
    plan = wf.WorkplanFactory(working_group=sub)
    toolkit = wf.DeliverableFactory(workplan=plan, title="Digital toolkit", kind="toolkit")
    client.force_login(world.reader)
    response = client.get(sub.get_absolute_url())
    assert response.status_code == 200 and "Digital toolkit" in response.content.decode()
    assert "Digital MHPSS subgroup" in client.get(world.wg4.get_absolute_url()).content.decode()
    client.force_login(world.colead4)
    edit = reverse("workinggroups:deliverable-edit", args=[toolkit.pk])
    assert client.get(edit).status_code == 200
    client.force_login(world.colead1)
    assert client.get(edit).status_code == 403


def test_co_lead_adds_resources_only_to_own_group(client, world):
    client.force_login(world.colead4)
    url = reverse("workinggroups:resource-add")
    response = client.post(url, {"title": "App", "kind": "digital", "working_group": world.wg1.pk})
    assert "working_group" in response.context["form"].errors
    response = client.post(
        url,
        {
            "title": "App",
            "kind": "digital",
            "working_group": world.wg4.pk,
            "countries": ["NO", "DK"],
            "regions": ["europe_central_asia"],
        },
    )
    assert response.status_code == 302
    resource = world.wg4.resources.get(title="App")
    assert resource.regions == "europe_central_asia"
    assert sorted(c.code for c in resource.countries) == ["DK", "NO"]

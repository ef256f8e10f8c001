"""A working group's spreadsheets (workinggroups.exports), read back as people open them.

Meetings come with their action items (a sheet each); every kind is a real table: sheets named
in the reader's language, dates that are dates, numbers that are numbers, choices and yes/no in
words, references by title. Everyone who reads the group may download its files; unknown groups
and kinds are 404; the query count does not grow with the rows.
"""

import csv
import datetime
import io
import itertools

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from roadmap.models import Evidence, ProgressUpdate
from tests import factories
from tests.workinggroups import factories as wg
from workinggroups.models import Meeting


def _url(group, kind, fmt="xlsx"):
    return reverse("workinggroups:group-export", args=[group.pk, kind, fmt])


def _book(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def _rows(sheet):
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture
def group(db):
    return wg.WorkingGroupFactory(number=1, name="Basic psychosocial support")


@pytest.fixture
def meeting(group):
    owner = factories.UserFactory(full_name="Dana Colead")
    meeting = wg.MeetingFactory(
        working_group=group,
        date=datetime.date(2026, 3, 4),
        kind=Meeting.Kind.WEBINAR,
        title="Webinar on referral pathways",
        decisions="=Prioritise three networks",
    )
    meeting.attending_organisations.add(factories.NationalSocietyFactory(name="Kenya Red Cross"))
    wg.ActionItemFactory(
        meeting=meeting,
        description="Draft the outreach e-mail",
        owner=owner,
        due_date=datetime.date(2020, 1, 15),
    )
    wg.ActionItemFactory(meeting=meeting, description="Share the slides", is_done=True)
    return meeting


def test_meetings_workbook_has_meetings_and_their_action_items(client, staff, meeting, group):
    other = wg.MeetingFactory(  # another group's: left out
        working_group=wg.WorkingGroupFactory(roadmap=group.roadmap, number=2),
        title="Another group's meeting",
    )
    wg.ActionItemFactory(meeting=other, description="Not ours")
    client.force_login(staff)
    book = _book(client.get(_url(group, "meetings")))
    assert book.sheetnames == ["Meetings", "Action items"]
    (row,) = _rows(book["Meetings"])
    assert row["title"] == "Webinar on referral pathways"
    assert row["kind"] == "Webinar"  # the word, not "webinar"
    assert row["date"] == datetime.datetime(2026, 3, 4)  # a real date
    date_cell = book["Meetings"]["C2"]
    assert date_cell.is_date and date_cell.number_format == "yyyy-mm-dd"
    assert row["decisions"] == "'=Prioritise three networks"  # never a live formula
    assert row["attending organisations"] == "Kenya Red Cross"
    assert (row["action items"], row["open action items"]) == (2, 1)  # numbers
    assert row["working group"] == "WG1: Basic psychosocial support"
    items = _rows(book["Action items"])
    assert {i["action"] for i in items} == {"Draft the outreach e-mail", "Share the slides"}
    draft = next(i for i in items if i["action"] == "Draft the outreach e-mail")
    assert draft["meeting"] == "Webinar on referral pathways"  # the meeting by its title
    assert draft["date of the meeting"] == datetime.datetime(2026, 3, 4)
    assert draft["owner"] == "Dana Colead"
    assert draft["due date"] == datetime.datetime(2020, 1, 15)
    assert (draft["done"], draft["overdue"]) == ("No", "Yes")


def test_meetings_in_french_for_a_french_reader(client, staff, meeting, group):
    client.force_login(staff)
    client.cookies["django_language"] = "fr"
    book = _book(client.get(_url(group, "meetings")))
    assert book.sheetnames == ["Réunions", "Actions de suivi"]
    (row,) = _rows(book["Réunions"])
    assert row["type"] == "Webinaire"
    items = _rows(book["Actions de suivi"])
    assert {i["fait"] for i in items} == {"Oui", "Non"}


def test_csv_has_the_kind_own_table_with_iso_dates(client, staff, meeting, group):
    client.force_login(staff)
    response = client.get(_url(group, "action-items", "csv"))
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    draft = next(r for r in rows if r["action"] == "Draft the outreach e-mail")
    assert draft["due date"] == "2020-01-15"
    assert draft["date of the meeting"] == "2026-03-04"
    assert draft["meeting"] == "Webinar on referral pathways"
    assert 'filename="wg1-action-items-' in response["Content-Disposition"]


def test_deliverables_and_milestones_numbers_and_statuses(client, staff, group):
    deliverable = wg.DeliverableFactory(
        workplan=wg.WorkplanFactory(working_group=group), title="Course mapping"
    )
    factories.ProgressUpdateFactory(
        subject=deliverable, status="on_track", percent_complete=40, date=datetime.date(2023, 5, 1)
    )
    wg.MilestoneFactory(deliverable=deliverable, title="Webinar 1", attendance=57, is_done=True)
    client.force_login(staff)
    client.cookies["django_language"] = "fr"
    (row,) = _rows(_book(client.get(_url(group, "deliverables"))).active)
    assert row["titre"] == "Course mapping"
    # Past its due date (2023-12-31) and not completed: overdue, as on the pages.
    assert row["statut"] == "Échéance dépassée"
    assert row["pourcentage d'achèvement"] == 40  # a number
    assert row["date d'échéance"] == datetime.datetime(2023, 12, 31)
    book = _book(client.get(_url(group, "milestones")))
    assert book.sheetnames == ["Jalons"]
    (milestone,) = _rows(book.active)
    assert milestone["livrable"] == "Course mapping"
    assert milestone["présence"] == 57
    assert milestone["fait"] == "Oui"


def test_evidence_names_the_deliverable_and_links_the_file(client, staff, group, settings):
    deliverable = wg.DeliverableFactory(
        workplan=wg.WorkplanFactory(working_group=group), title="Course mapping"
    )
    update = factories.ProgressUpdateFactory(subject=deliverable, date=datetime.date(2023, 5, 1))
    Evidence.objects.create(
        update=update, title="Attendance list", url="https://example.org/list", added_by=staff
    )
    elsewhere = factories.ProgressUpdateFactory()  # a result's update: not the group's
    Evidence.objects.create(
        update=elsewhere, title="Not ours", url="https://example.org/x", added_by=staff
    )
    client.force_login(staff)
    book = _book(client.get(_url(group, "evidence")))
    assert book.sheetnames == ["Evidence"]
    (row,) = _rows(book.active)
    assert row["title"] == "Attendance list"
    assert row["subject type"] == "deliverable"
    assert row["subject"] == "Course mapping"  # the title, never deliverable/4
    assert row["date of the update"] == datetime.datetime(2023, 5, 1)
    assert row["link"] == "https://example.org/list"
    assert isinstance(row["created"], datetime.datetime)


@pytest.mark.parametrize(
    "kind", ["meetings", "action-items", "deliverables", "milestones", "evidence"]
)
def test_query_count_does_not_grow_with_rows(
    client, staff, group, kind, django_assert_max_num_queries
):
    years = itertools.count(2000)

    def grow(n):
        for i in range(n):
            meeting = wg.MeetingFactory(working_group=group)
            meeting.attending_organisations.add(factories.NationalSocietyFactory())
            meeting.attendees.add(staff)
            wg.ActionItemFactory(meeting=meeting, owner=staff)
            deliverable = wg.DeliverableFactory(
                workplan=wg.WorkplanFactory(working_group=group, year=next(years))
            )
            wg.MilestoneFactory(deliverable=deliverable)
            update = factories.ProgressUpdateFactory(subject=deliverable)
            Evidence.objects.create(
                update=update, title=f"E{i}", url="https://example.org", added_by=staff
            )

    client.force_login(staff)
    grow(2)
    with django_assert_max_num_queries(12) as few:
        assert client.get(_url(group, kind)).status_code == 200
    grow(25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(_url(group, kind)).status_code == 200
    assert ProgressUpdate.objects.count() == 27


def test_who_may_download(client, group, meeting, reader, staff):
    url = _url(group, "meetings")
    assert client.get(url).status_code == 302  # sign in first
    for person in (reader, staff):  # everyone who reads the group's page
        client.force_login(person)
        assert client.get(url).status_code == 200
    # A member of another group reads this one too.
    other = wg.MembershipFactory(
        working_group=wg.WorkingGroupFactory(roadmap=group.roadmap, number=2)
    ).person
    client.force_login(other)
    assert client.get(url).status_code == 200
    assert (
        client.get(
            reverse("workinggroups:group-export", args=[99999, "meetings", "xlsx"])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("workinggroups:group-export", args=[group.pk, "memberships", "xlsx"])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("workinggroups:group-export", args=[group.pk, "meetings", "pdf"])
        ).status_code
        == 404
    )
    assert client.post(url).status_code == 405


def test_the_group_page_links_its_spreadsheets(client, staff, group):
    client.force_login(staff)
    html = client.get(group.get_absolute_url()).content.decode()
    for kind in ("meetings", "action-items", "deliverables", "milestones", "evidence"):
        for fmt in ("xlsx", "csv"):
            assert _url(group, kind, fmt) in html

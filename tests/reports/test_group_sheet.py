"""The one-page status sheet of a working group: who may read it, what it shows, its cost."""

import datetime
import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from tests import factories
from tests.conftest import client_for
from tests.workinggroups.factories import (
    ActionItemFactory,
    CoLeadFactory,
    DeliverableFactory,
    MeetingFactory,
    MembershipFactory,
    MilestoneFactory,
    WorkingGroupFactory,
    WorkplanFactory,
)

pytestmark = pytest.mark.django_db


def build_group(deliverables: int = 1):
    group = WorkingGroupFactory(number=3, name="Community-based MHPSS")
    group.areas.add(factories.AreaFactory(roadmap=group.roadmap, number=2))
    CoLeadFactory(working_group=group, person__full_name="Amina Diallo")
    MembershipFactory(working_group=group)
    MembershipFactory(working_group=group)
    workplan = WorkplanFactory(working_group=group)
    for n in range(deliverables):
        deliverable = DeliverableFactory(workplan=workplan, title=f"Mapping of services {n}")
        factories.ProgressUpdateFactory(
            subject=deliverable, status="at_risk", percent_complete=30 + n
        )
        MilestoneFactory(deliverable=deliverable, date=datetime.date(2023, 3, 1))
    ActionItemFactory(meeting=MeetingFactory(working_group=group), description="Share the map")
    return group


def url(number: int) -> str:
    return reverse("reports:group-sheet", kwargs={"number": number})


def sheet_pdf(client, capture) -> bytes:
    """The page offers the sheet; its button starts a job (run at once in tests); download it."""
    page = client.get(url(3)).content.decode()
    assert 'name="kind" value="reports.group_sheet"' in page
    with capture(execute=True):
        # The immediate task backend runs the job when the request's transaction commits.
        started = client.post(reverse("jobs:start"), {"kind": "reports.group_sheet", "number": 3})
    job = started["Location"]
    assert client.get(job).status_code == 200
    response = client.get(job + "download/")
    assert response.status_code == 200, job
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("role", ["staff", "admin_user", "reader"])
def test_signed_in_people_get_a_pdf(client, request, role, django_capture_on_commit_callbacks):
    build_group()
    user = request.getfixturevalue(role)
    pdf = sheet_pdf(client_for(client, user), django_capture_on_commit_callbacks)
    assert pdf.startswith(b"%PDF")


def test_anonymous_is_sent_to_sign_in(client):
    build_group()
    response = client.get(url(3))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_unknown_number_is_404(client, staff):
    build_group()
    assert client_for(client, staff).get(url(99)).status_code == 404


def test_post_is_not_allowed(client, staff):
    build_group()
    assert client_for(client, staff).post(url(3)).status_code == 405


def test_group_page_links_to_the_sheet(client, staff):
    build_group()
    response = client_for(client, staff).get(reverse("workinggroups:detail", args=[3]))
    assert url(3) in response.content.decode()


def test_sheet_html_shows_the_group(client, staff):
    from reports.rendering import group_sheet_html

    build_group(deliverables=2)
    html = group_sheet_html(3)
    for text in [
        "Community-based MHPSS",
        "Amina Diallo",
        "Mapping of services 1",
        "Overdue",  # at risk when last reported, and now past its due date
        "31%",
        "Share the map",
        "Milestone",
    ]:
        assert text in html


def _count_queries(client, user, django_assert_max_num_queries, deliverables):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    build_group(deliverables=deliverables)
    client = client_for(client, user)
    client.get(url(3))  # warm caches (content types, the session's first save)
    from reports.rendering import group_sheet_html

    # The job lays out this HTML; its queries are what must not grow.
    with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as ctx:
        assert "Community-based MHPSS" in group_sheet_html(3)
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_deliverables(
    client, staff, django_assert_max_num_queries, django_db_reset_sequences
):
    few = _count_queries(client, staff, django_assert_max_num_queries, 1)
    from workinggroups.models import WorkingGroup

    group = WorkingGroup.objects.get(number=3)
    workplan = group.workplans.get()
    for n in range(4):
        deliverable = DeliverableFactory(workplan=workplan, title=f"Extra {n}")
        factories.ProgressUpdateFactory(subject=deliverable)
        MilestoneFactory(deliverable=deliverable)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.rendering import group_sheet_html

    with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as ctx:
        assert "Extra 3" in group_sheet_html(3)
    assert len(ctx.captured_queries) == few


def pdf_pages(path) -> int | None:
    """The page count from pdfinfo, or None when poppler-utils is not installed."""
    if not shutil.which("pdfinfo"):
        return None
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is needed")
def test_pdf_is_one_page_and_names_the_deliverables(
    client, staff, tmp_path, django_capture_on_commit_callbacks
):
    build_group(deliverables=5)
    path = tmp_path / "sheet.pdf"
    path.write_bytes(sheet_pdf(client_for(client, staff), django_capture_on_commit_callbacks))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Mapping of services 4" in text
    assert pdf_pages(path) in (1, None)


def test_a_busy_group_still_fits_one_page(
    client, staff, tmp_path, django_capture_on_commit_callbacks
):
    """Long lists are cut (and the rest counted) so the sheet never spills onto a second page."""
    group = build_group(deliverables=1)
    workplan = group.workplans.get()
    meeting = MeetingFactory(working_group=group)
    for n in range(25):
        deliverable = DeliverableFactory(
            workplan=workplan, title=f"Regional training of trainers in psychological first aid {n}"
        )
        MilestoneFactory(deliverable=deliverable, date=datetime.date(2023, 3, 1))
        ActionItemFactory(meeting=meeting, description=f"Send the draft terms of reference {n}")
    pdf = sheet_pdf(client_for(client, staff), django_capture_on_commit_callbacks)
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf)
    assert pdf_pages(path) in (1, None)

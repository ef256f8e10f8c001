"""A co-lead downloads their group's meetings from its page and the file opens as Excel reads
it: a Meetings and an Action items sheet, real dates, statuses in words, each action item
naming its meeting (issue #18, "an export of meetings opens in Excel with real dates")."""

import datetime
import io

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in


def test_colead_downloads_the_meetings_of_their_group(demo, page, shot, live_server):
    from workinggroups.models import Meeting, WorkingGroup

    # The demo's meetings are WG1's of the first roadmap (the group goes on in the next one).
    group = (
        WorkingGroup.objects.filter(number=1, parent=None, meetings__isnull=False).distinct().get()
    )
    sign_in(page, live_server, "colead-wg1@example.org")
    page.goto(f"{live_server.url}{group.get_absolute_url()}?roadmap={group.roadmap_id}")
    section = page.locator("section[aria-labelledby=exports-heading]")
    expect(section).to_contain_text("Meetings (with their decisions and action items)")
    section.scroll_into_view_if_needed()
    shot("the group's spreadsheets")
    with page.expect_download() as download_info:
        section.get_by_role(
            "link", name="Meetings (with their decisions and action items) (XLSX)"
        ).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    assert book.sheetnames == ["Meetings", "Action items"]
    meetings = list(book["Meetings"].iter_rows(values_only=True))
    header = meetings[0]
    assert len(meetings) - 1 == Meeting.objects.filter(working_group=group).count() > 0
    date_cell = book["Meetings"].cell(row=2, column=header.index("date") + 1)
    assert date_cell.is_date and isinstance(date_cell.value, datetime.datetime)
    kinds = {row[header.index("kind")] for row in meetings[1:]}
    assert kinds <= {"Monthly meeting", "Co-leads workshop", "Webinar", "Other"}
    items = list(book["Action items"].iter_rows(values_only=True))
    titles = {str(m) for m in Meeting.objects.filter(working_group=group)}
    assert all(row[items[0].index("meeting")] in titles for row in items[1:])

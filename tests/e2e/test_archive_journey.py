"""A co-lead archives a mistaken meeting with a reason, in a real browser: it leaves the group's
list, shows with "Show archived" marked with its reason, and is restored; every page axe-clean.
Also the blank action item, whose errors show in place (422, swapped by static/js/app.js)."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, sign_in


def _wg1_meeting():
    from workinggroups.models import Meeting

    return (
        Meeting.objects.active()
        .filter(working_group__number=1, working_group__parent__isnull=True)
        .order_by("-date", "-id")
        .first()
    )


def test_colead_archives_a_mistaken_meeting_and_restores_it(demo, page, live_server):
    meeting = _wg1_meeting()
    name = str(meeting)
    # The group's own roadmap (the demo's WG1 goes on in a successor without its meetings).
    group_url = (
        f"{live_server.url}{meeting.working_group.get_absolute_url()}"
        f"?roadmap={meeting.working_group.roadmap_id}"
    )
    sign_in(page, live_server, "colead-wg1@example.org")
    page.goto(group_url)
    meetings = page.locator("section[aria-labelledby=meetings-heading]")
    expect(meetings.get_by_role("link", name=name, exact=True)).to_be_visible()

    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    page.get_by_role("link", name="Archive", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Archive a meeting")
    assert not axe_violations(page)
    # No reason: refused in place.
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Archive it").click()
    assert posted.value.status == 422
    expect(page.locator("#archive-form")).to_contain_text("This field is required.")
    page.get_by_label("Reason").fill("Recorded twice by mistake")
    page.get_by_role("button", name="Archive it").click()
    expect(page).to_have_url(re.compile(re.escape(meeting.working_group.get_absolute_url())))
    expect(page.locator(".messages")).to_contain_text("Archived")
    meetings = page.locator("section[aria-labelledby=meetings-heading]")
    expect(meetings.get_by_role("link", name=name, exact=True)).to_have_count(0)

    meetings.get_by_role("link", name="Show archived").click()
    meetings = page.locator("section[aria-labelledby=meetings-heading]")
    expect(meetings.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(meetings).to_contain_text("Reason: Recorded twice by mistake")
    assert not axe_violations(page)
    meetings.get_by_role("link", name="Restore").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Restore a meeting")
    page.get_by_label("Reason").fill("It was the right one after all")
    page.get_by_role("button", name="Restore it").click()
    expect(page.locator(".messages")).to_contain_text("Restored")
    meetings = page.locator("section[aria-labelledby=meetings-heading]")
    expect(meetings.get_by_role("link", name=name, exact=True)).to_be_visible()
    meeting.refresh_from_db()
    assert not meeting.is_archived
    reasons = list(meeting.history.values_list("history_change_reason", flat=True)[:2])
    assert reasons == ["It was the right one after all", "Recorded twice by mistake"]


def test_a_blank_action_item_shows_its_error_in_place(demo, page, live_server):
    meeting = _wg1_meeting()
    sign_in(page, live_server, "colead-wg1@example.org")
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    section = page.locator("#action-items")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        section.get_by_role("button", name="Add", exact=True).click()
    assert posted.value.status == 422
    expect(page.locator("#action-items")).to_contain_text("This field is required.")
    expect(page.locator("#action-items [aria-invalid=true]").first).to_be_focused()
    assert not axe_violations(page)

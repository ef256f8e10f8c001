"""E-mail notifications in a real browser: the WG1 co-lead gives a member an action item from the
meeting page and the member gets the e-mail, opens its link, and stops these e-mails from the
e-mail's unsubscribe link without signing in; the weekly digest lists what is overdue and its
links open."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, sign_in

CO_LEAD = "colead-wg1@example.org"
MEMBER = "member-wg1@example.org"


@pytest.fixture(autouse=True)
def _relative_links(settings):
    settings.SITE_URL = ""  # links in the e-mails, relative to the live server


def _meeting_of_both():
    """A meeting of a group the co-lead leads and the member works in (WG1 of the demo's first
    roadmap: a group carried over stays open there, and its meetings stay with it)."""
    from workinggroups.models import Meeting, Membership, WorkingGroup

    active = Membership.objects.active()
    led = active.filter(person__email=CO_LEAD, role="co_lead").values("working_group")
    worked = active.filter(person__email=MEMBER).values("working_group")
    groups = WorkingGroup.objects.filter(pk__in=led).filter(pk__in=worked)
    meeting = Meeting.objects.filter(working_group__in=groups).order_by("-date").first()
    assert meeting is not None, "the demo has a meeting of WG1"
    return meeting


def _links(body: str) -> list[str]:
    return re.findall(r"(?m)(/\S*/)$", body)


def test_a_member_given_an_action_item_is_told_and_unsubscribes(demo, page, browser, live_server):
    from accounts.models import User

    member = User.objects.get(email=MEMBER)
    meeting = _meeting_of_both()
    sign_in(page, live_server, CO_LEAD)
    page.goto(live_server.url + meeting.get_absolute_url())
    form = page.locator("form[action$='/actions/add/']")
    form.locator("[name=description]").fill("Book the training venue")
    form.locator("[name=owner]").select_option(str(member.pk))
    form.locator("[name=due_date]").fill("2031-05-04")
    form.locator("button[type=submit]").click()
    expect(page.locator("#action-items")).to_contain_text("Book the training venue")

    [message] = [m for m in mail.outbox if m.to == [MEMBER]]
    assert message.extra_headers["Content-Language"] == "en"
    assert "Book the training venue" in message.subject
    assert meeting.get_absolute_url() in _links(message.body)
    assert '<html lang="en"' in message.alternatives[0][0]

    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    theirs = context.new_page()
    sign_in(theirs, live_server, MEMBER)
    theirs.goto(live_server.url + meeting.get_absolute_url())
    expect(theirs.locator("#action-items")).to_contain_text("Book the training venue")
    context.close()

    # The unsubscribe link opens without signing in; opening it changes nothing.
    anonymous = browser.new_context(locale="en-GB")
    visitor = anonymous.new_page()
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    visitor.goto(live_server.url + link)
    expect(visitor.locator("main")).to_contain_text(MEMBER)
    assert not axe_violations(visitor)
    member.refresh_from_db()
    assert member.assignment_emails is True
    with visitor.expect_navigation():
        visitor.locator("main form button[type=submit]").click()
    expect(visitor.locator(".alert-success")).to_be_visible()
    assert not axe_violations(visitor)
    member.refresh_from_db()
    assert member.assignment_emails is False
    anonymous.close()


def test_the_weekly_digest_lists_what_is_overdue_and_its_links_open(demo, page, live_server):
    from workinggroups.digests import send_digests

    run = send_digests(frequency="weekly")
    assert CO_LEAD in run.sent
    [digest] = [m for m in mail.outbox if m.to == [CO_LEAD]]
    body = digest.body
    assert "== Overdue ==" in body, body
    sign_in(page, live_server, CO_LEAD)
    for link in sorted(set(_links(body)))[:8]:
        if "/unsubscribe/" in link:
            continue
        response = page.goto(live_server.url + link)
        assert response is not None and response.status == 200, link
    again = send_digests(frequency="weekly")
    assert again.sent == [] and CO_LEAD not in again.sent

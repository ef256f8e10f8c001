"""Inviting a new colleague, in a real browser: WG1's co-lead invites new.person@example.org
(the organisation found with the filter box), the e-mail's link is opened, the password set,
and the new person is signed in on the group's page, then signs in again and finds the group in
"My work". The co-lead then records a meeting, ticking the new person among the attendees and
the organisation in a list narrowed by typing (static/js/picker.js), and gives the newcomer an
action item, which reaches them by e-mail in French."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, sign_in

PASSWORD = "Une-phrase-assez-longue-42"


@pytest.fixture(autouse=True)
def _links_on_the_live_server(settings):
    settings.SITE_URL = ""  # links in the e-mails, relative to the live server
    from django.core.cache import cache

    cache.clear()


def _link(message) -> str:
    found = re.search(r"(?m)^(/\S+/invitations/accept/\S+/)$", message.body)
    assert found, message.body
    return found.group(1)


def test_a_co_lead_invites_a_new_colleague_who_sets_a_password(demo, browser, live_server):
    from accounts.models import Organisation, User
    from roadmap.models import Roadmap
    from workinggroups.models import Invitation, Meeting, Membership, WorkingGroup

    wg1 = WorkingGroup.objects.get(roadmap=Roadmap.objects.current(), number=1, parent__isnull=True)
    kenya = Organisation.objects.national_societies().real().get(country="KE")

    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, live_server, "colead-wg1@example.org")
    page.goto(f"{live_server.url}/working-groups/1/")
    page.locator("#invited a", has_text="Invite a colleague").click()
    expect(page.locator("h1")).to_contain_text("Invite colleagues")
    assert not axe_violations(page)
    page.fill("#id_email", "new.person@example.org")
    # The filter box above the 200-odd organisations narrows the list as one types.
    page.get_by_label("Filter").fill("kenya")
    expect(page.locator("[role=status]", has_text="shown")).to_contain_text("1 of")
    page.select_option("#id_organisation", str(kenya.pk))
    page.select_option("#id_language", "fr")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".alert-success")).to_contain_text("new.person@example.org")
    expect(page.locator("table")).to_contain_text("new.person@example.org")
    assert not axe_violations(page)
    [message] = mail.outbox
    assert message.to == ["new.person@example.org"]
    assert message.extra_headers["Content-Language"] == "fr"
    assert "Kenya Red Cross Society" in message.body  # no French name is known: the English one
    assert "Merci." in message.body and "GT1" in message.body  # rendered in French
    link = _link(message)

    invitee = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    new_page = invitee.new_page()
    new_page.set_default_timeout(15_000)
    new_page.goto(live_server.url + link)
    expect(new_page.locator("html")).to_have_attribute("lang", "fr")
    assert not axe_violations(new_page)
    new_page.fill("#id_full_name", "New Person")
    new_page.fill("#id_password1", PASSWORD)
    new_page.fill("#id_password2", PASSWORD)
    with new_page.expect_navigation():
        new_page.locator("main form button[type=submit]").click()
    assert new_page.url.endswith(wg1.get_absolute_url())
    expect(new_page.locator("#members")).to_contain_text("New Person")
    person = User.objects.get(email="new.person@example.org")
    assert Membership.objects.active().filter(working_group=wg1, person=person).exists()
    assert Invitation.objects.get().accepted_at is not None

    # Signed out and in again with the new password: "My work" names the group.
    new_page.context.clear_cookies()
    sign_in(new_page, live_server, "new.person@example.org", PASSWORD)
    expect(new_page.locator("main")).to_contain_text(wg1.label)
    # The link worked once.
    new_page.goto(live_server.url + link)
    expect(new_page.locator("h1")).not_to_contain_text("Join")
    invitee.close()

    # The co-lead records a meeting: the attendees and organisations are ticked, not
    # ctrl-clicked, in lists narrowed with their filter boxes.
    page.goto(f"{live_server.url}/working-groups/groups/{wg1.pk}/meetings/add/")
    assert not axe_violations(page)
    attendees = page.locator("fieldset", has=page.locator("legend", has_text="Attendees"))
    attendees.get_by_label("Filter").fill("new person")
    expect(attendees.locator(".form-check:visible")).to_have_count(1)
    attendees.get_by_label(re.compile("New Person")).check()
    organisations = page.locator(
        "fieldset", has=page.locator("legend", has_text="Attending organisations")
    )
    organisations.get_by_label("Filter").fill("kenya")
    expect(organisations.locator(".form-check:visible")).to_have_count(1)
    organisations.locator(".form-check:visible input").check()
    page.fill("#id_date", timezone.localdate().isoformat())
    page.fill("#id_title", "Welcome meeting")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    meeting = Meeting.objects.get(title="Welcome meeting")
    assert list(meeting.attendees.all()) == [person]
    assert list(meeting.attending_organisations.all()) == [kenya]

    # The co-lead gives the newcomer an action item: they are told by e-mail, in French.
    mail.outbox.clear()
    page.goto(live_server.url + meeting.get_absolute_url())
    form = page.locator("form[action$='/actions/add/']")
    form.locator("[name=description]").fill("Share the referral map")
    form.locator("[name=owner]").select_option(str(person.pk))
    form.locator("button[type=submit]").click()
    expect(page.locator("#action-items")).to_contain_text("Share the referral map")
    [told] = [m for m in mail.outbox if m.to == ["new.person@example.org"]]
    assert "Share the referral map" in told.subject
    assert told.extra_headers["Content-Language"] == "fr"
    assert meeting.get_absolute_url() in told.body
    context.close()

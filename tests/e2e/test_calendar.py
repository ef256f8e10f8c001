"""Calendars in a real browser: a co-lead makes their feed URL on the profile (shown once, axe
clean), a calendar app (no cookie) reads it, the meeting page's .ics downloads, and a new URL
ends the old one."""

from django.conf import settings
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, sign_in
from tests.helpers import parse_ics


def test_colead_subscribes_to_their_calendar(demo, browser, page, shot, live_server):
    from workinggroups.models import Meeting

    meeting = Meeting.objects.filter(working_group__number=1).order_by("pk").first()
    sign_in(page, live_server, "colead-wg1@example.org")
    page.goto(f"{live_server.url}/accounts/profile/")
    page.get_by_role("button", name="Make my calendar feed URL").click()
    page.wait_for_load_state()
    field = page.get_by_label("Your calendar feed URL (shown once: copy it now)")
    expect(field).to_be_visible()
    shot("feed URL shown once")
    assert axe_violations(page) == []
    url = field.input_value().replace(settings.SITE_URL, live_server.url)

    # A calendar app: another context, no session cookie.
    app = browser.new_context()
    answer = app.request.get(url)
    assert answer.status == 200
    calendar = parse_ics(answer.body())
    uids = {event.get("UID").split("@")[0] for event in calendar.events}
    assert f"meeting-{meeting.pk}" in uids

    page.reload()
    expect(page.locator("#calendar-feed-url")).to_have_count(0)  # shown once only
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to my calendar (.ics)").click()
    single = parse_ics(open(download.value.path(), "rb").read())
    assert single.events[0].get("UID").startswith(f"meeting-{meeting.pk}@")

    page.goto(f"{live_server.url}/accounts/profile/")
    page.get_by_role("button", name="Make a new URL (the old one stops working)").click()
    page.wait_for_load_state()
    assert app.request.get(url).status == 404
    app.close()

"""The header's search box in a real browser, as in issue #18: WG4's co-lead types "webinar"
and finds the group's deliverables and meeting minutes, marked; axe finds nothing to fix, in
English and in Arabic (right to left, an Arabic word finding the translated indicator)."""

from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, sign_in

CO_LEAD = "colead-wg4@example.org"


def _search_from_the_header(page, words: str) -> None:
    box = page.get_by_role("search").get_by_role("searchbox")
    box.fill(words)
    with page.expect_navigation():
        box.press("Enter")
    page.wait_for_load_state("networkidle")


def test_co_lead_searches_webinar_from_the_header(demo, page, live_server, shot):
    from workinggroups.models import Deliverable, Meeting

    sign_in(page, live_server, CO_LEAD)
    assert "/working-groups/my-work/" in page.url  # lands on "My work"
    _search_from_the_header(page, "webinar")
    assert "/search/?q=webinar" in page.url
    shot("results")
    deliverables = page.locator("section", has=page.locator("#kind-deliverables"))
    meetings = page.locator("section", has=page.locator("#kind-meetings"))
    deliverable = Deliverable.objects.get(working_group__number=4, title__icontains="webinar")
    meeting = Meeting.objects.get(working_group__number=4, minutes__icontains="webinar")
    expect(deliverables.locator(f'a[href="{deliverable.get_absolute_url()}"]')).to_be_visible()
    expect(meetings.locator(f'a[href="{meeting.get_absolute_url()}"]')).to_be_visible()
    expect(meetings.locator("mark").first).to_have_text("webinar", ignore_case=True)
    assert axe_violations(page) == []
    # The results open the pages they name.
    meetings.locator(f'a[href="{meeting.get_absolute_url()}"]').click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_contain_text(meeting.title)


def test_the_search_in_arabic(demo, page, live_server, shot):
    from accounts.models import User
    from roadmap.models import Indicator

    User.objects.filter(email=CO_LEAD).update(language="ar")
    sign_in(page, live_server, CO_LEAD)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    _search_from_the_header(page, "webinar")
    expect(page.locator("#kind-deliverables")).to_be_visible()
    expect(page.locator("#kind-meetings")).to_be_visible()
    shot("webinar-in-arabic")
    assert axe_violations(page) == []
    pfa = Indicator.objects.filter(code="PFA").order_by("pk").first()
    _search_from_the_header(page, "الإسعافات")
    indicators = page.locator("section", has=page.locator("#kind-indicators"))
    expect(indicators.locator(f'a[href="/roadmap/indicators/{pfa.pk}/"]')).to_contain_text(
        pfa.name_ar
    )
    expect(indicators.locator("mark").first).to_have_text("الإسعافات")
    shot("arabic-word")
    assert axe_violations(page) == []

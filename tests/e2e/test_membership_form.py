"""The working group's add-member form in a real browser: loaded on demand by htmx, its person
list searched as you type, its errors shown in place; and the same without JavaScript, as a page
of its own."""

from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, sign_in


def _newcomer():
    from accounts.models import User

    return (
        User.objects.filter(is_active=True)
        .exclude(role=User.Role.READER)
        .exclude(full_name="")
        .exclude(wg_memberships__working_group__number=1)
        .order_by("full_name")
        .first()
    )


def test_colead_adds_a_member_with_the_form_loaded_on_demand(demo, page, live_server):
    newcomer = _newcomer()
    sign_in(page, live_server, "colead-wg1@example.org")
    page.goto(f"{live_server.url}/working-groups/1/")
    members = page.locator("#members")
    assert page.locator("select[name=person]").count() == 0  # not rendered with the page

    with page.expect_response(lambda r: "/members/add/" in r.url) as loaded:
        members.get_by_role("link", name="Add a member").click()
    assert loaded.value.request.headers.get("hx-request") == "true"
    form = page.locator("#membership-form")
    expect(form.locator("select[name=role]")).to_be_focused()
    expect(page.locator("#id_person_q")).to_be_visible()
    # The no-JavaScript search buttons are hidden.
    expect(form.locator("button.js-hide")).to_have_count(2)
    expect(form.locator("button.js-hide").first).to_be_hidden()
    assert not axe_violations(page)

    # A co-lead must be a person: the error shows in place.
    form.locator("select[name=role]").select_option("co_lead")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        form.get_by_role("button", name="Add", exact=True).click()
    assert posted.value.status == 422
    expect(page.locator("#membership-form")).to_contain_text("Choose an organisation")

    # Search as you type narrows the person list to the matches.
    form = page.locator("#membership-form")
    # htmx wires up swapped-in content when it settles; typing before that sends nothing.
    page.wait_for_function("() => !document.querySelector('.htmx-settling, .htmx-added')")
    form.locator("select[name=role]").select_option("observer")
    with page.expect_response(lambda r: "person_q=" in r.url):
        page.locator("#id_person_q").fill(newcomer.full_name)
    options = page.locator("#person-choices select option")
    expect(options).to_have_count(2)
    page.locator("#person-choices select").select_option(str(newcomer.pk))
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.locator("#membership-form").get_by_role("button", name="Add", exact=True).click()
    expect(members).to_contain_text(newcomer.full_name)
    expect(page.locator("#membership-form")).to_have_count(0)
    expect(members.get_by_role("link", name="Add a member")).to_be_visible()
    assert newcomer.wg_memberships.filter(working_group__number=1, role="observer").exists()


def test_colead_adds_a_member_without_javascript(demo, browser, live_server):
    newcomer = _newcomer()
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    try:
        sign_in(tab, live_server, "colead-wg1@example.org")
        tab.goto(f"{live_server.url}/working-groups/1/")
        tab.locator("#members").get_by_role("link", name="Add a member").click()
        expect(tab.locator("h1")).to_have_text("Add a member")
        tab.locator("#id_person_q").fill(newcomer.full_name)
        tab.locator("#person-choices").locator("..").get_by_role("button", name="Search").click()
        expect(tab.locator("#id_person_q")).to_have_value(newcomer.full_name)
        expect(tab.locator("#person-choices select option")).to_have_count(2)
        tab.locator("select[name=role]").select_option("member")
        tab.locator("#person-choices select").select_option(str(newcomer.pk))
        tab.get_by_role("button", name="Add", exact=True).click()
        expect(tab.locator("#members")).to_contain_text(newcomer.full_name)
    finally:
        context.close()


def test_add_member_page_in_arabic_reads_right_to_left(demo, page, live_server):
    from django.urls import reverse

    from accounts.models import User
    from roadmap.models import Roadmap
    from workinggroups.models import WorkingGroup

    User.objects.filter(email="colead-wg1@example.org").update(language="ar")
    sign_in(page, live_server, "colead-wg1@example.org")
    group = WorkingGroup.objects.get(
        roadmap=Roadmap.objects.current(), number=1, parent__isnull=True
    )
    url = reverse("workinggroups:membership-add", args=[group.pk])
    page.goto(f"{live_server.url}{url}?person_q=a")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#id_person_q")).to_have_attribute("dir", "auto")
    assert page.locator("#person-choices select option").count() > 1
    assert not axe_violations(page)

"""Asking to join a working group in a real browser, as a new user would.

Without an account: from WG3's public page, the form, the e-mailed confirmation link, the
co-lead's acceptance, the invitation that sets a password. Signed in: the Senegal focal point
asks in French to join WG3, the WG3 co-lead accepts, the Senegalese Red Cross appears on WG3's
public page and the participation figure grows by one from the acceptance date, on the area
page and in the next report.
"""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone, translation
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, sign_in

CO_LEAD = "colead2-wg3@example.org"


@pytest.fixture(autouse=True)
def _quick_forms(settings):
    # A person takes seconds to fill the form; the browser, milliseconds.
    settings.JOIN_MIN_FILL_SECONDS = 0
    settings.SITE_URL = ""  # links in the e-mails, relative to the live server
    from django.core.cache import cache

    cache.clear()


def _link(message) -> str:
    found = re.search(r"(?m)^(/\S+)$", message.body)
    assert found, message.body
    return found.group(1)


def _senegal():
    from accounts.models import Organisation

    return Organisation.objects.national_societies().real().get(country="SN")


def _senegal_leaves_its_groups(day):
    """The demo has Senegal in WG1 and WG4: it left them, so joining WG3 counts anew."""
    from accounts.models import User
    from workinggroups.models import Membership
    from workinggroups.services import membership_end

    admin = User.objects.get(email="admin@example.org")
    for membership in Membership.objects.active().filter(organisation=_senegal()):
        membership_end(membership=membership, ended_by=admin, left_on=day)


def _co_lead_accepts(browser, live_server, email_link: str) -> None:
    context = browser.new_context(locale="es-ES", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, CO_LEAD)
    page.goto(live_server.url + email_link)
    from roadmap.models import Roadmap
    from workinggroups.models import WorkingGroup

    current = Roadmap.objects.current()  # the demo's successor: its WG3 is the one people join
    with translation.override("es"):  # the co-lead's browser asks for Spanish
        wg3 = str(WorkingGroup.objects.get(roadmap=current, number=3, parent__isnull=True))
    expect(page.locator("h1")).to_contain_text(wg3)
    assert not axe_violations(page)
    with page.expect_navigation():
        page.locator("form[action$='/accept/'] button").first.click()
    expect(page.locator(".alert-success")).to_be_visible()
    context.close()


def test_a_visitor_without_an_account_asks_confirms_and_is_accepted(demo, browser, live_server):
    from workinggroups.models import JoinRequest

    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/public/groups/3/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert "Senegal" not in page.locator("#member-organisations").inner_text()
    page.locator("a[href$='/public/groups/3/join/']").click()
    assert not axe_violations(page)
    page.fill("#id_full_name", "Fatou Diop")
    page.fill("#id_email", "fatou.diop@example.sn")
    page.select_option("#id_organisation", str(_senegal().pk))
    page.fill("#id_note", "Je coordonne les volontaires en soutien psychosocial.")
    page.select_option("#id_language", "fr")
    expect(page.locator("#id_website")).to_be_hidden()  # the field only bots fill
    with page.expect_navigation():
        page.locator("form button[type=submit]").last.click()
    expect(page.locator("main")).to_contain_text("fatou.diop@example.sn")
    request = JoinRequest.objects.get(email="fatou.diop@example.sn")
    assert request.status == "unconfirmed"
    [confirmation] = mail.outbox
    assert confirmation.to == ["fatou.diop@example.sn"]
    assert confirmation.extra_headers["Content-Language"] == "fr"

    page.goto(live_server.url + _link(confirmation))
    assert JoinRequest.objects.get(pk=request.pk).status == "unconfirmed"  # opening is not enough
    with page.expect_navigation():
        page.locator("main form button").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert JoinRequest.objects.get(pk=request.pk).status == "pending"
    to_co_leads = mail.outbox[1:]
    assert [m.to for m in to_co_leads] == [[CO_LEAD]]  # WG3's one active co-lead in the demo
    mine = next(m for m in to_co_leads if m.to == [CO_LEAD])
    assert mine.extra_headers["Content-Language"] == "es"  # the co-lead's society's language

    _co_lead_accepts(browser, live_server, _link(mine))
    welcome = mail.outbox[-1]
    assert welcome.to == ["fatou.diop@example.sn"]
    assert welcome.extra_headers["Content-Language"] == "fr"
    password_link = next(
        line for line in welcome.body.splitlines() if line.startswith("/accounts/reset/")
    )
    page.goto(live_server.url + password_link)
    page.fill("input[name=new_password1]", "Une-phrase-assez-longue-42")
    page.fill("input[name=new_password2]", "Une-phrase-assez-longue-42")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    sign_in(page, live_server, "fatou.diop@example.sn", "Une-phrase-assez-longue-42")
    page.goto(f"{live_server.url}/working-groups/3/")
    expect(page.locator("#members")).to_contain_text("Fatou Diop")
    context.close()


def _participation_on_area_page(page, live_server, as_of=None) -> int:
    from roadmap.models import Indicator, Roadmap

    # The area page shows the current roadmap (the demo's successor), which carries it over.
    indicator = Indicator.objects.get(
        code="WG-PARTICIPATION", area__roadmap=Roadmap.objects.current()
    )
    url = f"{live_server.url}/roadmap/areas/{indicator.area.number}/"
    if as_of:
        url += f"?as_of={as_of.isoformat()}"
    page.goto(url)
    year = str((as_of or timezone.localdate()).year)
    row = page.locator(f"section[aria-labelledby=indicator-{indicator.pk}] tbody tr").filter(
        has=page.locator("td:first-child", has_text=year)
    )
    return int(re.sub(r"\D", "", row.locator("td").nth(1).inner_text()))


def _report_participation(day) -> int:
    from accounts.models import User
    from reports.models import ReportEdition
    from reports.selectors import report_data

    edition = ReportEdition.objects.create(
        title="Next report",
        period_start=datetime.date(day.year, 1, 1),
        period_end=day,
        created_by=User.objects.get(email="admin@example.org"),
    )
    return report_data(edition)["participation"].total


def test_the_senegal_focal_point_asks_in_french_to_join_wg3(demo, browser, live_server):
    from accounts.models import User
    from workinggroups.models import JoinRequest, Membership

    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    _senegal_leaves_its_groups(today - datetime.timedelta(days=30))
    User.objects.filter(email="focal-senegal@example.org").update(language="fr")

    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, "admin@example.org")
    before = _participation_on_area_page(page, live_server)
    report_before = _report_participation(today)
    page.context.clear_cookies()

    sign_in(page, live_server, "focal-senegal@example.org")
    page.goto(f"{live_server.url}/working-groups/3/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.locator("a[href$='/join/']").click()
    assert not axe_violations(page)
    page.fill("#id_note", "La Croix-Rouge sénégalaise souhaite rejoindre le groupe 3.")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    request = JoinRequest.objects.get(email="focal-senegal@example.org")
    assert (request.status, request.language, request.organisation) == ("pending", "fr", _senegal())
    mine = next(m for m in mail.outbox if m.to == [CO_LEAD])
    assert "La Croix-Rouge sénégalaise souhaite rejoindre le groupe 3." in mine.body

    _co_lead_accepts(browser, live_server, _link(mine))
    told = mail.outbox[-1]
    assert told.to == ["focal-senegal@example.org"]
    assert told.extra_headers["Content-Language"] == "fr"
    assert "/accounts/reset/" not in told.body  # they have an account
    membership = Membership.objects.get(working_group__number=3, organisation=_senegal())
    assert membership.joined_on == today
    assert membership.history.first().history_user.email == CO_LEAD

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/public/groups/3/")
    with translation.override("fr"):
        senegal_in_french = _senegal().display_name
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("#member-organisations")).to_contain_text(senegal_in_french)

    sign_in(page, live_server, "admin@example.org")
    assert _participation_on_area_page(page, live_server) == before + 1
    assert _participation_on_area_page(page, live_server, as_of=yesterday) == before
    assert _report_participation(today) == report_before + 1
    assert _report_participation(yesterday) == report_before
    context.close()


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
def test_the_public_pages_are_accessible_in_each_language(demo, browser, live_server, language):
    context = browser.new_context(locale=language, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    for path in ["/public/", "/public/groups/", "/public/groups/3/", "/public/groups/3/join/",
                 "/public/resources/"]:  # fmt: skip
        page.goto(live_server.url + path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
        assert not axe_violations(page), path
    context.close()

"""Accessibility in a real browser: axe-core on every main page in English and Arabic, and the
survey filled in and submitted with the keyboard alone (Tab, Space, Enter and typing)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.conftest import fill_required_answers, sign_in

SERIOUS = {"serious", "critical"}


def main_pages(live_server) -> list[tuple[str, str]]:
    """(who, url) for every main page; built from the demo data."""
    from accounts.models import Organisation
    from reports.models import ReportEdition
    from roadmap.models import ExpectedResult, Indicator
    from surveys.models import SurveyRound
    from workinggroups.models import Deliverable, Meeting

    base = live_server.url
    survey_round = SurveyRound.objects.get(state=SurveyRound.State.OPEN)
    lebanon = Organisation.objects.national_societies().get(country="LB")
    deliverable = Deliverable.objects.filter(working_group__number=1).order_by("pk").first()
    admin = "admin@example.org"
    return [
        (admin, f"{base}/"),
        (admin, f"{base}/roadmap/areas/1/"),
        (admin, f"{base}/roadmap/results/{ExpectedResult.objects.order_by('pk').first().pk}/"),
        (admin, f"{base}/roadmap/indicators/{Indicator.objects.order_by('pk').first().pk}/"),
        (admin, f"{base}/working-groups/"),
        (admin, f"{base}/working-groups/1/"),
        (admin, f"{base}/working-groups/deliverables/{deliverable.pk}/"),
        (admin, f"{base}/working-groups/meetings/{Meeting.objects.order_by('pk').first().pk}/"),
        (admin, f"{base}/working-groups/resources/"),
        (admin, f"{base}/surveys/"),
        (admin, f"{base}/surveys/rounds/"),
        (admin, f"{base}/surveys/rounds/{survey_round.pk}/tracker/"),
        (admin, f"{base}/surveys/rounds/{survey_round.pk}/results/"),
        (admin, f"{base}/reports/"),
        (admin, f"{base}/reports/{ReportEdition.objects.first().pk}/"),
        (admin, f"{base}/accounts/profile/"),
        ("focal-lebanon@example.org", f"{base}/surveys/"),
        (
            "focal-lebanon@example.org",
            f"{base}/surveys/rounds/{survey_round.pk}/societies/{lebanon.pk}/",
        ),
    ]


def _violations(page) -> list[str]:
    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in SERIOUS:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            found.append(f"{page.url}: {violation['id']} ({violation['impact']}) at {targets}")
    return found


@pytest.mark.parametrize("language", ["en", "ar"])
def test_no_serious_axe_violations_on_main_pages(demo, browser, live_server, language):
    from accounts.models import User

    User.objects.filter(email__endswith="@example.org").update(language=language)
    problems = []
    by_person: dict[str, list[str]] = {}
    for person, url in main_pages(live_server):
        by_person.setdefault(person, []).append(url)
    for person, urls in by_person.items():
        context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, live_server, person)
        for url in urls:
            page.goto(url)
            expect(page.locator("html")).to_have_attribute("lang", language)
            problems += _violations(page)
        context.close()
    # The sign-in page, anonymous.
    context = browser.new_context(locale="ar" if language == "ar" else "en-GB")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    problems += _violations(page)
    context.close()
    assert not problems, "\n".join(problems)


def _tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        if page.evaluate("(s) => !!document.activeElement?.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_alone_fills_and_submits_the_survey(demo, page, shot, live_server):
    from accounts.models import Organisation, User
    from surveys.models import Question, Response, SurveyRound

    page.on("dialog", lambda dialog: dialog.accept())  # the browser's own confirm box
    survey_round = SurveyRound.objects.get(state=SurveyRound.State.OPEN)
    kenya = Organisation.objects.national_societies().get(country="KE")
    focal = User.objects.get(email="focal-kenya@example.org")
    User.objects.filter(pk=focal.pk).update(language="en")
    first_section = (
        Question.objects.filter(questionnaire=survey_round.questionnaire)
        .order_by("section__order", "order", "pk")
        .first()
        .section
    )
    in_first = list(first_section.questions.order_by("order", "pk"))
    text_q = next(q for q in in_first if q.kind == "text" and q.required)
    radio_q = next(q for q in in_first if q.kind == "yes_no" and q.required)
    # Everything outside the first section was answered earlier.
    fill_required_answers(survey_round, kenya, focal, leave={text_q.name, radio_q.name})

    sign_in(page, live_server, "focal-kenya@example.org")
    page.goto(f"{live_server.url}/surveys/rounds/{survey_round.pk}/societies/{kenya.pk}/")
    shot("survey")

    _tab_to(page, f"#id_q_{text_q.pk}")
    page.keyboard.type("Amani, MHPSS focal point")
    _tab_to(page, f"input[name=q_{radio_q.pk}]")
    page.wait_for_load_state("networkidle")  # the text answer autosaves on leaving the field
    _tab_to(page, f"input[name=q_{radio_q.pk}]")
    page.keyboard.press("Space")
    page.wait_for_load_state("networkidle")
    shot("answered with the keyboard")

    _tab_to(page, "form[action$='/submit/'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    shot("submitted")
    expect(page.locator(".badge.text-bg-success").first).to_be_visible()
    response = Response.objects.get(round=survey_round, society=kenya)
    assert response.is_submitted
    assert response.answers.get(question=text_q).value == "Amani, MHPSS focal point"

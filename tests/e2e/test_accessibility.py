"""Accessibility in a real browser: axe-core on every page each demo role reaches (tests/crawl.py)
in English and Arabic, failing on any violation in our templates; Django's admin findings listed
in test-artifacts; and the survey filled in and submitted with the keyboard alone."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.crawl import DEMO_PEOPLE, crawl_as
from tests.e2e.conftest import axe_violations, fill_required_answers, sign_in

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Django's admin pages: their findings are listed in test-artifacts, not failed on (not our markup).
ADMIN_PAGES = ["/admin/", "/admin/accounts/user/", "/admin/accounts/user/add/"]
# The API's browsable documentation is django-ninja's Swagger UI: listed the same way.
API_DOCS = "/api/v1/docs"
# One test per person and language, so the sweeps (each a few minutes) share out over the
# workers and a failure names whose pages broke.
SWEEPS = [(language, person) for language in ("en", "ar") for person in [None, *DEMO_PEOPLE]]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("language", "person"),
    SWEEPS,
    ids=[f"{language}-{(person or 'anonymous').split('@')[0]}" for language, person in SWEEPS],
)
def test_no_axe_violations_on_any_page(demo, browser, live_server, language, person):
    """Every page the person reaches (one of each view), in the language: no axe violation."""
    urls = list(crawl_as(person, language, per_view=1))
    locale = "ar" if language == "ar" else "en-GB"
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    if person:
        sign_in(page, live_server, person)
    else:
        cookie = {"name": "django_language", "value": language, "url": live_server.url}
        context.add_cookies([cookie])
    problems: list[str] = []
    for url in urls:
        page.goto(live_server.url + url)
        expect(page.locator("html")).to_have_attribute("lang", language)
        problems += axe_violations(page)
    context.close()
    assert len(urls) >= 3  # the walk reached the site
    assert not problems, f"{len(problems)} violations:\n" + "\n".join(problems)


def test_admin_findings_are_listed(demo, browser, live_server):
    """Django's admin is not our markup: its axe findings are written out, for the record."""
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    sign_in(page, live_server, "admin@example.org")
    findings = []
    for url in ADMIN_PAGES:
        page.goto(live_server.url + url)
        assert page.locator("#content").count() == 1, url  # the admin page itself was checked
        findings += axe_violations(page)
    page.goto(live_server.url + API_DOCS)
    expect(page.locator("#swagger-ui")).to_be_attached()  # the documentation itself was checked
    findings += [f"{API_DOCS}: {line}" for line in axe_violations(page)]
    context.close()
    ARTIFACTS.mkdir(exist_ok=True)
    report = ARTIFACTS / "axe-django-admin.txt"
    report.write_text("\n".join(findings) + "\n", encoding="utf-8")
    print(f"Django admin: {len(findings)} axe findings, listed in {report}")
    for line in findings:
        print("  " + line)


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


def test_keyboard_alone_in_arabic_announces_errors_and_follow_up_questions(
    demo, page, shot, live_server
):
    """A focal point, keyboard only, in Arabic: a refused submission takes the focus to its
    summary (role=alert, "Error:" title), the answer that shows a follow-up question announces
    it in the polite live region, and the section is then submitted."""
    from django.utils import translation

    from accounts.models import Organisation, User
    from surveys.models import Question, Response, SurveyRound

    page.on("dialog", lambda dialog: dialog.accept())
    survey_round = SurveyRound.objects.get(state=SurveyRound.State.OPEN)
    kenya = Organisation.objects.national_societies().get(country="KE")
    focal = User.objects.get(email="focal-kenya@example.org")
    User.objects.filter(pk=focal.pk).update(language="ar")
    questions = Question.objects.filter(questionnaire=survey_round.questionnaire)
    first_section = questions.order_by("section__order", "order", "pk").first().section
    in_first = list(first_section.questions.order_by("order", "pk"))
    text_q = next(q for q in in_first if q.kind == "text" and q.required)
    # A required yes/no question with a follow-up shown on "yes", in the same section.
    radio_q, follow_up = next(
        (q, f)
        for q in in_first
        if q.kind == "yes_no" and q.required
        for f in in_first
        if f.relevant.replace(" ", "") == f"${{{q.name}}}='yes'"
    )
    fill_required_answers(survey_round, kenya, focal, leave={text_q.name, radio_q.name})
    with translation.override("ar"):
        error_word = translation.gettext("Error:")
        follow_up_label = follow_up.label
        refused_title = translation.gettext("The response cannot be submitted yet")

    sign_in(page, live_server, "focal-kenya@example.org")
    form_url = f"{live_server.url}/surveys/rounds/{survey_round.pk}/societies/{kenya.pk}/"
    page.goto(form_url)
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator(f"#q-{follow_up.name}")).to_be_hidden()

    # Submitting too early: the summary is announced (role=alert) and has the focus.
    _tab_to(page, "form[action$='/submit/'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    shot("refused")
    assert page.title().startswith(error_word)
    summary = page.locator("#submit-problems")
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_contain_text(refused_title)
    assert page.evaluate("document.activeElement.id") == "submit-problems"
    expect(summary.locator(f"a[href$='#q-{radio_q.name}']")).to_have_count(1)

    _tab_to(page, f"#id_q_{text_q.pk}")
    page.keyboard.type("أمينة، منسقة الدعم النفسي")
    _tab_to(page, f"input[name=q_{radio_q.pk}]")
    page.wait_for_load_state("networkidle")
    # The first radio of the group is "yes": Space picks it and the follow-up question appears.
    yes = page.locator(f"input[name=q_{radio_q.pk}][value=yes]")
    _tab_to(page, f"input[name=q_{radio_q.pk}][value=yes]")
    page.keyboard.press("Space")
    expect(yes).to_be_checked()
    page.wait_for_load_state("networkidle")
    expect(page.locator(f"#q-{follow_up.name}")).to_be_visible()
    live = page.locator("#survey-announcements")
    expect(live).to_have_attribute("aria-live", "polite")
    expect(live).to_contain_text(follow_up_label)
    shot("follow-up announced")

    # Choosing "no" takes it away again, announced too.
    _tab_to(page, f"input[name=q_{radio_q.pk}][value=yes]")
    page.keyboard.press("ArrowLeft")  # right to left: the next radio is to the left
    page.wait_for_load_state("networkidle")
    expect(page.locator(f"#q-{follow_up.name}")).to_be_hidden()
    expect(live).to_contain_text(follow_up_label)

    _tab_to(page, "form[action$='/submit/'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    shot("submitted")
    response = Response.objects.get(round=survey_round, society=kenya)
    assert response.is_submitted
    assert response.answers.get(question=text_q).value == "أمينة، منسقة الدعم النفسي"
    assert response.answers.get(question=radio_q).value == "no"

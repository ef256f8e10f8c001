"""Arabic in a real browser: every main page, for each role, laid out right to left.

For each page: a full-page screenshot in test-artifacts/e2e/arabic/<role>-<page>.png, `dir="rtl"`
and `lang="ar"` on <html>, Bootstrap's RTL build loaded, no horizontal scrolling, and none of the
common English interface words left in the visible text (names and content such as "IFRC",
"MHPSS" or e-mail addresses are fine, and so is English declared lang="en": the figures' rules,
a title nobody translated). Also: the language switcher keeps you on the same page.
"""

from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, sign_in
from tests.helpers import ENGLISH_UI_RE

SHOTS = ARTIFACTS / "arabic"

# Not ours to translate: django-tasks ships no Arabic, so its admin entry stays in English.
THIRD_PARTY = ["Task Results"]

PAGE_FACTS = """() => {
  const html = document.documentElement;
  return {
    dir: html.dir,
    lang: html.lang,
    scrollWidth: html.scrollWidth,
    innerWidth: window.innerWidth,
    rtlBootstrap: !!document.querySelector('link[href*="bootstrap.rtl"]'),
    appPage: !!document.querySelector('link[href*="css/app.css"]'),
    // The visible text, less what is declared English (lang="en": content with no translation).
    text: (() => {
      const parts = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        const element = walker.currentNode.parentElement;
        if (!element || element.closest("script, style, template")) continue;
        if (!element.checkVisibility()) continue;
        if (element.closest("[lang]").lang.split("-")[0] === "en") continue;
        parts.push(walker.currentNode.textContent);
      }
      return parts.join(" ");
    })(),
  };
}"""


def main_pages(base: str) -> dict[str, list[tuple[str, str]]]:
    """{person: [(name, url)]}: every main page, for the roles that see different things."""
    from accounts.models import Organisation
    from reports.models import ReportEdition
    from roadmap.models import ExpectedResult, Indicator
    from surveys.models import SurveyRound
    from workinggroups.models import Deliverable, Meeting

    survey_round = SurveyRound.objects.get(state=SurveyRound.State.OPEN)
    rounds = f"{base}/surveys/rounds/{survey_round.pk}"
    lebanon = Organisation.objects.national_societies().get(country="LB")
    output = ExpectedResult.objects.filter(kind=ExpectedResult.Kind.OUTPUT).order_by("pk").first()
    indicator = Indicator.objects.order_by("pk").first()
    deliverable = Deliverable.objects.filter(working_group__number=1).order_by("pk").first()
    meeting = Meeting.objects.filter(working_group__number=1).order_by("pk").first()
    edition = ReportEdition.objects.order_by("pk").first()
    shared = [
        ("home", f"{base}/"),
        ("area", f"{base}/roadmap/areas/1/"),
        ("result", f"{base}/roadmap/results/{output.pk}/"),
        ("indicator", f"{base}/roadmap/indicators/{indicator.pk}/"),
        ("working-groups", f"{base}/working-groups/"),
        ("working-group", f"{base}/working-groups/1/"),
        ("deliverable", f"{base}/working-groups/deliverables/{deliverable.pk}/"),
        ("meeting", f"{base}/working-groups/meetings/{meeting.pk}/"),
        ("resources", f"{base}/working-groups/resources/"),
        ("profile", f"{base}/accounts/profile/"),
    ]
    return {
        "admin@example.org": [
            *shared,
            ("surveys", f"{base}/surveys/"),
            ("survey-rounds", f"{base}/surveys/rounds/"),
            ("survey-form", f"{rounds}/societies/{lebanon.pk}/"),
            ("tracker", f"{rounds}/tracker/"),
            ("round", f"{rounds}/"),
            ("round-new", f"{base}/surveys/rounds/new/"),
            ("reminder-preview", f"{rounds}/remind/"),
            ("focal-points", f"{rounds}/societies/{lebanon.pk}/focal-points/"),
            ("survey-results", f"{rounds}/results/"),
            ("reports", f"{base}/reports/"),
            ("edition", f"{base}/reports/{edition.pk}/"),
            ("edition-preview", f"{base}/reports/{edition.pk}/preview/?language=ar"),
            ("admin-index", f"{base}/admin/"),
        ],
        "colead-wg1@example.org": shared,
        "focal-lebanon@example.org": [
            ("home", f"{base}/"),
            ("surveys", f"{base}/surveys/"),
            ("survey-form", f"{rounds}/societies/{lebanon.pk}/"),
            ("profile", f"{base}/accounts/profile/"),
        ],
        "reader@example.org": [
            ("home", f"{base}/"),
            ("working-group", f"{base}/working-groups/1/"),
            ("deliverable", f"{base}/working-groups/deliverables/{deliverable.pk}/"),
            ("tracker", f"{rounds}/tracker/"),
            ("reports", f"{base}/reports/"),
            ("edition", f"{base}/reports/{edition.pk}/"),
        ],
    }


def _check(page, name: str) -> list[str]:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    facts = page.evaluate(PAGE_FACTS)
    problems = []
    if facts["dir"] != "rtl" or facts["lang"] != "ar":
        problems.append(f'dir="{facts["dir"]}" lang="{facts["lang"]}"')
    if facts["appPage"] and not facts["rtlBootstrap"]:
        problems.append("Bootstrap's RTL stylesheet is not loaded")
    if facts["scrollWidth"] > facts["innerWidth"] + 1:
        problems.append(f"scrolls sideways ({facts['scrollWidth']} > {facts['innerWidth']} px)")
    text = facts["text"]
    for phrase in THIRD_PARTY:
        text = text.replace(phrase, "")
    english = sorted(set(ENGLISH_UI_RE.findall(text)))
    if english:
        problems.append(f"English interface text: {english}")
    return [f"{name} ({page.url}): {problem}" for problem in problems]


def test_every_main_page_lays_out_right_to_left_in_arabic(demo, browser, live_server):
    from accounts.models import User

    SHOTS.mkdir(parents=True, exist_ok=True)
    User.objects.filter(email__endswith="@example.org").update(language="ar")
    problems = []
    for person, pages in main_pages(live_server.url).items():
        role = person.split("@")[0]
        context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, live_server, person)
        for name, url in pages:
            response = page.goto(url)  # waits for "load": the pages load nothing later
            assert response.ok, f"{role} {name}: {url} answered {response.status}"
            problems += _check(page, f"{role}-{name}")
        context.close()
    assert not problems, "\n".join(problems)


def test_switching_language_keeps_the_page(demo, page, live_server):
    from django.utils import translation
    from django.utils.translation import gettext

    from accounts.models import User

    SHOTS.mkdir(parents=True, exist_ok=True)
    User.objects.filter(email="colead-wg1@example.org").update(language="fr")
    sign_in(page, live_server, "colead-wg1@example.org")
    url = f"{live_server.url}/working-groups/1/"
    page.goto(url)
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "fr")
    expect(html).to_have_attribute("dir", "ltr")
    crumb = page.locator(".breadcrumb-item").first
    with translation.override("fr"):
        expect(crumb).to_have_text(gettext("Working groups"))

    for language, direction in (("ar", "rtl"), ("en", "ltr")):
        page.select_option("#language-select", language)
        assert page.url == url  # choosing changes nothing yet (WCAG 3.2.2)
        expect(html).to_have_attribute("lang", "fr" if language == "ar" else "ar")
        with page.expect_navigation():
            page.locator(".language-switcher button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        assert page.url == url
        expect(html).to_have_attribute("lang", language)
        expect(html).to_have_attribute("dir", direction)
        expect(page.locator("#language-select")).to_have_value(language)
        with translation.override(language):
            expect(crumb).to_have_text(gettext("Working groups"))
        page.screenshot(path=str(SHOTS / f"switch-to-{language}.png"), full_page=True)
    assert User.objects.get(email="colead-wg1@example.org").language == "en"

"""Real-browser fixtures: Debian's Chromium driven by Playwright against a live server.

Never downloads a browser: CHROMIUM (default /usr/bin/chromium) must exist; `.ci/run` installs it.
Screenshots of each step go to test-artifacts/e2e/.
"""

import os
import re
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


class Shots:
    """Numbered screenshots of one test's steps."""

    def __init__(self, page, name: str):
        self.page = page
        self.folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", name)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.n = 0

    def __call__(self, step: str) -> Path:
        self.n += 1
        slug = re.sub(r"[^\w.-]+", "_", step)
        path = self.folder / f"{self.n:02d}-{slug}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def shot(page, request):
    return Shots(page, request.node.name)


def sign_in(page, live_server, email: str, password: str = "roadmap-demo") -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" not in page.url, f"sign-in failed for {email}"


@pytest.fixture
def demo(transactional_db):
    """Reference roadmap and demo data, in a database the live server's thread can see."""
    from django.core.management import call_command

    call_command("load_roadmap", verbosity=0)
    call_command("load_demo", verbosity=0)


@pytest.fixture
def accept_dialogs(page):
    """Accept the `data-confirm` confirmation boxes (Playwright dismisses them by default)."""
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def fill_required_answers(survey_round, society, user, *, leave=()):
    """Answer every required question the society still misses, except the names in `leave`."""
    from surveys import answers as answer_rules
    from surveys import services
    from surveys.models import Response
    from surveys.selectors import answers_by_question, questionnaire_sections

    sections = questionnaire_sections(survey_round.questionnaire)
    for _round in range(6):
        response = Response.objects.filter(round=survey_round, society=society).first()
        current = answers_by_question(response) if response else {}
        values = {
            q.name: current[q.pk].value
            for s in sections
            for q in s.questions.all()
            if q.pk in current
        }
        todo = [q for q, _msg in answer_rules.problems(sections, values) if q.name not in leave]
        if not todo:
            return
        for question in todo:
            choices = [c.name for c in question.choices.all()] or ["yes"]
            raw = {
                "integer": "1",
                "decimal": "1",
                "multiple": [choices[0]],
                "single": choices[0],
                "yes_no": "yes",
            }.get(question.kind, "Answered earlier")
            version = current[question.pk].version if question.pk in current else 0
            services.answer_save(
                survey_round=survey_round,
                society=society,
                question=question,
                raw=raw,
                expected_version=version,
                user=user,
            )
    raise AssertionError("could not answer every required question")


# The WCAG 2.2 A and AA rules axe-core checks, and its best practices.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_violations(page) -> list[str]:
    """Every axe-core violation on the page, whatever its impact (WCAG 2.2 A and AA rules)."""
    # resultTypes: only the violations are gathered and sent back (passes and the rest were
    # serialised node by node for every page and thrown away).
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    found = []
    for violation in results.response["violations"]:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        found.append(f"{page.url}: {violation['id']} ({violation['impact']}) at {targets}")
    return found

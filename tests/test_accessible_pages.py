"""Accessibility in the served HTML: refused forms say so first, the language switcher waits for
its button, and the language strip sits in a landmark."""

import re

import pytest
from django.utils import translation

from tests.factories import UserFactory


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_refused_form_has_an_error_title_and_a_summary_linking_to_fields(client, db, language):
    UserFactory(email="someone@example.org")
    page = client.post(
        "/accounts/login/",
        {"username": "someone@example.org", "password": ""},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    html = page.content.decode()
    with translation.override(language):
        assert _title(html).startswith(translation.gettext("Error:"))
    summary = re.search(r'<div class="alert alert-danger error-summary".*?</div>', html, re.S)
    assert summary, "no error summary"
    # First in <main>, focusable (app.js moves the focus to it), and each error links to its field.
    assert (
        html.index("<main") < html.index("error-summary") < html.index('action="/accounts/login/"')
    )
    assert 'tabindex="-1"' in summary.group(0) and "data-error-summary" in summary.group(0)
    assert '<a href="#id_password">' in summary.group(0)
    assert 'id="id_password"' in html and 'aria-invalid="true"' in html


def test_a_page_without_errors_has_neither(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert "error-summary" not in html and not _title(html).startswith("Error")


def test_language_switcher_changes_only_on_its_button(client, db):
    client.force_login(UserFactory())
    html = client.get("/").content.decode()
    switcher = re.search(r"<form[^>]*language-switcher.*?</form>", html, re.S).group(0)
    assert "data-autosubmit" not in switcher  # no change on choosing an option (WCAG 3.2.2)
    button = re.search(r"<button[^>]*>", switcher).group(0)
    assert 'type="submit"' in button and "js-hide" not in button  # shown with JavaScript too
    # The strip is inside the banner landmark, with the navigation.
    header = re.search(r"<header>.*?</header>", html, re.S).group(0)
    assert "language-switcher" in header and "<nav" in header


def test_focus_ring_is_not_left_to_bootstrap():
    from django.conf import settings

    css = (settings.BASE_DIR / "static" / "css" / "app.css").read_text()
    rule = re.search(r"(:focus-visible,.*?)\{(.*?)\}", css, re.S)
    assert (
        rule
        and ".btn:focus-visible" in rule.group(1)
        and ".nav-link:focus-visible" in rule.group(1)
    )
    # A white ring next to the element and a near-black one around it.
    assert "outline: 2px solid #fff" in rule.group(2) and "#1b1e21" in rule.group(2)


def test_english_fallback_is_marked_lang_en_in_the_report(db):
    from reports.rendering import report_html
    from tests.reports.factories import EditionFactory, build_roadmap

    _roadmap, (first, second) = build_roadmap(areas=2, outputs_per_area=1)
    second.title_fr = "Titre du domaine 2"
    second.save()
    edition = EditionFactory(sections=["background", "at_a_glance", "areas"])
    html = report_html(edition, "fr", for_pdf=False)
    assert '<span lang="en" dir="ltr">Area title 1</span>' in html  # no French title: English
    assert "Titre du domaine 2" in html and '<span lang="en" dir="ltr">Titre' not in html
    # In English nothing is marked.
    assert '<span lang="en"' not in report_html(edition, "en", for_pdf=False)


def test_english_fallback_is_marked_lang_en_on_a_french_page(client, admin_user):
    from tests.reports.factories import build_roadmap

    _roadmap, (first, second) = build_roadmap(areas=2, outputs_per_area=1)
    first.description = "What area 1 is about."
    first.save()
    second.title_fr = "Titre du domaine 2"
    second.save()
    admin_user.language = "fr"
    admin_user.save()
    client.force_login(admin_user)

    area = client.get("/roadmap/areas/1/").content.decode()
    assert '<html lang="fr"' in area
    assert '<span lang="en" dir="ltr">Area title 1</span>' in area  # no French title
    assert re.search(r'<div class="[^"]*" dir="auto" lang="en"><p>What area 1 is about', area)
    home = client.get("/").content.decode()
    assert '<span lang="en" dir="ltr">Area title 1</span>' in home
    assert "Titre du domaine 2" in home and '<span lang="en" dir="ltr">Titre' not in home
    # In English nothing is marked.
    admin_user.language = "en"
    admin_user.save()
    assert 'lang="en" dir="ltr">Area title' not in client.get("/roadmap/areas/1/").content.decode()


def test_english_fallback_is_marked_lang_en_on_an_arabic_survey_page(client, admin_user):
    from surveys.models import Question
    from tests.factories import NationalSocietyFactory
    from tests.surveys.factories import ChoiceFactory, QuestionFactory, RoundFactory, SectionFactory

    survey_round = RoundFactory()
    section = SectionFactory(questionnaire=survey_round.questionnaire, title_ar="")
    translated = QuestionFactory(section=section, label_ar="هل لديكم خطة؟")
    english = QuestionFactory(section=section, kind=Question.Kind.SINGLE, label_en="Which plan?")
    ChoiceFactory(question=english, label_en="A national plan", label_ar="")
    ChoiceFactory(question=english, label_en="A local plan", label_ar="خطة محلية")
    society = NationalSocietyFactory(name="Kenya Red Cross", name_ar="")
    admin_user.language = "ar"
    admin_user.save()
    client.force_login(admin_user)

    url = f"/surveys/rounds/{survey_round.pk}/societies/{society.pk}/"
    html = client.get(url).content.decode()
    assert '<html lang="ar"' in html
    assert f'<span lang="en" dir="ltr">{section.title_en}</span>' in html  # section title
    assert '<span lang="en" dir="ltr">Which plan?</span>' in html  # question label
    assert '<span lang="en" dir="ltr">Kenya Red Cross</span>' in html  # society name
    assert (
        translated.label_ar in html
        and f'<span lang="en" dir="ltr">{translated.label_ar}' not in html
    )
    # A choice's label (radio buttons, for a short list of choices).
    assert '<span lang="en" dir="ltr">A national plan</span>' in html
    assert (
        '<span lang="en" dir="ltr">A local plan' not in html
        and 'lang="en">A local plan' not in html
    )

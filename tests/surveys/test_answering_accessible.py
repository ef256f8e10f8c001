"""The survey form for screen readers: inputs tied to their hint, limits and error, the current
section named, and the texts that announce follow-up questions."""

import re

from django.urls import reverse


def _input(html: str, pk: int) -> str:
    return re.search(rf'<input[^>]*id="id_q_{pk}"[^>]*>', html).group(0)


def test_inputs_are_tied_to_hint_limits_and_error(
    client, focal_lebanon, survey_round, lebanon, question
):
    staff = question("staff")
    staff.help_en = "Paid staff and volunteers."
    staff.save()
    client.cookies["django_language"] = "en"
    client.force_login(focal_lebanon)
    url = reverse("surveys:response-form", args=[survey_round.pk, lebanon.pk])
    html = client.get(url, {"section": staff.section_id}).content.decode()
    field = _input(html, staff.pk)
    assert f'aria-describedby="help-{staff.pk} limits-{staff.pk} "' in field
    assert f'id="help-{staff.pk}"' in html and f'id="limits-{staff.pk}"' in html
    assert "aria-invalid" not in field
    # A question without hint or limits points at nothing.
    provides = question("provides")
    radio = re.search(rf'<input[^>]*id="id_q_{provides.pk}_1"[^>]*>', html).group(0)
    assert "aria-describedby" not in radio

    # A refused value: the error joins the description and the input is marked invalid.
    save = reverse("surveys:answer-save", args=[survey_round.pk, lebanon.pk, staff.pk])
    fragment = client.post(
        save, {f"q_{staff.pk}": "5000", f"v_{staff.pk}": "0"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    field = _input(fragment, staff.pk)
    assert f"error-{staff.pk}" in field and 'aria-invalid="true"' in field
    assert re.search(rf'id="error-{staff.pk}"[^>]*>[^<]*at most 1000', fragment)


def test_current_section_and_announcement_texts(client, focal_lebanon, survey_round, lebanon):
    client.cookies["django_language"] = "en"
    client.force_login(focal_lebanon)
    url = reverse("surveys:response-form", args=[survey_round.pk, lebanon.pk])
    html = client.get(url).content.decode()
    current = re.findall(r'<a[^>]*aria-current="page"[^>]*>([^<]*)</a>', html)
    assert current == ["Services"]  # the first section, and only it
    assert 'data-shown-text="Follow-up question shown:"' in html
    assert 'data-gone-text="Question no longer asked:"' in html


def test_a_refused_submission_is_an_error_summary_with_the_focus(
    client, focal_lebanon, survey_round, lebanon
):
    client.cookies["django_language"] = "en"
    client.force_login(focal_lebanon)
    page = client.post(reverse("surveys:response-submit", args=[survey_round.pk, lebanon.pk]))
    assert page.status_code == 422
    html = page.content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    assert title.startswith("Error:")
    summary = re.search(r'<div class="alert[^"]*"[^>]*id="submit-problems"[^>]*>', html).group(0)
    # app.js moves the focus to [data-error-summary]; role=alert reads it out at once.
    assert 'tabindex="-1"' in summary and "data-error-summary" in summary
    assert 'role="alert"' in summary
    assert html.index("<main") < html.index('id="submit-problems"')

"""Every htmx form shows its errors in place: the refused form comes back with its errors and
status 422, inside the element the form targets, and static/js/app.js swaps every 422 (htmx
alone swaps no 4xx). Any other error answer shows the page's alert."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

HTMX = {"HTTP_HX_REQUEST": "true"}
APP_JS = Path(settings.BASE_DIR) / "static" / "js" / "app.js"


def test_app_js_swaps_every_422_and_reports_other_errors():
    js = APP_JS.read_text(encoding="utf-8")
    handler = js[js.index('"htmx:beforeSwap"') :]
    handler = handler[: handler.index("});")]
    # No marker on the form is needed: every 422 answer is swapped.
    assert "status === 422" in handler and "shouldSwap = true" in handler
    assert "closest" not in handler
    assert '"htmx:responseError"' in js and "data-htmx-error" in js


def test_the_page_has_the_alert_for_other_errors(client, world):
    client.force_login(world.colead1)
    html = client.get(world.meeting.get_absolute_url()).content.decode()
    assert re.search(r'<div class="alert alert-danger"[^>]* hidden data-htmx-error>', html)


def _forms(world):
    """(form url, invalid data, the element id the form targets, an error it must show)."""
    return [
        (
            reverse("workinggroups:action-add", args=[world.meeting.pk]),
            {"description": ""},
            "action-items",
            "This field is required.",
        ),
        (
            reverse("workinggroups:milestone-add", args=[world.deliverable.pk]),
            {"title": "", "date": ""},
            "milestones",
            "This field is required.",
        ),
        (
            reverse("workinggroups:progress-add", args=[world.deliverable.pk]),
            {"date": "2023-05-01", "status": "on_track", "percent_complete": "40"},
            None,  # the form targets itself
            "This field is required.",
        ),
        (
            reverse("workinggroups:membership-add", args=[world.wg1.pk]),
            {"role": "member"},
            "members",
            "Choose an organisation, a person, or both.",
        ),
        (
            reverse("workinggroups:meeting-archive", args=[world.meeting.pk]),
            {"reason": ""},
            None,
            "This field is required.",
        ),
        (
            reverse("workinggroups:resource-restore", args=[world.resource.pk]),
            {"reason": "Back"},
            None,
            "This is not archived.",
        ),
    ]


@pytest.mark.parametrize("index", range(6))
def test_each_invalid_htmx_form_answers_422_with_its_errors(client, world, index):
    url, data, target, error = _forms(world)[index]
    client.force_login(world.colead1)
    response = client.post(url, data, **HTMX)
    html = response.content.decode()
    assert response.status_code == 422, url  # what app.js swaps
    assert "<html" not in html, url  # a fragment, not a page
    assert error in html, url
    if target:
        assert f'id="{target}"' in html, url
    else:
        assert html.lstrip().startswith("<form"), url


def test_the_blank_action_item_shows_its_error_next_to_the_field(client, world):
    client.force_login(world.colead1)
    url = reverse("workinggroups:action-add", args=[world.meeting.pk])
    html = client.post(url, {"description": ""}, **HTMX).content.decode()
    assert 'aria-invalid="true"' in html and "is-invalid" in html

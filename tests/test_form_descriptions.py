"""Every form field's error and help text are tied to it (aria-describedby, aria-invalid).

Each form page is fetched, then refused (posted with its required fields empty), as the admin;
on both, every aria-describedby names ids the page has, every aria-invalid field names its
error, and every error or help block is named by its field (tests/helpers.describedby_problems).
"""

import pytest
from django.urls import reverse

from tests.helpers import build_world, describedby_problems


def _pages(o: dict) -> list[tuple[str, dict]]:
    wg1, deliverable = o["wg1"].pk, o["deliverable"].pk
    return [
        ("reports:edition-create", {}),
        ("reports:edition-update", {"pk": o["edition"].pk}),
        ("workinggroups:deliverable-add", {"group_id": wg1}),
        ("workinggroups:deliverable-edit", {"pk": deliverable}),
        ("workinggroups:progress-add", {"pk": deliverable}),
        ("workinggroups:progress-edit", {"pk": o["deliverable_update"].pk}),
        ("workinggroups:milestone-add", {"pk": deliverable}),
        ("workinggroups:milestone-edit", {"pk": o["milestone"].pk}),
        ("workinggroups:meeting-add", {"group_id": wg1}),
        ("workinggroups:meeting-edit", {"pk": o["meeting"].pk}),
        ("workinggroups:action-add", {"pk": o["meeting"].pk}),
        ("workinggroups:workplan-add", {"group_id": wg1}),
        ("workinggroups:membership-add", {"group_id": wg1}),
        ("workinggroups:resource-add", {}),
        ("workinggroups:resource-edit", {"pk": o["resource"].pk}),
        ("workinggroups:resource-import", {}),
        ("roadmap:update-edit", {"pk": o["result_update"].pk}),
        ("roadmap:indicator-value-edit", {"pk": o["indicator_value"].pk}),
        ("roadmap:result", {"pk": o["result"].pk}),
        ("workinggroups:deliverable", {"pk": deliverable}),
        ("accounts:profile", {}),
        ("surveys:questionnaire-import", {}),
    ]


@pytest.mark.django_db
def test_every_form_ties_its_errors_and_help_to_its_fields(client):
    world = build_world()
    client.force_login(world.users["admin"])
    problems, refused = [], []
    for name, kwargs in _pages(world.objects):
        url = reverse(name, kwargs=kwargs)
        page = client.get(url)
        if page.status_code == 200:
            problems += [f"GET {name}: {p}" for p in describedby_problems(page.content.decode())]
        # Any key: a view that reads `request.POST or None` sees a bound, empty form.
        answer = client.post(
            url, {"nothing": "1"}, HTTP_HX_REQUEST="true" if name.endswith("-add") else ""
        )
        if answer.status_code in (200, 422):
            html = answer.content.decode()
            problems += [f"POST {name}: {p}" for p in describedby_problems(html)]
            if 'aria-invalid="true"' in html:
                refused.append(name)
    assert not problems, "\n".join(problems)
    # The refusals were checked with their errors shown.
    assert len(refused) >= 12, refused

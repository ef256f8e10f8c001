"""Long lists of choices are ticked, not ctrl-clicked, and work without JavaScript: the meeting
form's attendees and organisations are labelled checkbox lists marked for the filter box
(static/js/picker.js), the invitation's organisation a select marked the same way."""

import re

import pytest
from django.urls import reverse

from accounts.models import Organisation
from tests import factories as f
from workinggroups.models import Meeting

pytestmark = pytest.mark.django_db


def test_the_meeting_form_ticks_attendees_and_organisations(
    client, world, django_assert_max_num_queries
):
    for n in range(60):
        f.OrganisationFactory(name=f"Partner {n:02d}", kind="partner")
    client.force_login(world.colead1)
    url = reverse("workinggroups:meeting-add", args=[world.wg1.pk])
    with django_assert_max_num_queries(25):
        page = client.get(url).content.decode()
    lists = re.findall(r"<fieldset>\s*<legend[^>]*>([^<]+)", page)
    assert [label.strip() for label in lists] == ["Attendees", "Attending organisations"]
    assert page.count("data-filter ") == 2
    boxes = re.findall(r'<input type="checkbox" name="attending_organisations"', page)
    assert len(boxes) == Organisation.objects.active().count() >= 60
    # Each box has its own label (the list is read and ticked one by one).
    first = re.search(r'id="(id_attending_organisations_0)"', page).group(1)
    assert f'<label class="form-check-label" for="{first}">' in page
    assert "<select" not in page.split('name="attendees"')[0].rsplit("<fieldset", 1)[-1]

    partner = Organisation.objects.get(name="Partner 07")
    response = client.post(
        url,
        {
            "date": "2026-11-30",
            "kind": "monthly",
            "title": "Ticked",
            "attendees": [world.member1.pk, world.colead1.pk],
            "attending_organisations": [partner.pk],
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="Ticked")
    assert set(meeting.attendees.all()) == {world.member1, world.colead1}
    assert list(meeting.attending_organisations.all()) == [partner]
    # Edited, the ticked ones stay ticked.
    page = client.get(reverse("workinggroups:meeting-edit", args=[meeting.pk])).content.decode()
    box = re.search(
        rf'<input[^>]*value="{partner.pk}"[^>]*name="attending_organisations"'
        rf'|<input[^>]*name="attending_organisations"[^>]*value="{partner.pk}"[^>]*>',
        page,
    ).group(0)
    assert "checked" in box


def test_the_invitation_form_marks_its_organisation_list_for_the_filter(client, world):
    client.force_login(world.colead1)
    page = client.get(reverse("workinggroups:invitations", args=[world.wg1.pk])).content.decode()
    select = re.search(r'<select name="organisation"[^>]*>', page).group(0)
    assert 'data-filter=""' in select and 'data-filter-label="Filter"' in select

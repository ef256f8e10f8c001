"""Working-group details, edited in the app: co-leads of the group (or of its parent group) and
admins change its name, short name and description in each language, with a reason kept in
the history; everybody else is refused and nothing changes."""

import pytest
from django.urls import reverse

from core.concurrency import version_token
from tests.workinggroups import factories as wf
from workinggroups.models import WorkingGroup

pytestmark = pytest.mark.django_db


def _data(group, **changes) -> dict:
    fresh = WorkingGroup.objects.get(pk=group.pk)
    data = {
        "name": fresh.name,
        "short_name": fresh.short_name,
        "description": fresh.description,
        "reason": "Clearer wording",
        "version": version_token(fresh),
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("role", ["admin", "colead1"])
def test_co_leads_and_admins_edit_the_details_with_a_reason_in_the_history(client, world, role):
    user = getattr(world, role)
    client.force_login(user)
    page = client.get(world.wg1.get_absolute_url()).content.decode()
    url = reverse("workinggroups:group-edit", args=[world.wg1.pk])
    assert f'href="{url}"' in page  # the group page offers the edit
    form = client.get(url)
    assert form.status_code == 200 and "name_fr" in form.context["form"].fields
    response = client.post(
        url,
        _data(
            world.wg1,
            name="Basic psychosocial support",
            short_name="PSS",
            description="What we do.",
            description_fr="Ce que nous faisons.",
            name_ar="الدعم النفسي",
        ),
    )
    assert response.status_code == 302 and response["Location"] == world.wg1.get_absolute_url()
    group = WorkingGroup.objects.get(pk=world.wg1.pk)
    assert (group.name, group.short_name, group.description) == (
        "Basic psychosocial support",
        "PSS",
        "What we do.",
    )
    assert (group.description_fr, group.name_ar) == ("Ce que nous faisons.", "الدعم النفسي")
    record = group.history.first()
    assert record.history_user == user
    assert record.history_change_reason == "Clearer wording"
    assert "What we do." in client.get(group.get_absolute_url()).content.decode()


@pytest.mark.parametrize("role", ["member1", "colead4", "reader", "focal"])
def test_everybody_else_is_refused_and_nothing_changes(client, world, role):
    client.force_login(getattr(world, role))
    url = reverse("workinggroups:group-edit", args=[world.wg1.pk])
    assert url not in client.get(world.wg1.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 403
    assert client.post(url, _data(world.wg1, name="Taken over")).status_code == 403
    assert WorkingGroup.objects.get(pk=world.wg1.pk).name == "Basic PSS"


def test_anonymous_people_are_sent_to_sign_in(client, world):
    url = reverse("workinggroups:group-edit", args=[world.wg1.pk])
    response = client.post(url, _data(world.wg1, name="Taken over"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert WorkingGroup.objects.get(pk=world.wg1.pk).name == "Basic PSS"


def test_a_missing_reason_or_a_control_character_is_refused_with_a_message(client, world):
    client.force_login(world.colead1)
    url = reverse("workinggroups:group-edit", args=[world.wg1.pk])
    response = client.post(url, _data(world.wg1, name="Renamed", reason=""))
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    response = client.post(url, _data(world.wg1, name="Bad\x02name"))
    assert response.status_code == 200
    assert "U+0002" in response.content.decode()
    response = client.post(url, _data(world.wg1, name="x" * 301))
    assert response.status_code == 200
    assert "300" in response.content.decode()
    group = WorkingGroup.objects.get(pk=world.wg1.pk)
    assert group.name == "Basic PSS" and group.history.count() == 1


def test_parent_co_leads_edit_a_subgroup_whose_name_stays_unique(client, world):
    sub = wf.WorkingGroupFactory(
        roadmap=world.roadmap, number=world.wg1.number, parent=world.wg1, name="Youth"
    )
    wf.WorkingGroupFactory(
        roadmap=world.roadmap, number=world.wg1.number, parent=world.wg1, name="Schools"
    )
    client.force_login(world.colead1)
    url = reverse("workinggroups:group-edit", args=[sub.pk])
    response = client.post(url, _data(sub, name="Schools"))
    assert response.status_code == 200
    assert "Another subgroup of this group already has this name." in response.content.decode()
    assert WorkingGroup.objects.get(pk=sub.pk).name == "Youth"
    response = client.post(url, _data(sub, name="Young people"))
    assert response.status_code == 302 and response["Location"] == sub.get_absolute_url()
    assert WorkingGroup.objects.get(pk=sub.pk).name == "Young people"
    client.force_login(world.colead4)
    assert client.post(url, _data(sub, name="Taken")).status_code == 403

"""Every roadmap page for every role: who may read, who may change, and nothing changes otherwise."""

import pytest
from django.urls import reverse

from roadmap.models import PublicSummary
from tests import factories

ROLES = ["anonymous", "admin", "reader", "staff", "focal"]


@pytest.fixture
def people(admin_user, reader, staff, focal_kenya):
    return {"admin": admin_user, "reader": reader, "staff": staff, "focal": focal_kenya}


@pytest.fixture
def world(area, output, outcome, indicator, indicator_value, update):
    return {
        "area": area,
        "output": output,
        "outcome": outcome,
        "indicator": indicator,
        "value": indicator_value,
        "update": update,
    }


def _login(client, people, role):
    if role != "anonymous":
        client.force_login(people[role])
    return client


def _url(name, world):
    args = {
        "home": [],
        "roadmap:area": [world["area"].number],
        "roadmap:result": [world["output"].pk],
        "roadmap:update-edit": [world["update"].pk],
        "roadmap:indicator": [world["indicator"].pk],
        "roadmap:indicator-value-edit": [world["value"].pk],
    }[name]
    return reverse(name, args=args)


# Statuses of every page for every role, and that forbidden requests change nothing, are in
# tests/test_access_table.py; here what the pages show each role.


@pytest.mark.parametrize("role", ROLES)
def test_result_page_shows_form_only_to_those_who_may_post(client, people, world, role):
    response = _login(client, people, role).get(_url("roadmap:result", world))
    if role == "anonymous":
        return
    html = response.content.decode()
    assert world["update"].narrative in html
    assert ("Post update" in html) is (role == "admin")
    assert ("Correct" in html) is (role == "admin")


@pytest.mark.parametrize("role", ROLES)
def test_public_summary_404_until_published(client, people, world, role):
    url = reverse("public-summary")
    assert _login(client, people, role).get(url).status_code == 404
    summary = PublicSummary.objects.create(roadmap=world["area"].roadmap, is_published=False)
    assert client.get(url).status_code == 404
    if role == "anonymous":
        assert "Public summary" not in client.get(reverse("accounts:login")).content.decode()
    summary.is_published = True
    summary.save()
    if role == "anonymous":
        assert "Public summary" in client.get(reverse("accounts:login")).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    # Indicators and statuses, never internal narratives or evidence.
    assert world["indicator"].name in html
    assert world["update"].narrative not in html
    assert "evidence" not in html.lower()


@pytest.mark.parametrize("role", ROLES)
def test_evidence_download_each_role(client, people, world, role, admin_user):
    from roadmap import services
    from tests.roadmap.conftest import pdf_file

    evidence = services.evidence_add(
        update=world["update"], added_by=admin_user, title="Report", file=pdf_file()
    )
    response = _login(client, people, role).get(
        reverse("roadmap:evidence-download", args=[evidence.pk])
    )
    assert response.status_code == (302 if role == "anonymous" else 200)


def test_unknown_objects_are_404(client, admin_user, world):
    client.force_login(admin_user)
    for name, args in [
        ("roadmap:area", [99]),
        ("roadmap:result", [9999]),
        ("roadmap:update-edit", [9999]),
        ("roadmap:indicator", [9999]),
        ("roadmap:indicator-value-edit", [9999]),
        ("roadmap:evidence-download", [9999]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name


def test_area_of_another_roadmap_is_not_shown(client, admin_user, world):
    other = factories.AreaFactory(number=7)
    client.force_login(admin_user)
    assert client.get(reverse("roadmap:area", args=[other.number])).status_code == 404

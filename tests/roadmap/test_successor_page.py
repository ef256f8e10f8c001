"""The page an admin starts the next roadmap on: choose, preview (nothing written), create."""

import pytest
from django.urls import reverse

from roadmap.models import Indicator, Roadmap
from tests import factories
from tests.conftest import client_for
from tests.workinggroups.factories import CoLeadFactory, WorkingGroupFactory
from workinggroups.models import WorkingGroup


@pytest.fixture
def first(db):
    roadmap = factories.RoadmapFactory(name="Roadmap 2020–2023", is_current=True)
    a1 = factories.AreaFactory(roadmap=roadmap, number=1, title="Basic support")
    a2 = factories.AreaFactory(roadmap=roadmap, number=2, title="Focal points")
    out = factories.OutputFactory(area=a1, code="1.1")
    keep = factories.IndicatorFactory(area=a1, code="PFA", result=out)
    factories.IndicatorValueFactory(indicator=keep, year=2023, value=71, source="Endline 2023")
    drop = factories.IndicatorFactory(area=a1, code="RFL")
    wg1 = WorkingGroupFactory(roadmap=roadmap, number=1, name="Basic support group")
    wg1.areas.set([a1])
    CoLeadFactory(working_group=wg1)
    wg2 = WorkingGroupFactory(roadmap=roadmap, number=2, name="Research group")
    return {"roadmap": roadmap, "a1": a1, "a2": a2, "out": out, "keep": keep, "drop": drop,
            "wg1": wg1, "wg2": wg2}  # fmt: skip


def _data(first, **extra):
    data = {
        "name": "Roadmap 2024–2027",
        "start_year": "2024",
        "end_year": "2027",
        "areas": [first["a1"].pk],
        "results": [first["out"].pk],
        "indicators": [first["keep"].pk],
        "new_areas": "Volunteers' wellbeing",
        f"groups_{first['wg1'].pk}": "carry",
        f"groups_{first['wg2'].pk}": "close",
    }
    data.update(extra)
    return data


def _url(first):
    return reverse("roadmap:successor", args=[first["roadmap"].pk])


@pytest.mark.parametrize("who", ["reader", "staff", "focal_kenya"])
def test_only_admins_start_a_successor(first, client, request, who):
    person = request.getfixturevalue(who)
    c = client_for(client, person)
    assert c.get(_url(first)).status_code == 403
    assert c.post(_url(first), {**_data(first), "confirm": "1"}).status_code == 403
    assert Roadmap.objects.count() == 1


def test_the_form_starts_with_everything_ticked(first, client, admin_user):
    page = client_for(client, admin_user).get(_url(first)).content.decode()
    assert "Start the roadmap after Roadmap 2020–2023" in page
    assert page.count('type="checkbox"') == page.count("checked") - 2  # and two radios
    assert page.count('type="checkbox"') == 2 + 1 + 2  # areas, results, indicators
    assert "Basic support group" in page and "Research group" in page


def test_the_preview_writes_nothing_then_create_does(first, client, admin_user):
    c = client_for(client, admin_user)
    response = c.post(_url(first), {**_data(first), "preview": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Preview: what will be created" in page
    assert "Endline 2023" in page and "last value of the roadmap before" in page
    assert "RFL" in page.split("Retired")[1]  # the unticked indicator of a carried area
    assert "Research group" in page.split("Working groups")[-1]
    assert Roadmap.objects.count() == 1

    response = c.post(_url(first), {**_data(first), "confirm": "1"})
    successor = Roadmap.objects.get(name="Roadmap 2024–2027")
    assert response.status_code == 302
    assert response["Location"] == f"/?roadmap={successor.pk}"
    assert successor.is_current and successor.follows == first["roadmap"]
    assert [a.title for a in successor.areas.order_by("number")] == [
        "Basic support",
        "Volunteers' wellbeing",
    ]
    assert list(
        Indicator.objects.filter(area__roadmap=successor).values_list("code", flat=True)
    ) == ["PFA"]
    assert WorkingGroup.objects.filter(roadmap=successor).count() == 1


def test_mistakes_are_said_and_nothing_is_written(first, client, admin_user):
    c = client_for(client, admin_user)
    data = _data(first, results=[first["out"].pk], areas=[first["a2"].pk], end_year="2022")
    data.pop(f"groups_{first['wg2'].pk}")
    response = c.post(_url(first), {**data, "confirm": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The new roadmap cannot be created yet" in page
    assert "Result 1.1 belongs to area 1, which is not carried over." in page
    assert "The last year cannot come before the first year." in page
    assert "Say whether WG2: Research group carries over or closes." in page
    assert Roadmap.objects.count() == 1


def test_a_name_taken_is_refused(first, client, admin_user):
    c = client_for(client, admin_user)
    response = c.post(_url(first), {**_data(first, name="roadmap 2020–2023"), "confirm": "1"})
    assert "A roadmap with this name exists already." in response.content.decode()
    assert Roadmap.objects.count() == 1


def test_an_unknown_roadmap_is_404(db, client, admin_user):
    assert client_for(client, admin_user).get("/roadmap/999/successor/").status_code == 404

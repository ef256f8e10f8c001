"""Choosing the roadmap a page shows (issue #21): ``?roadmap=``, remembered, current by default;
every roadmap and working-group page for both roadmaps and every role; queries that do not
grow with the number of roadmaps."""

import pytest
from django.urls import reverse

from roadmap import services
from tests import factories
from tests.conftest import client_for
from tests.workinggroups.factories import CoLeadFactory, WorkingGroupFactory


@pytest.fixture
def two(db):
    first = factories.RoadmapFactory(name="Roadmap 2020–2023", is_current=True)
    for number in (1, 2):
        area = factories.AreaFactory(roadmap=first, number=number, title=f"First area {number}")
        factories.OutputFactory(area=area, code=f"{number}.1")
        factories.IndicatorFactory(area=area, code=f"IND{number}")
    wg1 = WorkingGroupFactory(roadmap=first, number=1, name="Support group")
    wg1.areas.set(first.areas.all())
    CoLeadFactory(working_group=wg1)
    second = services.roadmap_create_successor(
        source=first,
        name="Roadmap 2024–2027",
        start_year=2024,
        end_year=2027,
        areas=[first.areas.get(number=1)],
        new_areas=["A new area"],
        groups={wg1.pk: "carry"},
    )
    return {"first": first, "second": second, "wg1": wg1}


def test_the_current_roadmap_is_the_default_and_the_switcher_lists_both(two, client, reader):
    c = client_for(client, reader)
    page = c.get(reverse("home")).content.decode()
    assert "A new area" in page and "First area 2" not in page
    assert 'name="roadmap"' in page  # the switcher
    assert "Roadmap 2020–2023" in page and "not the current roadmap" not in page


def test_a_roadmap_chosen_is_shown_and_remembered(two, client, reader):
    c = client_for(client, reader)
    page = c.get(reverse("home"), {"roadmap": two["first"].pk}).content.decode()
    assert "First area 2" in page and "A new area" not in page
    assert "You are looking at Roadmap 2020–2023, not the current roadmap." in page
    # Remembered: the next pages show the first roadmap too, until another is chosen.
    assert "First area 2" in c.get(reverse("roadmap:area", args=[2])).content.decode()
    groups = c.get(reverse("workinggroups:list")).content.decode()
    assert "Roadmap 2020–2023" in groups.split("</h1>")[0]
    c.get(reverse("home"), {"roadmap": two["second"].pk})
    assert c.get(reverse("roadmap:area", args=[2])).status_code == 200  # the new area 2
    assert "A new area" in c.get(reverse("roadmap:area", args=[2])).content.decode()


@pytest.mark.parametrize("value", ["999999", "x1", "1" * 30])
def test_an_unknown_roadmap_is_404(two, client, reader, value):
    assert client_for(client, reader).get(reverse("home"), {"roadmap": value}).status_code == 404


def test_a_single_roadmap_shows_no_switcher(db, client, reader):
    factories.AreaFactory(roadmap=factories.RoadmapFactory(is_current=True), number=1)
    assert 'name="roadmap"' not in client_for(client, reader).get(reverse("home")).content.decode()


PAGES = [
    ("home", []),
    ("roadmap:area", [1]),
    ("workinggroups:list", []),
    ("workinggroups:detail", [1]),
    ("reports:group-sheet", [1]),
]


@pytest.mark.parametrize("url_name,args", PAGES)
@pytest.mark.parametrize("which", ["first", "second"])
@pytest.mark.parametrize("who", ["admin_user", "reader", "staff", "focal_kenya"])
def test_every_page_for_both_roadmaps_and_every_role(
    two, client, request, url_name, args, which, who
):
    """Every signed-in person reads every roadmap (docs/permissions.md): 200 for both."""
    c = client_for(client, request.getfixturevalue(who))
    response = c.get(reverse(url_name, args=args), {"roadmap": two[which].pk})
    assert response.status_code == 200
    if url_name == "workinggroups:detail":
        assert two[which].display_name in response.content.decode()


def test_a_carried_group_links_to_the_roadmap_before(two, client, reader):
    c = client_for(client, reader)
    new = c.get(reverse("workinggroups:detail", args=[1]), {"roadmap": two["second"].pk})
    page = new.content.decode()
    assert "carried over from" in page
    assert f"/working-groups/1/?roadmap={two['first'].pk}" in page


@pytest.mark.parametrize("url_name,args", PAGES[:4])
def test_queries_do_not_grow_with_the_number_of_roadmaps(
    two, client, reader, django_assert_max_num_queries, url_name, args
):
    c = client_for(client, reader)
    url = reverse(url_name, args=args)
    c.get(url, {"roadmap": two["second"].pk})  # sessions and caches warmed

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert c.get(url).status_code == 200
    source = two["second"]
    for year in (2028, 2032, 2036):
        source = services.roadmap_create_successor(
            source=source,
            name=f"Roadmap {year}",
            start_year=year,
            end_year=year + 3,
            groups={g.pk: "carry" for g in source.working_groups.filter(parent=None)},
            make_current=False,
        )
    with django_assert_max_num_queries(len(few)):
        assert c.get(url).status_code == 200

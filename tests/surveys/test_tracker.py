"""The response tracker: totals for every region, one region's societies at a time, a search.

The figures equal those of `surveys.selectors.tracker` (all societies with their rows, which the
report uses); the page only lists fewer rows at once.
"""

import re

import pytest
from django.urls import reverse

from accounts.models import Region
from surveys import selectors
from surveys.models import Response
from tests import factories


@pytest.fixture(autouse=True)
def english_interface(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def spread(survey_round, question):
    """Societies in four regions in every state: submitted (with and without answers), in
    progress with answers, opened but empty (not started), never opened; plus an inactive
    society and another round's response, both left out."""
    states = ["submitted", "submitted-empty", "in_progress", "in_progress-empty", None]
    regions = ["africa", "americas", "mena", "europe_central_asia"]
    for i in range(20):
        society = factories.NationalSocietyFactory(
            name=f"Society {i:02d} {regions[i % 4]}", region=regions[i % 4]
        )
        state = states[i % 5]
        if state is None:
            continue
        response = Response.objects.create(
            round=survey_round, society=society, state=state.split("-")[0]
        )
        if not state.endswith("-empty"):
            response.answers.create(question=question("provides"), value="yes")
            response.answers.create(question=question("staff"), value=str(i))
    factories.NationalSocietyFactory(name="Dormant society", region="africa", is_active=False)
    other = factories.NationalSocietyFactory(name="Other round only", region="mena")
    from tests.surveys.factories import RoundFactory

    other_round = RoundFactory(questionnaire=survey_round.questionnaire, name="Other")
    Response.objects.create(round=other_round, society=other, state="submitted")
    return survey_round


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr><td><a href="[^"]+"><bdi>([^<]+)</bdi></a>', html)


def test_summary_equals_the_full_tracker(spread):
    full = selectors.tracker(spread)
    summary = selectors.tracker_summary(spread)
    assert summary["totals"] == full["totals"]
    assert [
        (r["code"], r["societies"], r["submitted"], r["in_progress"], r["rate"])
        for r in summary["regions"]
    ] == [
        (r["code"], len(r["rows"]), r["submitted"], r["in_progress"], r["rate"])
        for r in full["regions"]
    ]
    rows = selectors.tracker_rows(spread)
    for region in full["regions"]:
        assert [
            (r["id"], r["status"], r["share"], r["last_activity_at"]) for r in rows[region["code"]]
        ] == [
            (
                r["society"].pk,
                r["status"],
                r["share"],
                r["response"].last_activity_at if r["response"] else None,
            )
            for r in region["rows"]
        ]


def test_default_view_lists_the_first_region_and_tabs_for_all(client, admin_user, spread):
    client.force_login(admin_user)
    html = client.get(reverse("surveys:round-tracker", args=[spread.pk])).content.decode()
    names = _rows(html)
    assert names and all(name.endswith("africa") for name in names)
    assert len(names) == 5
    # A tab per region with societies, with its rate, and one for all regions.
    for code in ("africa", "americas", "mena", "europe_central_asia"):
        assert f'href="?region={code}"' in html
    assert 'href="?region=asia_pacific"' not in html  # no society there
    assert 'href="?region=all"' in html
    assert str(dict(Region.choices)["mena"]) in html
    assert 'aria-current="page" href="?region=africa"' in html
    # Totals of every region, not only the one shown.
    assert "8 of 21 National Societies submitted (38%); 4 in progress; 9 not started." in html


def test_a_region_and_all_regions(client, reader, spread):
    client.force_login(reader)
    url = reverse("surveys:round-tracker", args=[spread.pk])
    mena = _rows(client.get(url, {"region": "mena"}).content.decode())
    # Five societies of the spread, and one that answered another round only (not started).
    assert len(mena) == 6 and "Other round only" in mena
    assert all(name.endswith("mena") for name in mena if name.startswith("Society"))
    everything = _rows(client.get(url, {"region": "all"}).content.decode())
    assert len(everything) == 21 and "Dormant society" not in everything
    # An unknown region falls back to the first one.
    assert _rows(client.get(url, {"region": "atlantis"}).content.decode()) == _rows(
        client.get(url).content.decode()
    )


def test_search_finds_a_society_in_any_region(client, admin_user, spread):
    client.force_login(admin_user)
    url = reverse("surveys:round-tracker", args=[spread.pk])
    html = client.get(url, {"q": "  society 06  "}).content.decode()
    assert _rows(html) == ["Society 06 mena"]
    assert 'value="society 06"' in html
    assert 'aria-current="page" href="?region=' not in html  # no current tab in a search
    html = client.get(url, {"q": "nowhere"}).content.decode()
    assert _rows(html) == [] and "No National Society matches." in html


def test_rows_link_to_the_society_response(client, admin_user, spread):
    client.force_login(admin_user)
    html = client.get(
        reverse("surveys:round-tracker", args=[spread.pk]), {"region": "americas"}
    ).content.decode()
    society = Response.objects.filter(round=spread, society__region="americas").first().society
    link = reverse("surveys:response-form", args=[spread.pk, society.pk])
    assert f'<a href="{link}"><bdi>{society.name}</bdi></a>' in html


@pytest.mark.parametrize("params", [{}, {"region": "all"}, {"q": "Society"}])
def test_tracker_queries_are_fixed_in_every_view(
    client, admin_user, spread, django_assert_num_queries, params
):
    client.force_login(admin_user)
    # session + user, round, totals per region, question count, the rows counted for the
    # pages, the page's rows; the session save (3).
    with django_assert_num_queries(10):
        client.get(reverse("surveys:round-tracker", args=[spread.pk]), params)


def test_all_regions_in_pages_region_by_region(client, admin_user, spread, monkeypatch):
    """Pages of the sequence every region in the tabs' order, by name within each: together
    they are the rows of the full list, once each, and each page's links keep the filters."""
    from surveys import views_rounds

    monkeypatch.setattr(views_rounds, "TRACKER_PAGE_SIZE", 4)
    client.force_login(admin_user)
    url = reverse("surveys:round-tracker", args=[spread.pk])
    first = client.get(url, {"region": "all"}).content.decode()
    assert "Page 1 of 6" in first and 'href="?region=all&amp;page=2"' in first
    pages = [_rows(first)] + [
        _rows(client.get(url, {"region": "all", "page": n}).content.decode()) for n in range(2, 7)
    ]
    assert [len(p) for p in pages] == [4, 4, 4, 4, 4, 1]
    full = selectors.tracker(spread)
    assert [name for p in pages for name in p] == [
        row["society"].name for region in full["regions"] for row in region["rows"]
    ]
    # A page starting in the middle of a region still says which region its rows are in.
    second = client.get(url, {"region": "all", "page": 2}).content.decode()
    assert second.count('<h2 class="h5 mt-4">') == 2
    # A status filter pages the same way, over the societies of that status only.
    html = client.get(url, {"region": "all", "status": "not_started"}).content.decode()
    assert "Page 1 of 3" in html and "status=not_started&amp;page=2" in html

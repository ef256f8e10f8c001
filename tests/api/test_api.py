"""The read-only API: figures equal to the pages', a token's owner's permissions, 401s, ETags."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import ApiRequest, ApiToken
from api.services import token_revoke
from tests.api.conftest import basic, bearer

pytestmark = pytest.mark.django_db


def test_areas_json_equals_the_at_a_glance_page(client, world, token_for):
    secret = token_for(world["reader"])
    day = datetime.date.today().isoformat()
    client.force_login(world["reader"])
    page = client.get(reverse("home"), {"as_of": day})
    client.logout()
    api = client.get(reverse("api:area_list"), {"as_of": day}, **bearer(secret))
    assert api.status_code == 200
    data = api.json()
    summaries = page.context["summaries"]
    assert [a["number"] for a in data] == [s.area.number for s in summaries]
    for area, summary in zip(data, summaries, strict=True):
        assert area["status"] == summary.status
        assert area["as_of"] == day
        assert [(g["status"], g["count"], g["percent"]) for g in area["segments"]] == [
            (s.status, s.count, s.percent) for s in summary.segments
        ]
        assert [i["latest"]["value"] for i in area["indicators"]] == [
            float(i.latest.value) for i in summary.indicators
        ]
    # The rendered page carries the same status label.
    assert data[0]["status_label"] in page.content.decode()
    assert data[0]["status"] == "on_track"


def test_basic_auth_with_the_token_as_password(client, world, token_for):
    secret = token_for(world["reader"])
    answer = client.get(reverse("api:roadmap_list"), **basic(secret))
    assert answer.status_code == 200
    assert answer.json()["items"][0]["name"] == "Roadmap 2020-2023"


@pytest.mark.parametrize("header", [None, "Bearer nope", "Basic !!!", "Token x"])
def test_no_or_a_wrong_token_is_401(client, world, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    assert client.get(reverse("api:area_list"), **extra).status_code == 401


def test_a_session_alone_does_not_open_the_api(client, world):
    client.force_login(world["admin"])
    assert client.get(reverse("api:area_list")).status_code == 401


def test_revoked_and_expired_tokens_get_401(client, world, token_for):
    secret = token_for(world["reader"])
    url = reverse("api:area_list")
    assert client.get(url, **bearer(secret)).status_code == 200
    token_revoke(token=ApiToken.objects.get(user=world["reader"]), by=world["admin"])
    assert client.get(url, **bearer(secret)).status_code == 401
    expired = token_for(world["reader"])
    ApiToken.objects.filter(revoked_at__isnull=True).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get(url, **bearer(expired)).status_code == 401


def test_focal_point_sees_own_response_and_404_elsewhere(client, world, token_for):
    secret = token_for(world["focal_kenya"])
    own = reverse("api:society_response", args=[world["round"].pk, world["kenya"].pk])
    other = reverse("api:society_response", args=[world["round"].pk, world["lebanon"].pk])
    answer = client.get(own, **bearer(secret))
    assert answer.status_code == 200
    assert answer.json()["society_name"] == "Kenya Red Cross"
    assert client.get(other, **bearer(secret)).status_code == 404
    # Admin-only (admins and readers) endpoints: 404 for a focal point, as on the pages.
    results = reverse("api:round_results", args=[world["round"].pk])
    assert client.get(results, **bearer(secret)).status_code == 404
    reader = token_for(world["reader"])
    assert client.get(results, **bearer(reader)).status_code == 200
    assert client.get(other, **bearer(reader)).status_code == 200


def test_round_results_are_the_results_pages(client, world, token_for):
    from surveys import selectors

    secret = token_for(world["admin"])
    data = client.get(
        reverse("api:round_results", args=[world["round"].pk]), **bearer(secret)
    ).json()
    page = selectors.results(world["round"])
    assert [q["question"] for q in data["questions"]] == [
        q["question"].name for q in page["questions"]
    ]
    assert [q["answered"] for q in data["questions"]] == [q["answered"] for q in page["questions"]]


def test_conditional_get_answers_304(client, world, token_for):
    secret = token_for(world["reader"])
    url = reverse("api:indicator_list")
    first = client.get(url, **bearer(secret))
    assert first.status_code == 200
    etag = first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag, **bearer(secret))
    assert again.status_code == 304
    assert again.content == b""


def test_every_request_is_logged_with_its_token(client, world, token_for):
    secret = token_for(world["reader"])
    client.get(reverse("api:roadmap_list"), **bearer(secret))
    client.get(reverse("api:round_results", args=[999_999]), **bearer(secret))
    log = list(ApiRequest.objects.order_by("pk").values_list("token__name", "path", "status"))
    assert log == [
        ("Dashboard", "/api/v1/roadmaps", 200),
        ("Dashboard", "/api/v1/survey-rounds/999999/results", 404),
    ]
    assert ApiToken.objects.get().last_used_at is not None


def test_rate_limit_per_token(client, world, token_for, settings):
    from django.core.cache import cache

    cache.clear()
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": (2, 600)}
    secret = token_for(world["reader"])
    other = token_for(world["admin"])
    url = reverse("api:roadmap_list")
    assert [client.get(url, **bearer(secret)).status_code for _ in range(3)] == [200, 200, 429]
    assert client.get(url, **bearer(other)).status_code == 200


def test_pagination_and_area_filter(client, world, token_for):
    from tests import factories

    for n in range(3):
        factories.IndicatorFactory(area=world["area"], code=f"X{n}")
    secret = token_for(world["reader"])
    url = reverse("api:indicator_list")
    page = client.get(url, {"limit": 2, "offset": 0, "area": 1}, **bearer(secret)).json()
    assert page["count"] == 4
    assert len(page["items"]) == 2
    assert client.get(url, {"area": 2}, **bearer(secret)).json()["count"] == 0


def test_bad_as_of_is_a_clear_422(client, world, token_for):
    secret = token_for(world["reader"])
    answer = client.get(reverse("api:area_list"), {"as_of": "yesterday"}, **bearer(secret))
    assert answer.status_code == 422


def test_api_lists_are_bounded_in_queries(client, world, token_for, django_assert_max_num_queries):
    from tests import factories

    for n in range(2, 8):
        area = factories.AreaFactory(roadmap=world["roadmap"], number=n)
        for _ in range(3):
            out = factories.OutputFactory(area=area)
            factories.ProgressUpdateFactory(subject=out)
            ind = factories.IndicatorFactory(area=area)
            factories.IndicatorValueFactory(indicator=ind, year=2021)
    secret = token_for(world["reader"])
    for name in ("api:area_list", "api:indicator_list", "api:roadmap_list", "api:group_list"):
        with django_assert_max_num_queries(12):
            assert client.get(reverse(name), **bearer(secret)).status_code == 200


def test_a_huge_page_size_is_a_422_not_a_500(client, world, token_for):
    # Found by the schemathesis fuzz: an unbounded limit overflowed SQLite's integer.
    secret = token_for(world["reader"])
    url = reverse("api:roadmap_list")
    assert client.get(url, {"limit": 2**63}, **bearer(secret)).status_code == 422
    assert client.get(url, {"limit": 1000}, **bearer(secret)).status_code == 200

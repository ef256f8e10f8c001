"""Survey → indicators is reviewed, never silent: proposals, coverage, provisional, publish/discard."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from roadmap import figures
from roadmap.models import IndicatorValue
from surveys import services
from surveys.models import Response
from tests import factories

AS_OF = datetime.date(2023, 12, 31)
SESSION_SAVE = 3


def _respond(survey_round, society, values, question, state="submitted"):
    response = Response.objects.create(round=survey_round, society=society, state=state)
    for name, value in values.items():
        response.answers.create(question=question(name), value=value)
    return response


@pytest.fixture
def linked(question):
    """PSS-PROVIDE on the yes/no "provides"; PFA on the "pfa" choice of "services"."""
    area = factories.AreaFactory(roadmap=factories.RoadmapFactory(is_current=True), number=1)
    provide = factories.IndicatorFactory(area=area, code="PSS-PROVIDE")
    pfa = factories.IndicatorFactory(area=area, code="PFA")
    q = question("provides")
    q.indicator = provide
    q.save()
    choice = question("services").choices.get(name="pfa")
    choice.indicator = pfa
    choice.save()
    return {"provide": provide, "pfa": pfa}


@pytest.fixture
def answered(survey_round, question, kenya, lebanon, linked):
    """Three submitted responses of four invited societies (75%), one in progress."""
    _respond(survey_round, kenya, {"provides": "yes", "services": "pfa rfl"}, question)
    _respond(survey_round, lebanon, {"provides": "yes", "services": "rfl"}, question)
    # Does not provide services: its kept "pfa" answer is not asked, so counted nowhere.
    third = factories.NationalSocietyFactory(name="Third", region="americas")
    _respond(survey_round, third, {"provides": "no", "services": "pfa"}, question)
    fourth = factories.NationalSocietyFactory(name="Fourth", region="americas")
    _respond(survey_round, fourth, {"provides": "yes"}, question, state="in_progress")
    return linked


def test_compute_proposes_values_with_their_base_and_coverage(survey_round, answered, admin_user):
    proposed = services.indicators_compute(survey_round=survey_round, by=admin_user)
    values = {v.indicator.code: v for v in proposed}
    provide, pfa = values["PSS-PROVIDE"], values["PFA"]
    assert (provide.value, provide.numerator, provide.denominator) == (Decimal("66.67"), 2, 3)
    # The results page's base: 1 of the 2 societies asked which services (not the third).
    assert (pfa.value, pfa.numerator, pfa.denominator) == (Decimal("50.00"), 1, 2)
    for v in (provide, pfa):
        assert v.status == IndicatorValue.Status.PROPOSED and v.is_computed
        assert (v.year, v.source, v.responses, v.invited) == (2023, "Endline 2023", 3, 4)
        assert v.coverage_by_region["americas"] == {"submitted": 1, "invited": 2}
        assert v.coverage_by_region["mena"] == {"submitted": 1, "invited": 1}
        assert not v.is_provisional  # 75% of invited societies responded
    # Proposed values count nowhere.
    assert figures.latest_values(answered.values(), AS_OF) == {
        answered["provide"].pk: None,
        answered["pfa"].pk: None,
    }
    # Idempotent: a second computation updates the open proposals.
    services.indicators_compute(survey_round=survey_round)
    assert IndicatorValue.objects.count() == 2


def test_results_page_and_proposal_state_the_same_base(client, admin_user, survey_round, answered):
    services.indicators_compute(survey_round=survey_round)
    client.force_login(admin_user)
    results = client.get(reverse("surveys:round-results", args=[survey_round.pk])).content
    section = results.decode().split('id="result-services"')[1].split("</section>")[0]
    assert "answered by 2 of 2 submitted responses" in section and "50%" in section
    page = client.get(reverse("surveys:round-proposals", args=[survey_round.pk])).content.decode()
    assert "1 of 2 answers to the question" in page and "(50%)" in page
    assert "Coverage: 3 of 4 invited societies responded" in page and "(75%)" in page
    assert "Middle East and North Africa" in page


def test_low_coverage_is_provisional_everywhere(
    client, reader, admin_user, survey_round, answered, settings
):
    settings.INDICATOR_COVERAGE_THRESHOLD = 0.8  # 75% is below
    services.indicators_compute(survey_round=survey_round)
    pfa = IndicatorValue.objects.get(indicator=answered["pfa"])
    assert pfa.is_provisional
    client.force_login(admin_user)
    page = client.get(reverse("surveys:round-proposals", args=[survey_round.pk])).content.decode()
    assert "Below the 80% threshold: provisional." in page
    client.post(
        reverse("surveys:proposal-review", args=[survey_round.pk, pfa.pk]),
        {f"p{pfa.pk}-decision": "publish"},
    )
    client.force_login(reader)
    for url in (
        reverse("home"),
        reverse("roadmap:indicator", args=[pfa.indicator_id]),
        reverse("roadmap:area", args=[pfa.indicator.area.number]),
    ):
        html = client.get(url).content.decode()
        assert "50%" in html and "indicator-provisional" in html, url


def test_publishing_never_silently_replaces_a_typed_in_value(
    client, admin_user, survey_round, answered
):
    typed = factories.IndicatorValueFactory(
        indicator=answered["pfa"], year=2023, value=79, source="2023 endline report"
    )
    services.indicators_compute(survey_round=survey_round)
    proposal = IndicatorValue.objects.proposed().get(indicator=answered["pfa"])
    client.force_login(admin_user)
    url = reverse("surveys:proposal-review", args=[survey_round.pk, proposal.pk])
    page = client.get(reverse("surveys:round-proposals", args=[survey_round.pk])).content.decode()
    assert "A typed-in value already counts for 2023" in page
    assert "Keep the typed-in value" in page

    # Publishing as if there were none is refused; replacing needs a reason.
    response = client.post(url, {f"p{proposal.pk}-decision": "publish"})
    assert (
        response.status_code == 422
        and "A typed-in value exists for 2023" in response.content.decode()
    )
    response = client.post(url, {f"p{proposal.pk}-decision": "replace"})
    assert response.status_code == 422
    assert "Say why the computed value replaces the typed-in one." in response.content.decode()
    assert figures.latest_values([answered["pfa"]], AS_OF)[answered["pfa"].pk] == typed

    response = client.post(
        url, {f"p{proposal.pk}-decision": "replace", f"p{proposal.pk}-reason": "Newer survey"}
    )
    assert response.status_code == 302
    typed.refresh_from_db()
    proposal.refresh_from_db()
    assert typed.status == IndicatorValue.Status.WITHDRAWN
    assert "Newer survey" in typed.history.first().history_change_reason
    assert proposal.status == IndicatorValue.Status.PUBLISHED
    assert figures.latest_values([answered["pfa"]], AS_OF)[answered["pfa"].pk] == proposal


def test_keeping_the_typed_in_value_discards_the_proposal(
    client, admin_user, survey_round, answered
):
    typed = factories.IndicatorValueFactory(indicator=answered["pfa"], year=2023, value=79)
    services.indicators_compute(survey_round=survey_round)
    proposal = IndicatorValue.objects.proposed().get(indicator=answered["pfa"])
    client.force_login(admin_user)
    url = reverse("surveys:proposal-review", args=[survey_round.pk, proposal.pk])
    assert client.post(url, {f"p{proposal.pk}-decision": "discard"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == IndicatorValue.Status.DISCARDED
    assert figures.latest_values([answered["pfa"]], AS_OF)[answered["pfa"].pk] == typed
    # The discarded proposal stays in the history, not on the indicator page.
    assert proposal.history.count() == 2


def test_recomputing_after_publishing(admin_user, survey_round, answered, question):
    from roadmap import services as roadmap_services

    services.indicators_compute(survey_round=survey_round)
    first = IndicatorValue.objects.proposed().get(indicator=answered["pfa"])
    roadmap_services.indicator_value_publish(indicator_value=first, by=admin_user)
    # Same answers: nothing new to review.
    assert services.indicators_compute(survey_round=survey_round) == []
    # A new response: a new proposal; publishing it replaces the earlier computation.
    _respond(
        survey_round,
        factories.NationalSocietyFactory(),
        {"provides": "yes", "services": "pfa"},
        question,
    )
    services.indicators_compute(survey_round=survey_round)
    second = IndicatorValue.objects.proposed().get(indicator=answered["pfa"])
    assert (second.numerator, second.denominator) == (2, 3)
    roadmap_services.indicator_value_publish(indicator_value=second, by=admin_user)
    first.refresh_from_db()
    assert first.status == IndicatorValue.Status.WITHDRAWN
    assert figures.latest_values([answered["pfa"]], AS_OF)[answered["pfa"].pk] == second


@pytest.mark.parametrize(
    "role, get_status, post_status",
    [
        ("admin_user", 200, 302),
        ("reader", 200, 403),
        ("staff", 404, 404),
        ("focal_kenya", 404, 404),
    ],
)
def test_review_by_role(client, request, survey_round, answered, role, get_status, post_status):
    services.indicators_compute(survey_round=survey_round)
    proposal = IndicatorValue.objects.proposed().get(indicator=answered["pfa"])
    client.force_login(request.getfixturevalue(role))
    page = client.get(reverse("surveys:round-proposals", args=[survey_round.pk]))
    assert page.status_code == get_status
    if get_status == 200:
        assert ("Publish</button>" in page.content.decode()) == (role == "admin_user")
    url = reverse("surveys:proposal-review", args=[survey_round.pk, proposal.pk])
    assert client.post(url, {f"p{proposal.pk}-decision": "publish"}).status_code == post_status
    assert client.get(url).status_code == 405
    compute = client.post(reverse("surveys:round-compute", args=[survey_round.pk]))
    assert compute.status_code == {"admin_user": 302, "reader": 403}.get(role, 404)
    proposal.refresh_from_db()
    published = proposal.status == IndicatorValue.Status.PUBLISHED
    assert published == (role == "admin_user")


@pytest.mark.parametrize("n", [2, 8])
def test_review_page_query_count_is_fixed(
    client, admin_user, survey_round, question, django_assert_max_num_queries, n
):
    for i in range(n):
        indicator = factories.IndicatorFactory(code=f"IND-{i}")
        factories.IndicatorValueFactory(indicator=indicator, year=2023, value=10, source="typed")
        factories.IndicatorValueFactory(
            indicator=indicator,
            year=2023,
            value=20,
            source=survey_round.name,
            is_computed=True,
            status=IndicatorValue.Status.PROPOSED,
            numerator=1,
            denominator=5,
            responses=5,
            invited=10,
            coverage_by_region={"africa": {"submitted": 5, "invited": 10}},
        )
    client.force_login(admin_user)
    # session, user, round, proposals with their indicators, other values of the year;
    # plus the session save.
    with django_assert_max_num_queries(5 + SESSION_SAVE):
        page = client.get(reverse("surveys:round-proposals", args=[survey_round.pk]))
    assert page.content.decode().count('class="card mb-3"') == n


@pytest.mark.parametrize(
    "responses, invited, threshold, provisional",
    [(96, 193, 0.5, True), (97, 194, 0.5, False), (9, 193, 0.5, True), (0, 0, 0.5, True)],
)
def test_provisional_below_the_threshold(settings, responses, invited, threshold, provisional):
    settings.INDICATOR_COVERAGE_THRESHOLD = threshold
    assert figures.is_provisional_coverage(responses, invited) is provisional


def test_a_bad_threshold_stops_start_up():
    import os
    import subprocess
    import sys

    env = {**os.environ, "INDICATOR_COVERAGE_THRESHOLD": "50", "SECRET_KEY": "x"}
    run = subprocess.run(
        [sys.executable, "-c", "import config.settings.base"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode != 0
    assert "INDICATOR_COVERAGE_THRESHOLD must be a share between 0 and 1" in run.stderr

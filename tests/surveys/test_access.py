"""Every survey view against every role: admin, reader, staff, focal points, anonymous."""

import pytest
from django.urls import reverse

from surveys.models import Response
from tests import factories

ROLES = ["admin", "reader", "staff", "focal_this", "focal_other", "anonymous"]


@pytest.fixture
def people(admin_user, reader, staff, focal_lebanon, focal_kenya):
    return {
        "admin": admin_user,
        "reader": reader,
        "staff": staff,
        "focal_this": focal_lebanon,
        "focal_other": focal_kenya,
        "anonymous": None,
    }


@pytest.fixture
def submitted(survey_round, lebanon, focal_lebanon, question):
    response = Response.objects.create(
        round=survey_round, society=lebanon, state=Response.State.SUBMITTED
    )
    response.answers.create(question=question("provides"), value="no")
    return response


def _urls(r, s, q, sec, questionnaire):
    society = [r.pk, s.pk]
    return {
        "index": ("get", reverse("surveys:index"), {}),
        "form": ("get", reverse("surveys:response-form", args=society), {}),
        "answer": (
            "post",
            reverse("surveys:answer-save", args=[*society, q.pk]),
            {f"q_{q.pk}": "yes", f"v_{q.pk}": "1"},
        ),
        "section": (
            "post",
            reverse("surveys:section-save", args=[*society, sec.pk]),
            {f"q_{q.pk}": "yes", f"v_{q.pk}": "1"},
        ),
        "submit": ("post", reverse("surveys:response-submit", args=society), {}),
        "reopen": ("post", reverse("surveys:response-reopen", args=society), {"reason": "x"}),
        "extend": (
            "post",
            reverse("surveys:response-extend", args=society),
            {"deadline": "2999-01-01", "reason": "late"},
        ),
        "xlsx": ("get", reverse("surveys:response-download", args=[*society, "xlsx"]), {}),
        "pdf": ("get", reverse("surveys:response-download", args=[*society, "pdf"]), {}),
        "rounds": ("get", reverse("surveys:round-list"), {}),
        "open": ("post", reverse("surveys:round-open", args=[r.pk]), {}),
        "close": ("post", reverse("surveys:round-close", args=[r.pk]), {}),
        "tracker": ("get", reverse("surveys:round-tracker", args=[r.pk]), {}),
        "remind": ("post", reverse("surveys:round-remind", args=[r.pk]), {}),
        "remind_preview": ("get", reverse("surveys:round-remind", args=[r.pk]), {}),
        "create": ("get", reverse("surveys:round-create"), {}),
        "detail": ("get", reverse("surveys:round-detail", args=[r.pk]), {}),
        "round_extend": (
            "post",
            reverse("surveys:round-extend", args=[r.pk]),
            {"closes": "2999-01-01", "reason": "late"},
        ),
        "round_reopen": (
            "post",
            reverse("surveys:round-reopen", args=[r.pk]),
            {"closes": "2999-01-01", "reason": "late"},
        ),
        "tracker_xlsx": ("get", reverse("surveys:round-tracker-export", args=[r.pk]), {}),
        "focal_points": ("get", reverse("surveys:society-focal-points", args=society), {}),
        "focal_invite": (
            "post",
            reverse("surveys:society-focal-points", args=society),
            {
                "action": "invite",
                "invite-email": "new-focal@example.org",
                "invite-full_name": "New Focal",
                "invite-language": "fr",
            },
        ),
        "results": ("get", reverse("surveys:round-results", args=[r.pk]), {}),
        "compute": ("post", reverse("surveys:round-compute", args=[r.pk]), {}),
        "proposals": ("get", reverse("surveys:round-proposals", args=[r.pk]), {}),
        "export": (
            "get",
            reverse("surveys:round-export", args=[r.pk]) + "?format=csv&layout=wide&language=en",
            {},
        ),
        "import": ("get", reverse("surveys:questionnaire-import"), {}),
        "qexport": ("get", reverse("surveys:questionnaire-export", args=[questionnaire.pk]), {}),
    }


# Expected status per view and role; 302 on success of a POST (redirect), "login" for anonymous.
EXPECTED = {
    #            admin reader staff focal_this focal_other
    "index": (200, 200, 200, 200, 200),
    "form": (200, 200, 404, 200, 404),
    "answer": (403, 403, 404, 302, 404),
    "section": (403, 403, 404, 302, 404),
    "submit": (403, 403, 404, 302, 404),
    "reopen": (302, 403, 404, 404, 404),
    "extend": (302, 403, 404, 404, 404),
    "xlsx": (200, 200, 404, 200, 404),
    "pdf": (200, 200, 404, 200, 404),
    "rounds": (200, 200, 404, 404, 404),
    "open": (302, 403, 404, 404, 404),
    "close": (302, 403, 404, 404, 404),
    "tracker": (200, 200, 404, 404, 404),
    "remind": (302, 403, 404, 404, 404),
    "remind_preview": (200, 403, 404, 404, 404),
    "create": (200, 403, 404, 404, 404),
    "detail": (200, 200, 404, 404, 404),
    "round_extend": (302, 403, 404, 404, 404),
    "round_reopen": (302, 403, 404, 404, 404),
    "tracker_xlsx": (200, 200, 404, 404, 404),
    "focal_points": (200, 200, 404, 404, 404),
    "focal_invite": (302, 403, 404, 404, 404),
    "results": (200, 200, 404, 404, 404),
    "compute": (302, 403, 404, 404, 404),
    "proposals": (200, 200, 404, 404, 404),
    "export": (200, 200, 404, 404, 404),
    "import": (200, 403, 404, 404, 404),
    "qexport": (200, 200, 404, 404, 404),
}


@pytest.mark.parametrize("view", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_view_by_role(client, people, survey_round, lebanon, submitted, question, view, role):
    q = question("provides")
    method, url, data = _urls(survey_round, lebanon, q, q.section, survey_round.questionnaire)[view]
    user = people[role]
    if role == "focal_this" and view in ("answer", "section", "submit"):
        # Writes need a response still in progress.
        submitted.state = Response.State.IN_PROGRESS
        submitted.save()
    if user:
        client.force_login(user)
    result = getattr(client, method)(url, data)
    if role == "anonymous":
        assert result.status_code == 302
        assert "/accounts/login" in result["Location"] or "login" in result["Location"]
        return
    expected = EXPECTED[view][ROLES.index(role)]
    assert result.status_code == expected, (view, role, result.status_code)


def test_focal_point_cannot_reach_other_society_by_hidden_field(
    client, focal_kenya, kenya, lebanon, survey_round, question
):
    """Changing the society in the URL is a 404; the society is never read from the body."""
    q = question("provides")
    client.force_login(focal_kenya)
    url = reverse("surveys:answer-save", args=[survey_round.pk, lebanon.pk, q.pk])
    assert client.post(url, {f"q_{q.pk}": "yes", f"v_{q.pk}": "0"}).status_code == 404
    assert not Response.objects.filter(society=lebanon).exists()


def test_draft_round_is_invisible_to_focal_points(client, focal_lebanon, survey_round, lebanon):
    survey_round.state = "draft"
    survey_round.save()
    client.force_login(focal_lebanon)
    url = reverse("surveys:response-form", args=[survey_round.pk, lebanon.pk])
    assert client.get(url).status_code == 404


def test_question_of_another_questionnaire_is_404(client, focal_lebanon, survey_round, lebanon):
    from tests.surveys.factories import QuestionFactory

    other = QuestionFactory()
    client.force_login(focal_lebanon)
    url = reverse("surveys:answer-save", args=[survey_round.pk, lebanon.pk, other.pk])
    assert client.post(url, {f"q_{other.pk}": "yes", f"v_{other.pk}": "0"}).status_code == 404


def test_index_lists_own_round_for_focal_point(client, focal_lebanon, survey_round):
    client.force_login(focal_lebanon)
    page = client.get(reverse("surveys:index")).content.decode()
    assert "Endline 2023" in page
    assert factories is not None

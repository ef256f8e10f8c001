"""The read-only JSON API (django-ninja): /api/v1/, its OpenAPI schema and browsable docs.

Every endpoint is GET only and needs a personal token (Bearer, or HTTP Basic with the token as
the password); the token acts with its owner's permissions through the same scoped look-ups and
`rules` the pages use. The figures come from the functions the pages call (roadmap.figures via
roadmap.selectors, surveys.selectors.results), so the API and the pages cannot disagree.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, NinjaAPI, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import HttpBearer

from accounts.models import Organisation
from accounts.security import hit, limit_for
from roadmap import figures
from roadmap import selectors as roadmap_selectors
from roadmap.models import Indicator, IndicatorValue, Roadmap
from surveys import selectors as survey_selectors
from surveys.models import Answer, Response
from workinggroups import selectors as group_selectors
from workinggroups.models import Deliverable, Milestone, WorkingGroup

from . import services


class Pages(LimitOffsetPagination):
    """`limit` (1 to 1,000, 100 by default) and `offset`, both bounded: a huge number is a 422,
    never a database error."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000)
        offset: int = Field(0, ge=0, le=10_000_000)


class RateLimited(Exception):
    pass


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` or HTTP Basic with the token as the password."""

    def __call__(self, request):
        secret = services.secret_from_header(request.headers.get("Authorization", ""))
        token = services.token_authenticate(secret)
        if token is None:
            return None
        request.api_token = token
        request.user = token.user
        uses, seconds = limit_for("api")
        if not hit("api", f"token:{token.pk}", limit=uses, seconds=seconds):
            raise RateLimited
        return token

    def authenticate(self, request, token):  # pragma: no cover - __call__ does the work
        return None


api = NinjaAPI(
    title="MHPSS Roadmap Tracker API",
    version="1",
    description=(
        "Read-only data of the tracker. Authenticate with a personal token from your profile: "
        "`Authorization: Bearer <token>`, or HTTP Basic with the token as the password."
    ),
    urls_namespace="api",
    auth=TokenAuth(),
)


@api.exception_handler(RateLimited)
def _rate_limited(request, exc):
    _uses, seconds = limit_for("api")
    response = api.create_response(request, {"detail": "Too many requests."}, status=429)
    response["Retry-After"] = str(seconds)
    return response


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


def _as_of(value: datetime.date | None) -> datetime.date:
    if value is None:
        return figures.today()
    try:
        return figures.parse_as_of(value.isoformat())
    except ValidationError as error:
        from ninja.errors import HttpError

        raise HttpError(422, error.messages[0]) from error


def _roadmap(roadmap_id: int | None) -> Roadmap:
    if roadmap_id is None:
        roadmap = roadmap_selectors.current_roadmap()
        if roadmap is None:
            raise Http404
        return roadmap
    return roadmap_selectors.roadmap_or_404(roadmap_id)


# ---------------------------------------------------------------- schemas


class RoadmapOut(Schema):
    id: int
    name: str
    start_year: int
    end_year: int
    is_current: bool


class SegmentOut(Schema):
    status: str
    count: int
    percent: float


class ResultOut(Schema):
    id: int
    kind: str
    code: str
    title: str
    status: str | None
    last_update: datetime.date | None


class ValueOut(Schema):
    year: int
    value: float | None
    source: str
    is_provisional: bool
    is_computed: bool


class IndicatorFigureOut(Schema):
    id: int
    code: str
    name: str
    unit: str
    latest: ValueOut | None


class AreaOut(Schema):
    number: int
    title: str
    as_of: datetime.date
    status: str | None
    status_label: str
    last_update: datetime.date | None
    segments: list[SegmentOut]
    results: list[ResultOut]
    indicators: list[IndicatorFigureOut]


class IndicatorOut(Schema):
    id: int
    area: int
    code: str
    name: str
    unit: str
    baseline_value: float | None
    baseline_year: int | None
    target_value: float | None
    target_year: int | None
    values: list[ValueOut]


class HistoryOut(Schema):
    when: datetime.datetime
    who: str
    reason: str
    changes: list[dict[str, str]]


class MilestoneOut(Schema):
    id: int
    title: str
    date: datetime.date | None
    is_done: bool


class DeliverableOut(Schema):
    id: int
    title: str
    due_date: datetime.date | None
    status: str
    milestones: list[MilestoneOut]


class GroupOut(Schema):
    id: int
    number: int
    name: str
    areas: list[int]
    member_count: int
    deliverable_count: int


class RoundOut(Schema):
    id: int
    name: str
    year: int
    state: str
    opens: datetime.date | None
    closes: datetime.date | None


class ResultRowOut(Schema):
    name: str
    label: str
    count: int
    share: float | None
    by_region: dict[str, dict[str, Any]]


class QuestionResultOut(Schema):
    question: str
    label: str
    answered: int
    asked: int
    rows: list[ResultRowOut]
    by_region: dict[str, dict[str, int]]


class RoundResultsOut(Schema):
    round: RoundOut
    respondents: dict[str, int]
    questions: list[QuestionResultOut]


class AnswerOut(Schema):
    question: str
    value: str


class ResponseOut(Schema):
    round: int
    society: int
    society_name: str
    submitted_at: datetime.datetime | None
    answers: list[AnswerOut]


# ---------------------------------------------------------------- helpers


def _value(v: IndicatorValue | None) -> dict | None:
    if v is None:
        return None
    return {
        "year": v.year,
        "value": float(v.value) if v.value is not None else None,
        "source": v.source or "",
        "is_provisional": v.is_provisional,
        "is_computed": v.is_computed,
    }


def area_json(summary: figures.AreaFigures) -> dict:
    """One area as the at-a-glance page shows it (the same AreaFigures object)."""
    return {
        "number": summary.area.number,
        "title": summary.area.title,
        "as_of": summary.as_of,
        "status": summary.status,
        "status_label": str(figures.status_label(summary.status)),
        "last_update": summary.last_update,
        "segments": [
            {"status": s.status, "count": s.count, "percent": s.percent} for s in summary.segments
        ],
        "results": [
            {
                "id": r.pk,
                "kind": r.kind,
                "code": r.code,
                "title": r.title,
                "status": getattr(r, "status", None),
                "last_update": getattr(r, "latest_update_date", None),
            }
            for r in summary.results
        ],
        "indicators": [
            {
                "id": i.indicator.pk,
                "code": i.indicator.code,
                "name": i.indicator.name,
                "unit": i.indicator.unit or "",
                "latest": _value(i.latest),
            }
            for i in summary.indicators
        ],
    }


# ---------------------------------------------------------------- roadmap


@api.get("/roadmaps", response=list[RoadmapOut], tags=["roadmap"])
@paginate(Pages)
def roadmap_list(request):
    """Every roadmap, the current one included."""
    return Roadmap.objects.order_by("-start_year", "pk")


@api.get("/areas", response=list[AreaOut], tags=["roadmap"])
def area_list(
    request,
    roadmap: int | None = None,
    as_of: datetime.date | None = None,
    area: int | None = None,
):
    """The areas of a roadmap (the current one by default) with their status as of a date:
    the figures of the at-a-glance page, from the same function."""
    summaries = roadmap_selectors.areas_at_a_glance(_roadmap(roadmap), _as_of(as_of))
    return [area_json(s) for s in summaries if area is None or s.area.number == area]


@api.get("/indicators", response=list[IndicatorOut], tags=["roadmap"])
@paginate(Pages)
def indicator_list(
    request,
    roadmap: int | None = None,
    area: int | None = None,
    as_of: datetime.date | None = None,
):
    """Indicators with their counted values up to the date's year (source, provisional flag)."""
    day = _as_of(as_of)
    indicators = list(
        Indicator.objects.filter(area__roadmap=_roadmap(roadmap))
        .select_related("area")
        .order_by("area__number", "order", "code")
    )
    if area is not None:
        indicators = [i for i in indicators if i.area.number == area]
    series = figures.indicator_series(indicators, day)
    return [
        {
            "id": i.pk,
            "area": i.area.number,
            "code": i.code,
            "name": i.name,
            "unit": i.unit or "",
            "baseline_value": float(i.baseline_value) if i.baseline_value is not None else None,
            "baseline_year": i.baseline_year,
            "target_value": float(i.target_value) if i.target_value is not None else None,
            "target_year": i.target_year,
            "values": [_value(v) for v in series.get(i.pk, [])],
        }
        for i in indicators
    ]


@api.get("/indicators/{indicator_id}/history", response=list[HistoryOut], tags=["roadmap"])
def indicator_history(request, indicator_id: int):
    """Who changed the indicator and its values, when and why (the history page's entries)."""
    indicator = roadmap_selectors.indicator_for_user(request.user, indicator_id)
    out = []
    for entry in roadmap_selectors.indicator_history(indicator):
        out.append(
            {
                "when": entry.when,
                "who": str(entry.who or ""),
                "reason": str(entry.reason or ""),
                "changes": [
                    {"field": str(c.label), "old": str(c.old), "new": str(c.new)}
                    for c in entry.changes
                ],
            }
        )
    return out


# ---------------------------------------------------------------- working groups


@api.get("/working-groups", response=list[GroupOut], tags=["working groups"])
def group_list(request, roadmap: int | None = None):
    groups = group_selectors.group_list(_roadmap(roadmap))
    return [
        {
            "id": g.pk,
            "number": g.number,
            "name": g.name,
            "areas": sorted(a.number for a in g.areas.all()),
            "member_count": g.member_count,
            "deliverable_count": g.deliverable_count,
        }
        for g in groups
    ]


@api.get(
    "/working-groups/{group_id}/deliverables",
    response=list[DeliverableOut],
    tags=["working groups"],
)
@paginate(Pages)
def deliverable_list(request, group_id: int, as_of: datetime.date | None = None):
    """A group's current deliverables with their status as of the date and their milestones."""
    group = get_object_or_404(WorkingGroup.objects.filter(is_archived=False), pk=group_id)
    day = _as_of(as_of)
    deliverables = list(
        Deliverable.objects.active()
        .filter(working_group=group)
        .with_latest_progress(day)
        .order_by("due_date", "id")
    )
    milestones: dict[int, list] = {}
    for m in Milestone.objects.active().filter(deliverable__in=deliverables).order_by("date", "pk"):
        milestones.setdefault(m.deliverable_id, []).append(m)
    return [
        {
            "id": d.pk,
            "title": d.title,
            "due_date": d.due_date,
            "status": figures.deliverable_status(d.latest_status, d.due_date, day),
            "milestones": milestones.get(d.pk, []),
        }
        for d in deliverables
    ]


# ---------------------------------------------------------------- surveys


def _round_json(r) -> dict:
    return {
        "id": r.pk,
        "name": r.name,
        "year": r.year,
        "state": r.state,
        "opens": r.opens,
        "closes": r.closes,
    }


@api.get("/survey-rounds", response=list[RoundOut], tags=["surveys"])
@paginate(Pages)
def round_list(request):
    """The rounds the token's owner may see (focal points: their society's)."""
    return [_round_json(r) for r in survey_selectors.rounds_for_user(request.user).order_by("-pk")]


@api.get("/survey-rounds/{round_pk}/results", response=RoundResultsOut, tags=["surveys"])
def round_results(request, round_pk: int):
    """Aggregated results by question and region: the results page's figures (admins, readers)."""
    if not request.user.has_perm("surveys.view_results"):
        raise Http404
    survey_round = get_object_or_404(survey_selectors.rounds_for_user(request.user), pk=round_pk)
    data = survey_selectors.results(survey_round)
    regions = [str(code) for code, _label in data["regions"]]
    questions = []
    for q in data["questions"]:
        rows = [
            {
                "name": row["name"],
                "label": str(row["label"]),
                "count": row["count"],
                "share": row["share"],
                "by_region": {
                    region: {"count": cell["count"], "share": cell["share"]}
                    for region, cell in zip(regions, row["regions"], strict=False)
                },
            }
            for row in q["rows"]
        ]
        questions.append(
            {
                "question": q["question"].name,
                "label": str(q["question"].label),
                "answered": q["answered"],
                "asked": q["asked"],
                "rows": rows,
                "by_region": {
                    region: {"answered": base[0], "respondents": base[1]}
                    for region, base in zip(regions, q["region_bases"], strict=False)
                },
            }
        )
    return {
        "round": _round_json(survey_round),
        "respondents": {str(k): int(v) for k, v in data["respondents"].items()},
        "questions": questions,
    }


@api.get(
    "/survey-rounds/{round_pk}/responses/{society_pk}",
    response=ResponseOut,
    tags=["surveys"],
)
def society_response(request, round_pk: int, society_pk: int):
    """A society's response: its focal points, admins and readers only (else 404)."""
    survey_round = get_object_or_404(survey_selectors.rounds_for_user(request.user), pk=round_pk)
    society = get_object_or_404(Organisation.objects.national_societies(), pk=society_pk)
    if not request.user.has_perm("surveys.view_response", society):
        raise Http404
    response = get_object_or_404(Response, round=survey_round, society=society)
    answers = Answer.objects.filter(response=response).select_related("question")
    return {
        "round": survey_round.pk,
        "society": society.pk,
        "society_name": society.name,
        "submitted_at": response.submitted_at,
        "answers": [
            {"question": a.question.name, "value": a.value or ""}
            for a in answers.order_by("question__order", "pk")
        ],
    }

"""Reads for roadmap pages: the at-a-glance summary, area and result pages, and their history
(core.history.history_diffs, on simple_history's diff_against)."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _

from core.history import HistoryEntry, history_diffs

from . import figures
from .models import (
    Evidence,
    ExpectedResult,
    Indicator,
    IndicatorValue,
    PriorityActionArea,
    ProgressUpdate,
    PublicSummary,
    Roadmap,
)


def current_roadmap() -> Roadmap | None:
    return Roadmap.objects.current()


SESSION_KEY = "roadmap_id"


def roadmap_for_request(request) -> Roadmap | None:
    """The roadmap a page shows: ``?roadmap=<id>`` (remembered for the person's next pages),
    else the one they chose before, else the current roadmap. One query (cached on the request).

    An id that is not a roadmap's is a 404; a remembered roadmap that no longer exists falls
    back to the current one.
    """
    if hasattr(request, "_roadmap"):
        return request._roadmap
    asked = request.GET.get("roadmap")
    roadmap = None
    if asked:
        if not asked.isdigit() or len(asked) > 18:
            raise Http404(_("No such roadmap."))
        roadmap = roadmap_or_404(int(asked))
        if hasattr(request, "session") and request.session.get(SESSION_KEY) != roadmap.pk:
            request.session[SESSION_KEY] = roadmap.pk
    elif hasattr(request, "session") and request.session.get(SESSION_KEY):
        roadmap = Roadmap.objects.filter(pk=request.session[SESSION_KEY]).first()
    if roadmap is None:
        roadmap = current_roadmap()
    request._roadmap = roadmap
    return roadmap


def roadmap_choices() -> list[Roadmap]:
    """Every roadmap, oldest first, for the switcher. One query, whatever their number."""
    return list(Roadmap.objects.order_by("start_year", "id"))


def roadmap_or_404(pk: int) -> Roadmap:
    """Any roadmap, by id: every signed-in person reads every roadmap."""
    roadmap = Roadmap.objects.filter(pk=pk).first()
    if roadmap is None:
        raise Http404(_("No such roadmap."))
    return roadmap


def areas_at_a_glance(
    roadmap: Roadmap | None, as_of: datetime.date | None = None
) -> list[figures.AreaFigures]:
    """Every area of the roadmap with its status, output shares and indicators as of the date.

    The figures come from roadmap.figures, like the report's: three queries whatever the size.
    """
    return figures.area_figures(roadmap, as_of or figures.today())


def published_summary() -> PublicSummary | None:
    """The public summary an admin published: the current roadmap's, else (until the admins
    publish one for a new roadmap) that of the latest roadmap that has one."""
    return (
        PublicSummary.objects.filter(is_published=True)
        .select_related("roadmap")
        .order_by("-roadmap__is_current", "-roadmap__start_year")
        .first()
    )


# ---- object look-ups scoped to the person -------------------------------------------------
# Every signed-in person may read the whole roadmap; changes need the rule named by `perm`.


def _check(user, perm: str | None, obj) -> None:
    if perm and not user.has_perm(perm, obj):
        raise PermissionDenied


def area_for_user(user, number: int, roadmap: Roadmap | None = None) -> PriorityActionArea:
    """Area ``number`` of the roadmap (the current one when none is given)."""
    roadmap = roadmap or current_roadmap()
    area = (
        roadmap.areas.filter(number=number)
        .select_related("roadmap", "carried_from__roadmap")
        .first()
        if roadmap
        else None
    )
    if area is None:
        raise Http404(_("No such priority action area."))
    return area


def result_for_user(user, pk: int, *, perm: str | None = None) -> ExpectedResult:
    result = ExpectedResult.objects.select_related("area__roadmap").filter(pk=pk).first()
    if result is None:
        raise Http404(_("No such expected result."))
    _check(user, perm, result)
    return result


def update_for_user(user, pk: int, *, perm: str | None = None) -> ProgressUpdate:
    update = ProgressUpdate.objects.select_related("content_type", "author").filter(pk=pk).first()
    if update is None or not isinstance(update.subject, ExpectedResult):
        # Updates on other subjects (deliverables) are reached through their own app.
        raise Http404(_("No such progress update."))
    _check(user, perm, update)
    return update


def indicator_for_user(user, pk: int, *, perm: str | None = None) -> Indicator:
    indicator = (
        Indicator.objects.select_related("area__roadmap", "result", "carried_from__area__roadmap")
        .filter(pk=pk)
        .first()
    )
    if indicator is None:
        raise Http404(_("No such indicator."))
    _check(user, perm, indicator)
    return indicator


def indicator_value_for_user(user, pk: int, *, perm: str | None = None) -> IndicatorValue:
    value = IndicatorValue.objects.select_related("indicator__area").filter(pk=pk).first()
    if value is None:
        raise Http404(_("No such indicator value."))
    _check(user, perm, value)
    return value


def evidence_for_user(user, pk: int) -> Evidence:
    """A file of evidence: any signed-in person may read roadmap and working-group content."""
    evidence = Evidence.objects.filter(pk=pk).exclude(file="").first()
    if evidence is None:
        raise Http404(_("No such file."))
    _check(user, "roadmap.view_evidence", evidence)
    return evidence


# ---- pages ------------------------------------------------------------------------------


def area_page_figures(area: PriorityActionArea, as_of: datetime.date) -> figures.AreaFigures:
    """One area's results, status and indicators as of the date, as on the at-a-glance page."""
    return figures.area_figures(area.roadmap, as_of, area=area)[0]


def updates_for(subject, *, with_archived: bool = False) -> models.QuerySet:
    """Updates on any subject, newest first, with their author and evidence; the archived
    updates and evidence too (marked, with their reason) when asked (core.archive)."""
    return (
        ProgressUpdate.objects.for_object(subject)
        .shown(with_archived)
        .select_related("author")
        .prefetch_related(
            models.Prefetch("evidence", queryset=Evidence.objects.shown(with_archived))
        )
        .order_by("-date", "-id")
    )


def latest_update(subject) -> ProgressUpdate | None:
    return ProgressUpdate.objects.for_object(subject).active().order_by("-date", "-id").first()


def area_history(area: PriorityActionArea, *, limit: int = 50) -> list[HistoryEntry]:
    """Changes to the area, its results, their updates and evidence, its indicators and values."""
    result_ids = list(area.expected_results.values_list("pk", flat=True))
    indicator_ids = list(area.indicators.values_list("pk", flat=True))
    update_ids = list(
        ProgressUpdate.objects.filter(
            content_type=ContentType.objects.get_for_model(ExpectedResult),
            object_id__in=result_ids,
        ).values_list("pk", flat=True)
    )
    return history_diffs(
        [
            area.history.all(),
            ExpectedResult.history.filter(id__in=result_ids),
            ProgressUpdate.history.filter(id__in=update_ids),
            Evidence.history.filter(update_id__in=update_ids),
            Indicator.history.filter(id__in=indicator_ids),
            IndicatorValue.history.filter(indicator_id__in=indicator_ids),
        ],
        limit=limit,
    )


def result_history(result: ExpectedResult, *, limit: int | None = None) -> list[HistoryEntry]:
    update_ids = list(ProgressUpdate.objects.for_object(result).values_list("pk", flat=True))
    return history_diffs(
        [
            result.history.all(),
            ProgressUpdate.history.filter(id__in=update_ids),
            Evidence.history.filter(update_id__in=update_ids),
        ],
        limit=limit,
    )


def indicator_history(indicator: Indicator) -> list[HistoryEntry]:
    return history_diffs(
        [indicator.history.all(), IndicatorValue.history.filter(indicator_id=indicator.pk)]
    )


def progress_history_sources(subject) -> list:
    """History of any subject's progress updates and of their evidence, in two querysets (the
    same for expected results and deliverables: one mechanism, one history)."""
    update_ids = ProgressUpdate.objects.for_object(subject).values("pk")
    return [
        ProgressUpdate.history.filter(id__in=update_ids),
        Evidence.history.filter(update_id__in=update_ids),
    ]

"""Reads behind a report: everything a report shows, gathered in a fixed number of queries.

The query count must not grow with the number of societies, areas or deliverables, so each
kind of record is fetched once and grouped in Python.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts.models import Organisation
from core.formatting import format_percent
from reports.models import ReportEdition, ReportSection
from roadmap import charts, figures
from roadmap.figures import Status
from roadmap.models import (
    Evidence,
    ExpectedResult,
    Indicator,
    ProgressUpdate,
    Roadmap,
)


def editions_for_user(user):
    return ReportEdition.objects.visible_to(user)


def get_edition_for_user(user, pk: int) -> ReportEdition:
    """The edition if this person may see it; outsiders get 404 whatever the id."""
    try:
        return (
            editions_for_user(user)
            .select_related("created_by", "survey_round", "roadmap")
            .get(pk=pk)
        )
    except ReportEdition.DoesNotExist:
        raise Http404 from None


@dataclass
class IndicatorRow:
    indicator: Indicator
    baseline: str
    latest: str
    latest_year: int | None
    target: str
    # The latest value came from a survey round below the coverage threshold (docs/figures.md).
    provisional: bool = False
    values: list = field(default_factory=list)
    chart: charts.Chart | None = None


@dataclass
class AreaChapter:
    area: object
    status: str
    status_label: str
    results: list = field(default_factory=list)
    outputs: list = field(default_factory=list)
    counts: list = field(default_factory=list)
    counts_chart: charts.Chart | None = None
    indicators: list[IndicatorRow] = field(default_factory=list)
    evidence: list = field(default_factory=list)
    next_steps: list = field(default_factory=list)
    working_groups: list = field(default_factory=list)
    deliverables: list = field(default_factory=list)
    milestones: list = field(default_factory=list)


@dataclass
class CarriedRow:
    """A carried-over indicator in the two roadmaps: the one before (its baseline and last
    value before this roadmap began) beside this one (baseline, latest as of the report, target)."""

    indicator: Indicator
    previous: Indicator
    previous_baseline: str
    previous_latest: str
    previous_latest_year: int | None
    row: IndicatorRow


def _indicator_rows(
    summaries: list[figures.IndicatorSummary], lineages: dict | None = None
) -> list[IndicatorRow]:
    """Each indicator's baseline, latest value and chart, from the values that count as of the
    report's date (roadmap.figures.indicator_series); a carried-over indicator's chart runs
    across the roadmaps (roadmap.figures.series_across_roadmaps)."""
    rows = []
    lineages = lineages or {}
    for summary in summaries:
        ind, values = summary.indicator, summary.values
        latest = summary.latest
        chart = charts.indicator_trend(ind, values, lineages.get(ind.pk))
        rows.append(
            IndicatorRow(
                indicator=ind,
                baseline=ind.format_value(ind.baseline_value),
                latest=ind.format_value(latest.value) if latest else "—",
                latest_year=latest.year if latest else None,
                provisional=bool(latest and latest.is_provisional),
                target=ind.format_value(ind.target_value),
                values=values,
                chart=chart,
            )
        )
    return rows


def report_data(edition: ReportEdition) -> dict:
    """Everything the report templates show, in a bounded number of queries."""
    roadmap = edition.covered_roadmap
    data: dict = {
        "as_of": edition.period_end,
        # The annex "How the figures were computed" is docs/figures.md, our own file.
        "figures_rules": mark_safe(figures.rules_html(top_level=4)),  # noqa: S308
        "figures_rules_language": figures.rules_language(),
        "edition": edition,
        "roadmap": roadmap,
        "sections": set(edition.sections or []),
        "section_keys": {s.name: s.value for s in ReportSection},
    }
    components = list(
        Organisation.objects.exclude(kind=Organisation.Kind.NATIONAL_SOCIETY)
        .exclude(kind=Organisation.Kind.PARTNER)
        .filter(is_active=True)
        .order_by("kind", "name")
    )
    data["components"] = components
    data["society_count"] = Organisation.objects.national_societies().active().count()
    if roadmap is None:
        data.update(commitments=[], areas=[], chapters=[], key_figures=[], indicator_rows=[])
        data.update(_working_group_data([], edition))
        data.update(_survey_data(edition))
        return data

    commitments = list(roadmap.commitments.prefetch_related("operative_paragraphs"))
    # The figures as of the period's last day, from the same function as the pages'.
    as_of = edition.period_end
    area_figs = figures.area_figures(roadmap, as_of)
    lineages = figures.series_across_roadmaps(
        [s.indicator for f in area_figs for s in f.indicators], as_of
    )
    areas = [f.area for f in area_figs]
    results = [r for f in area_figs for r in f.results]
    # The updates of the period, for the evidence they referenced.
    result_type = ContentType.objects.get_for_model(ExpectedResult)
    in_period: dict[int, list[int]] = defaultdict(list)
    for object_id, update_id in (
        ProgressUpdate.objects.active()
        .filter(
            content_type=result_type,
            object_id__in=[r.pk for r in results],
            date__gte=edition.period_start,
            date__lte=as_of,
        )
        .values_list("object_id", "id")
    ):
        in_period[object_id].append(update_id)
    evidence_by_update: dict[int, list] = defaultdict(list)
    for ev in (
        Evidence.objects.active()
        .filter(update_id__in=[u for ups in in_period.values() for u in ups])
        .order_by("id")
    ):
        evidence_by_update[ev.update_id].append(ev)

    chapters, ind_rows = [], []
    for fig in area_figs:
        chapter = AreaChapter(
            area=fig.area,
            status=fig.status or Status.NOT_STARTED,
            status_label=fig.status_label,
            results=fig.results,
            outputs=fig.outputs,
            counts=[(s.status, s.label, s.count) for s in fig.segments],
        )
        for r in fig.results:
            if r.latest_next_steps:
                chapter.next_steps.append((r, r.latest_next_steps))
            for update_id in in_period.get(r.pk, []):
                chapter.evidence.extend((r, ev) for ev in evidence_by_update.get(update_id, []))
        chapter.indicators = _indicator_rows(fig.indicators, lineages)
        ind_rows.extend(chapter.indicators)
        chapter.counts_chart = charts.status_bar(
            _("Outputs of area %(number)s by status") % {"number": fig.area.number},
            chapter.counts,
        )
        chapters.append(chapter)
    all_outputs = [r for f in area_figs for r in f.outputs]
    overall = figures.status_segments(r.status for r in all_outputs)
    overall_counts = [(s.status, s.label, s.count) for s in overall]
    carried_rows = []
    for row in ind_rows:
        lineage = lineages.get(row.indicator.pk)
        if lineage is None or lineage.previous is None:
            continue
        before, last = lineage.previous, lineage.previous_latest
        carried_rows.append(
            CarriedRow(
                indicator=row.indicator,
                previous=before,
                previous_baseline=before.format_value(before.baseline_value),
                previous_latest=before.format_value(last.value) if last else "—",
                previous_latest_year=last.year if last else None,
                row=row,
            )
        )
    data.update(
        carried_rows=carried_rows,
        previous_roadmap=roadmap.follows if carried_rows else None,
        as_of=as_of,
        commitments=commitments,
        areas=areas,
        chapters=chapters,
        indicator_rows=ind_rows,
        output_count=len(all_outputs),
        overall_counts=overall_counts,
        overall_chart=charts.status_bar(_("All outputs by status"), overall_counts),
    )
    data.update(_working_group_data(chapters, edition))
    data.update(_survey_data(edition))
    completed = dict((k, n) for k, _label, n in overall_counts)
    data["key_figures"] = _key_figures(data, completed, ind_rows)
    return data


def _key_figures(data: dict, counts: dict, ind_rows: list[IndicatorRow]) -> list[tuple[str, str]]:
    figures = [
        (str(len(data["areas"])), _("priority action areas")),
        (
            f"{counts.get('completed', 0)}/{data['output_count']}",
            _("outputs completed"),
        ),
        (
            str(counts.get("on_track", 0) + counts.get("completed", 0)),
            _("outputs completed or on track"),
        ),
        (str(len(data.get("working_groups", []))), _("working groups")),
    ]
    if data.get("participation") is not None:
        figures.append(
            (
                str(data["participation"].total),
                _("National Societies taking part in the working groups"),
            )
        )
    survey = data.get("survey") or {}
    if survey.get("round"):
        figures.append(
            (f"{survey['responded']}/{survey['invited']}", _("National Societies responded"))
        )
    else:
        figures.append((str(data["society_count"]), _("National Societies in the Movement")))
    return figures


def _working_group_data(chapters: list[AreaChapter], edition: ReportEdition) -> dict:
    """Working groups with co-leads and members; each area's deliverables and milestones.

    Five queries whatever the size: groups (with areas and memberships prefetched: three),
    deliverables with their latest progress, the latest narratives, and milestones.
    """
    from workinggroups.figures import participation
    from workinggroups.models import Deliverable, Membership, Milestone
    from workinggroups.selectors import group_list

    roadmap = chapters[0].area.roadmap if chapters else edition.covered_roadmap
    if roadmap is None:
        return {"working_groups": [], "participation": None}
    groups = list(group_list(roadmap))
    for wg in groups:
        leads = [m for m in wg.active_memberships if m.role == Membership.Role.CO_LEAD]
        members = [m for m in wg.active_memberships if m.role != Membership.Role.CO_LEAD]
        wg.colead_names = sorted(
            {str(m.organisation) for m in leads if m.organisation_id}
            | {str(m.person) for m in leads if not m.organisation_id and m.person_id}
        )
        wg.member_names = sorted({str(m.organisation) for m in members if m.organisation_id})
        wg.area_numbers = [str(a.number) for a in wg.areas.all()]
    as_of = edition.period_end
    deliverables = figures.deliverables_as_of(
        Deliverable.objects.active()
        .filter(working_group__roadmap=roadmap)
        .order_by("due_date", "id"),
        as_of,
        narrative=True,
    )
    milestones: dict[int, list] = defaultdict(list)
    for m in (
        Milestone.objects.active()
        .filter(deliverable__in=[d.pk for d in deliverables])
        .order_by("date", "id")
    ):
        milestones[m.deliverable_id].append(m)
    groups_by_id = {wg.pk: wg for wg in groups}
    by_area = {c.area.pk: c for c in chapters}
    result_area = {r.pk: r.area_id for c in chapters for r in c.results}
    for wg in groups:
        for area in wg.areas.all():
            if area.pk in by_area:
                by_area[area.pk].working_groups.append(wg)
    for d in deliverables:
        row = {
            "title": d.title,
            "due": d.due_date,
            "status": d.status,
            "status_label": d.status_label,
            "percent": d.latest_percent,
            "narrative": d.latest_narrative or "",
        }
        wg = groups_by_id.get(d.working_group_id)
        # A deliverable tied to a result sits in that result's area; otherwise in its group's.
        area_ids = (
            [result_area[d.expected_result_id]] if d.expected_result_id in result_area else []
        )
        if not area_ids and wg is not None:
            area_ids = [a.pk for a in wg.areas.all()][:1]
        for area_id in area_ids:
            if area_id in by_area:
                by_area[area_id].deliverables.append(row)
                by_area[area_id].milestones.extend(
                    {
                        "date": m.date,
                        "title": m.title,
                        "done": m.is_done,
                        "overdue": figures.is_overdue(m.date, done=m.is_done, as_of=as_of),
                    }
                    for m in milestones.get(d.pk, [])
                )
    # Counted from the membership records as of the period's end, like the indicator.
    return {"working_groups": groups, "participation": participation(roadmap, edition.period_end)}


def _survey_data(edition: ReportEdition) -> dict:
    """Response rate overall and by region, and the societies that responded."""
    if not edition.survey_round_id:
        return {"survey": {}}
    from surveys.selectors import tracker

    survey_round = edition.survey_round
    assert survey_round is not None  # survey_round_id is set
    track = tracker(survey_round)
    totals = track["totals"]
    rows = [(str(r["label"]), r["submitted"], len(r["rows"])) for r in track["regions"]]
    respondents = sorted(
        str(row["society"])
        for r in track["regions"]
        for row in r["rows"]
        if row["status"] == "submitted"
    )
    region_chart = charts.region_bars(
        _("Response rate by region"),
        rows,
        headers=[_("Region"), _("Responded"), _("Invited"), _("Rate")],
    )
    return {
        "survey": {
            "round": survey_round,
            "responded": totals["submitted"],
            "invited": totals["societies"],
            "rate": format_percent(totals["rate"]),
            "region_chart": region_chart,
            "region_rows": rows,
            "respondents": respondents,
        }
    }


def decimal_or_none(value) -> Decimal | None:
    return None if value is None else Decimal(value)


# The status sheet must stay on one A4 page: longer lists are cut and the rest counted.
SHEET_MAX_DELIVERABLES = 14
SHEET_MAX_ITEMS = 6


def _cut(items: list, limit: int) -> tuple[list, int]:
    return items[:limit], max(len(items) - limit, 0)


def group_sheet_data(number: int, roadmap_id: int | None = None) -> dict:
    """What the one-page status sheet of a top-level working group shows, in a fixed number
    of queries whatever the number of deliverables, milestones or actions. 404 if unknown."""

    from django.db.models import Count, F, Prefetch, Q

    from workinggroups.figures import summarise
    from workinggroups.models import ActionItem, Deliverable, Membership, WorkingGroup
    from workinggroups.selectors import overdue_milestones

    roadmap = (
        Roadmap.objects.filter(pk=roadmap_id).first() if roadmap_id else Roadmap.objects.current()
    )
    if roadmap is None:
        raise Http404
    co_leads = Prefetch(
        "memberships",
        queryset=Membership.objects.active()
        .co_leads()
        .select_related("person", "organisation")
        .order_by("slot"),
        to_attr="active_co_leads",
    )
    group = (
        WorkingGroup.objects.filter(roadmap=roadmap, number=number, parent__isnull=True)
        .annotate(
            member_count=Count(
                "memberships",
                filter=Q(memberships__left_on__isnull=True)
                & ~Q(memberships__role=Membership.Role.CO_LEAD),
                distinct=True,
            )
        )
        .prefetch_related("areas", co_leads)
        .first()
    )
    if group is None:
        raise Http404
    today = figures.today()
    deliverables = figures.deliverables_as_of(
        Deliverable.objects.active()
        .filter(working_group=group)
        .select_related("workplan")
        .order_by("-workplan__year", "due_date", "id"),
        today,
    )
    summary = summarise([d.status for d in deliverables])
    open_actions = list(
        ActionItem.objects.active()
        .filter(meeting__working_group=group, is_done=False, meeting__is_archived=False)
        .select_related("meeting", "owner")
        .order_by(F("due_date").asc(nulls_last=True), "id")
    )
    deliverables, more_deliverables = _cut(deliverables, SHEET_MAX_DELIVERABLES)
    milestones, more_milestones = _cut(list(overdue_milestones(group, today)), SHEET_MAX_ITEMS)
    open_actions, more_actions = _cut(open_actions, SHEET_MAX_ITEMS)
    return {
        "group": group,
        "summary": summary,
        "areas": list(group.areas.all()),
        "co_leads": group.active_co_leads,
        "deliverables": deliverables,
        "more_deliverables": more_deliverables,
        "overdue_milestones": milestones,
        "more_milestones": more_milestones,
        "open_actions": open_actions,
        "more_actions": more_actions,
        "today": today,
    }

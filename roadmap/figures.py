"""The tracker's figures, computed in one place: pages, the PDF, exports and the API read them here.

Every figure is computed *as of* a date. The rules are written out for people in
`docs/figures.md`; the report's annex "How the figures were computed" is generated from that
file, so the text and the code are read side by side in review. Change a rule here and there.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import (
    ExpectedResult,
    Indicator,
    IndicatorValue,
    PriorityActionArea,
    ProgressStatus,
    Roadmap,
)

# ---- dates ------------------------------------------------------------------------------


def today() -> datetime.date:
    return datetime.date.today()


def parse_as_of(value: str | None) -> datetime.date:
    """The date a page shows, from `?as_of=YYYY-MM-DD`; today when absent or empty.

    A date that is not a real date, or lies in the future, is refused: figures "as of" a day
    that has not come yet would be guesses.
    """
    if not value:
        return today()
    try:
        as_of = datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not a date: write it as YYYY-MM-DD, for example 2023-12-31."),
            params={"value": value[:20]},
        ) from None
    if as_of > today():
        raise ValidationError(_("The date cannot be in the future."))
    if as_of.year < 1990:
        raise ValidationError(_("The date must be in 1990 or later."))
    return as_of


# ---- statuses ---------------------------------------------------------------------------


class Status(models.TextChoices):
    """Every status a figure can have: what people report, plus "overdue", which is derived."""

    COMPLETED = ProgressStatus.COMPLETED.value, ProgressStatus.COMPLETED.label
    ON_TRACK = ProgressStatus.ON_TRACK.value, ProgressStatus.ON_TRACK.label
    AT_RISK = ProgressStatus.AT_RISK.value, ProgressStatus.AT_RISK.label
    OFF_TRACK = ProgressStatus.OFF_TRACK.value, ProgressStatus.OFF_TRACK.label
    # Never stored: past its due date and not completed (see `deliverable_status`).
    OVERDUE = "overdue", gettext_lazy("Overdue")
    NOT_STARTED = ProgressStatus.NOT_STARTED.value, ProgressStatus.NOT_STARTED.label


# The order of bars, legends and counts everywhere, from done to worrying.
BAR_ORDER = [
    Status.COMPLETED,
    Status.ON_TRACK,
    Status.AT_RISK,
    Status.OFF_TRACK,
    Status.OVERDUE,
    Status.NOT_STARTED,
]
# Same colours as the .status-* classes in static/css/app.css, for SVG fills (pages and PDF).
STATUS_COLOURS = {
    Status.NOT_STARTED: "#6c757d",
    Status.ON_TRACK: "#146c43",
    Status.AT_RISK: "#7a5c03",
    Status.OFF_TRACK: "#b02a37",
    Status.OVERDUE: "#842029",
    Status.COMPLETED: "#0a58ca",
}


def status_label(status: str | None) -> str:
    """The status in the reader's language; "" for an unknown value."""
    try:
        return str(Status(status or "").label)
    except ValueError:
        return ""


def result_status(latest_status: str | None) -> str:
    """An expected result's status: that of its latest update as of the date, else not started."""
    return latest_status or Status.NOT_STARTED


def is_overdue(
    due_date: datetime.date | None, *, done: bool, as_of: datetime.date | None = None
) -> bool:
    """Past its due date and not done. Due *on* the date is not yet overdue."""
    return not done and due_date is not None and due_date < (as_of or today())


def deliverable_status(
    latest_status: str | None, due_date: datetime.date | None, as_of: datetime.date | None = None
) -> str:
    """A deliverable's status: its latest update's as of the date, unless it is overdue then."""
    status = result_status(latest_status)
    if is_overdue(due_date, done=status == Status.COMPLETED, as_of=as_of):
        return Status.OVERDUE
    return status


def roll_up(statuses: Iterable[str | None]) -> str | None:
    """One status for a set of items: an area from its outputs, a group from its deliverables.

    None when there are no items. Every item completed → completed; otherwise the most worrying
    status present, off track (an overdue item counts as off track) before at risk; otherwise
    on track as soon as any item has started (on track or completed); otherwise not started.
    """
    known = [s or Status.NOT_STARTED for s in statuses]
    if not known:
        return None
    if all(s == Status.COMPLETED for s in known):
        return Status.COMPLETED
    if Status.OFF_TRACK in known or Status.OVERDUE in known:
        return Status.OFF_TRACK
    if Status.AT_RISK in known:
        return Status.AT_RISK
    if any(s in (Status.ON_TRACK, Status.COMPLETED) for s in known):
        return Status.ON_TRACK
    return Status.NOT_STARTED


@dataclass
class Segment:
    """One status's share of a set of items, for bars, legends and count tables."""

    status: str
    label: str
    count: int
    percent: float
    offset: float
    colour: str


def status_segments(statuses: Iterable[str | None]) -> list[Segment]:
    """How many items have each status, and their share (percent of all items), in BAR_ORDER."""
    counts: dict[str, int] = defaultdict(int)
    total = 0
    for status in statuses:
        counts[status or Status.NOT_STARTED] += 1
        total += 1
    segments, offset = [], 0.0
    for status in BAR_ORDER:
        count = counts.get(status, 0)
        percent = 100.0 * count / total if total else 0.0
        segments.append(
            Segment(
                status=status.value,
                label=str(status.label),
                count=count,
                percent=round(percent, 2),
                offset=round(offset, 2),
                colour=STATUS_COLOURS[status],
            )
        )
        offset += percent
    return segments


def share_completed(statuses: Iterable[str | None]) -> int:
    """Percent of items completed, rounded to a whole number (0 when there are none)."""
    known = list(statuses)
    if not known:
        return 0
    return round(100 * sum(1 for s in known if s == Status.COMPLETED) / len(known))


# ---- expected results and areas ---------------------------------------------------------


def results_as_of(queryset: models.QuerySet, as_of: datetime.date) -> list[ExpectedResult]:
    """Expected results with their latest status, percent, date and narrative as of the date.

    Sets `status` and `status_label` on each. One query, whatever the number of updates.
    """
    results = list(queryset.with_latest_progress(as_of=as_of, narrative=True))
    for r in results:
        r.status = result_status(r.latest_status)
        r.status_label = status_label(r.status)
    return results


@dataclass
class IndicatorSummary:
    indicator: Indicator
    values: list[IndicatorValue]
    chart: object = None  # drawn by the page that shows it (roadmap.charts.indicator_trend)

    @property
    def latest(self) -> IndicatorValue | None:
        return self.values[-1] if self.values else None


@dataclass
class AreaFigures:
    """An area as of a date: its status, its outputs by status, and its indicators."""

    area: PriorityActionArea
    as_of: datetime.date
    results: list[ExpectedResult]
    status: str | None
    last_update: datetime.date | None
    segments: list[Segment] = field(default_factory=list)
    indicators: list[IndicatorSummary] = field(default_factory=list)

    @property
    def outcomes(self) -> list[ExpectedResult]:
        return [r for r in self.results if r.kind == ExpectedResult.Kind.OUTCOME]

    @property
    def outputs(self) -> list[ExpectedResult]:
        return [r for r in self.results if r.kind == ExpectedResult.Kind.OUTPUT]

    @property
    def output_count(self) -> int:
        return len(self.outputs)

    @property
    def status_label(self) -> str:
        return status_label(self.status) if self.status else _("No outputs yet")

    @property
    def completed_percent(self) -> int:
        return share_completed(r.status for r in self.outputs)


def area_figures(
    roadmap: Roadmap | None, as_of: datetime.date, *, area: PriorityActionArea | None = None
) -> list[AreaFigures]:
    """Every area of the roadmap (or just `area`) as of the date.

    Three queries whatever the number of areas, results, updates and values: the areas, their
    live results with the latest update as of the date annotated, and the indicators with their
    values (see `indicator_series`).
    """
    if roadmap is None:
        return []
    areas = list(
        roadmap.areas.order_by("number")
        if area is None
        else PriorityActionArea.objects.filter(pk=area.pk).select_related("roadmap")
    )
    results = results_as_of(
        ExpectedResult.objects.filter(area__in=areas, is_archived=False).order_by(
            "kind", "order", "code"
        ),
        as_of,
    )
    by_area: dict[int, list[ExpectedResult]] = defaultdict(list)
    for r in results:
        by_area[r.area_id].append(r)
    indicators = list(
        Indicator.objects.filter(area__in=areas).order_by("area__number", "order", "code")
    )
    series = indicator_series(indicators, as_of)
    indicators_by_area: dict[int, list[IndicatorSummary]] = defaultdict(list)
    for ind in indicators:
        indicators_by_area[ind.area_id].append(
            IndicatorSummary(indicator=ind, values=series.get(ind.pk, []))
        )
    figures = []
    for a in areas:
        outputs = [r for r in by_area[a.pk] if r.kind == ExpectedResult.Kind.OUTPUT]
        dates = [r.latest_update_date for r in outputs if r.latest_update_date]
        figures.append(
            AreaFigures(
                area=a,
                as_of=as_of,
                results=by_area[a.pk],
                status=roll_up(r.status for r in outputs),
                last_update=max(dates) if dates else None,
                segments=status_segments(r.status for r in outputs),
                indicators=indicators_by_area[a.pk],
            )
        )
    return figures


# ---- deliverables, milestones and action items -------------------------------------------


def deliverables_as_of(
    queryset: models.QuerySet, as_of: datetime.date, *, narrative: bool = False
) -> list:
    """Deliverables with their latest update as of the date and their derived status. One query."""
    return mark_deliverables(
        list(queryset.with_latest_progress(as_of=as_of, narrative=narrative)), as_of
    )


def mark_deliverables(deliverables: list, as_of: datetime.date) -> list:
    """Set `status` and `status_label` on deliverables annotated with their latest progress."""
    for d in deliverables:
        d.status = deliverable_status(d.latest_status, d.due_date, as_of)
        d.status_label = status_label(d.status)
    return deliverables


def overdue_filter(date_field: str, as_of: datetime.date, *, done_field: str = "is_done") -> Q:
    """`is_overdue` as a database filter, for lists of overdue milestones and action items."""
    return Q(**{f"{date_field}__lt": as_of, done_field: False})


def overdue_deliverables_filter(as_of: datetime.date) -> Q:
    """`deliverable_status(...) == OVERDUE` as a filter on deliverables annotated with their
    latest progress as of the same date."""
    return Q(due_date__lt=as_of) & (Q(latest_status__isnull=True) | ~Q(latest_status="completed"))


# ---- indicator values -------------------------------------------------------------------
#
# THE RULE for indicator values, written once (docs/figures.md says it in words):
# - A value *counts* when it is published: proposed values (computed from a survey round and
#   not yet reviewed), withdrawn and discarded ones never count (IndicatorValue.objects.counted()).
# - "As of" a date: values measured for that date's year or earlier.
# - One value per year: when a year has several counted values (several sources), a typed-in
#   value beats a computed one (an admin who publishes a computed value over a typed-in one
#   withdraws the typed-in one, so it no longer competes); among values of the same kind, the
#   one recorded last (newest created, then highest id) counts.
# - The latest value is the counted value of the most recent year of that series.


def _indicator_ids(indicators) -> list[int]:
    """Ids from an indicator, an id, or an iterable of either."""
    if isinstance(indicators, Indicator | int):
        indicators = [indicators]
    return [getattr(i, "pk", i) for i in indicators]


def _preferred(value: IndicatorValue) -> tuple:
    # Sort key: the greatest wins the year (typed-in first, then the newest).
    return (not value.is_computed, value.created_at, value.pk)


def series_of(values: Iterable[IndicatorValue]) -> list[IndicatorValue]:
    """One counted value per year, oldest year first, from one indicator's counted values."""
    by_year: dict[int, IndicatorValue] = {}
    for value in values:
        kept = by_year.get(value.year)
        if kept is None or _preferred(value) > _preferred(kept):
            by_year[value.year] = value
    return [by_year[year] for year in sorted(by_year)]


def counted_values(as_of: datetime.date) -> models.QuerySet:
    """The values that count as of the date (any indicator); the base of every figure below."""
    return IndicatorValue.objects.counted().as_of(as_of).order_by("year", "id")


# Indicators whose values come from the tracker's own records, by code: the app that holds the
# records registers a function (indicator, as_of) -> unsaved values, one per year. From the
# first of those years on, they take the place of typed-in values (docs/figures.md).
RECORD_SERIES: dict[str, Callable[[Indicator, datetime.date], list[IndicatorValue]]] = {}


def register_record_series(
    code: str, series: Callable[[Indicator, datetime.date], list[IndicatorValue]]
) -> None:
    RECORD_SERIES[code] = series


def _with_records(indicator: Indicator, values: list, as_of: datetime.date) -> list:
    computed = RECORD_SERIES[indicator.code](indicator, as_of)
    if not computed:
        return values
    first = computed[0].year
    return [v for v in values if v.year < first] + computed


def indicator_series(indicator_or_ids, as_of: datetime.date) -> dict[int, list[IndicatorValue]]:
    """For each indicator id, its counted values as of the date, one per year, oldest first.

    `indicator_or_ids`: an Indicator, an id, or an iterable of either. Every id asked for is a
    key (an empty list when it has no value). One query for any number of indicators.
    """
    ids = _indicator_ids(indicator_or_ids)
    grouped: dict[int, list[IndicatorValue]] = {pk: [] for pk in ids}
    for value in counted_values(as_of).filter(indicator_id__in=ids):
        grouped[value.indicator_id].append(value)
    series = {pk: series_of(values) for pk, values in grouped.items()}
    if isinstance(indicator_or_ids, Indicator):
        indicator_or_ids = [indicator_or_ids]
    if not isinstance(indicator_or_ids, int):
        for indicator in indicator_or_ids:
            if isinstance(indicator, Indicator) and indicator.code in RECORD_SERIES:
                series[indicator.pk] = _with_records(indicator, series[indicator.pk], as_of)
    return series


@dataclass
class Lineage:
    """One indicator's series across roadmaps: the values of the indicators it was carried
    over from (before its roadmap started), then its own, and where each roadmap starts."""

    indicator: Indicator
    first: Indicator  # the first roadmap's indicator, whose baseline the trend starts from
    values: list[IndicatorValue]
    # (first year, roadmap) of each roadmap after the first, oldest first.
    boundaries: list[tuple[int, Roadmap]] = field(default_factory=list)
    # The previous roadmap's indicator and its last value counted before this roadmap began.
    previous: Indicator | None = None
    previous_latest: IndicatorValue | None = None


def series_across_roadmaps(indicators, as_of: datetime.date) -> dict[int, Lineage]:
    """For each carried-over indicator, its one series from the first roadmap on (as of the
    date). Two queries whatever the number of indicators or roadmaps: the links between
    indicators, and the counted values of every indicator in the lineages (`indicator_series`).
    Each roadmap's part holds the values measured before the next roadmap's first year.
    """
    indicators = [i for i in indicators if i.carried_from_id]
    if not indicators:
        return {}
    links = {
        pk: (parent, roadmap)
        for pk, parent, roadmap in Indicator.objects.values_list(
            "pk", "carried_from_id", "area__roadmap_id"
        )
    }
    chains = {}
    for ind in indicators:
        chain, pk, seen = [], ind.carried_from_id, {ind.pk}
        while pk and pk not in seen and pk in links:
            chain.append(pk)
            seen.add(pk)
            pk = links[pk][0]
        chains[ind.pk] = list(reversed(chain))  # oldest first
    ancestor_ids = {pk for chain in chains.values() for pk in chain}
    ancestors = Indicator.objects.in_bulk(ancestor_ids)
    roadmap_ids = {links[pk][1] for pk in ancestor_ids} | {links[i.pk][1] for i in indicators}
    roadmaps = Roadmap.objects.in_bulk(roadmap_ids)
    series = indicator_series([*ancestors.values(), *indicators], as_of)
    lineages = {}
    for ind in indicators:
        members = [ancestors[pk] for pk in chains[ind.pk] if pk in ancestors] + [ind]
        values: list[IndicatorValue] = []
        boundaries = []
        for member, after in zip(members, [*members[1:], None], strict=True):
            own = series.get(member.pk, [])
            if after is not None:
                starts = roadmaps[links[after.pk][1]].start_year
                own = [v for v in own if v.year < starts]
                boundaries.append((starts, roadmaps[links[after.pk][1]]))
            values.extend(v for v in own if not values or v.year > values[-1].year)
        previous = members[-2] if len(members) > 1 else None
        before = (
            [v for v in series.get(previous.pk, []) if v.year < boundaries[-1][0]]
            if previous
            else []
        )
        lineages[ind.pk] = Lineage(
            indicator=ind,
            first=members[0],
            values=values,
            boundaries=boundaries,
            previous=previous,
            previous_latest=before[-1] if before else None,
        )
    return lineages


def latest_values(indicators, as_of: datetime.date) -> dict[int, IndicatorValue | None]:
    """For each indicator id, the latest counted value as of the date, or None. One query."""
    return {pk: (s[-1] if s else None) for pk, s in indicator_series(indicators, as_of).items()}


def indicator_values_prefetch(as_of: datetime.date) -> Prefetch:
    """The counted values of each indicator as of the date, for querysets of indicators
    (apply `series_of` to `indicator.values.all()` to get one per year)."""
    return Prefetch("values", queryset=counted_values(as_of))


def is_provisional_coverage(responses: int, invited: int) -> bool:
    """Whether a computed value's coverage is below settings.INDICATOR_COVERAGE_THRESHOLD."""
    if not invited:
        return True
    return responses / invited < settings.INDICATOR_COVERAGE_THRESHOLD


# ---- the rules, for people ---------------------------------------------------------------

RULES_FILE = Path(settings.BASE_DIR) / "docs" / "figures.md"


def rules_text() -> str:
    """docs/figures.md, the rules above in words: the report's annex is generated from it."""
    return RULES_FILE.read_text(encoding="utf-8")


def rules_html(*, top_level: int = 2) -> str:
    """docs/figures.md as HTML (the page "How the figures are computed" and the report annex).

    The file is ours, in the repository, so its HTML is trusted. Its title is left to the page
    or annex that shows it; its sections become headings of `top_level` (2: <h2>), so they
    follow the headings around them in order.
    """
    import re

    import markdown

    text = rules_text()
    body = text.split("\n", 1)[1] if text.startswith("# ") else text
    html = markdown.markdown(body, output_format="html")
    shift = top_level - 2
    return re.sub(
        r"<(/?)h([1-6])>", lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + shift, 6)}>", html
    )

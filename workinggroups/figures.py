"""Working groups' figures as of a date, from the rules of roadmap.figures (docs/figures.md)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from roadmap import charts, figures

from .models import Deliverable


@dataclass
class GroupFigures:
    """A working group's deliverables as of a date: their roll-up, shares and overdue count."""

    status: str | None
    segments: list[figures.Segment]
    deliverable_count: int
    completed_percent: int
    overdue_count: int

    @property
    def status_label(self) -> str:
        return figures.status_label(self.status) if self.status else _("No deliverables yet")


def group_figures(group_ids: Iterable[int], as_of: datetime.date) -> dict[int, GroupFigures]:
    """For each working group id, its own current deliverables summed up as of the date (a
    subgroup is summed up on its own). One query for any number of groups."""
    ids = list(group_ids)
    statuses: dict[int, list[str]] = {pk: [] for pk in ids}
    for d in figures.deliverables_as_of(
        Deliverable.objects.active()
        .filter(working_group_id__in=ids)
        .only("id", "working_group_id", "due_date"),
        as_of,
    ):
        statuses[d.working_group_id].append(d.status)
    return {pk: summarise(found) for pk, found in statuses.items()}


def deliverable_status_chart(label: str, group: GroupFigures) -> charts.Chart | None:
    """A group's deliverables by status as a bar (roadmap.charts.status_bar, the PDF's SVG
    module), from its `group_figures`: the statuses it has, in BAR_ORDER. None when it has no
    deliverables. Narrow, to stand in a card of the working-groups page at its drawn size."""
    if not group.deliverable_count:
        return None
    return charts.status_bar(
        _("%(group)s: deliverables by status") % {"group": label},
        [(s.status, s.label, s.count) for s in group.segments if s.count],
        width=300,
    )


def summarise(statuses: list[str]) -> GroupFigures:
    """A group's figures from its deliverables' statuses as of one date."""
    return GroupFigures(
        status=figures.roll_up(statuses),
        segments=figures.status_segments(statuses),
        deliverable_count=len(statuses),
        completed_percent=figures.share_completed(statuses),
        overdue_count=sum(1 for s in statuses if s == figures.Status.OVERDUE),
    )


# ---- participation ----------------------------------------------------------------------

# The indicator whose values the memberships give (fixtures/roadmap.json).
PARTICIPATION_CODE = "WG-PARTICIPATION"


@dataclass
class Participation:
    """National Societies taking part in the roadmap's working groups on a date."""

    as_of: datetime.date
    societies: set[int]
    by_region: dict[str, int]
    by_group: dict[int, int]

    @property
    def total(self) -> int:
        return len(self.societies)


def _membership_spans(of_roadmap: Q) -> list[tuple]:
    """(society, region, top-level group, joined on, left on) of every National Society
    membership of the groups `of_roadmap` selects. One query."""
    from accounts.models import Organisation

    from .models import Membership

    return [
        (society, region or "", parent or group, joined, left)
        for society, region, group, parent, joined, left in Membership.objects.filter(
            of_roadmap, organisation__kind=Organisation.Kind.NATIONAL_SOCIETY
        ).values_list(
            "organisation_id",
            "organisation__region",
            "working_group_id",
            "working_group__parent_id",
            "joined_on",
            "left_on",
        )
    ]


def _participation_on(spans: list[tuple], as_of: datetime.date) -> Participation:
    societies: set[int] = set()
    regions: dict[str, set[int]] = defaultdict(set)
    groups: dict[int, set[int]] = defaultdict(set)
    for society, region, group, joined, left in spans:
        # Begun that day or before, and not ended by then (ended on the day: gone that day).
        if joined <= as_of and (left is None or left > as_of):
            societies.add(society)
            regions[region].add(society)
            groups[group].add(society)
    return Participation(
        as_of=as_of,
        societies=societies,
        by_region={r: len(s) for r, s in regions.items()},
        by_group={g: len(s) for g, s in groups.items()},
    )


def participation(roadmap, as_of: datetime.date) -> Participation:
    """Who took part on the date, from the membership records (docs/figures.md): a National
    Society counts when one of its memberships of a group of the roadmap (or of a subgroup,
    which counts for its group) had begun and not ended that day. One query."""
    return _participation_on(_membership_spans(Q(working_group__roadmap=roadmap)), as_of)


def participation_series(indicator, as_of: datetime.date) -> list:
    """The participation indicator's values from the records: one per year from the year set
    in settings.PARTICIPATION_COUNTED_FROM to the date's year, each counted on the last day of
    its year (or on the date itself for its own year). Unsaved values, never stored: the
    typed-in values before that year stay the historical series. One query."""
    from roadmap.models import IndicatorValue

    start = settings.PARTICIPATION_COUNTED_FROM
    if as_of < start:
        return []
    spans = _membership_spans(Q(working_group__roadmap__areas=indicator.area_id))
    values = []
    for year in range(start.year, as_of.year + 1):
        day = min(datetime.date(year, 12, 31), as_of)
        values.append(
            IndicatorValue(
                indicator=indicator,
                year=year,
                value=_participation_on(spans, day).total,
                source=_("working-group memberships on %(date)s")
                % {"date": date_format(day, "DATE_FORMAT")},
                is_computed=True,
                status=IndicatorValue.Status.PUBLISHED,
            )
        )
    return values

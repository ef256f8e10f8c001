"""Working groups' figures as of a date, from the rules of roadmap.figures (docs/figures.md)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from roadmap import figures

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
        Deliverable.objects.current()
        .filter(working_group_id__in=ids)
        .only("id", "working_group_id", "due_date"),
        as_of,
    ):
        statuses[d.working_group_id].append(d.status)
    return {pk: summarise(found) for pk, found in statuses.items()}


def summarise(statuses: list[str]) -> GroupFigures:
    """A group's figures from its deliverables' statuses as of one date."""
    return GroupFigures(
        status=figures.roll_up(statuses),
        segments=figures.status_segments(statuses),
        deliverable_count=len(statuses),
        completed_percent=figures.share_completed(statuses),
        overdue_count=sum(1 for s in statuses if s == figures.Status.OVERDUE),
    )

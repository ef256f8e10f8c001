""" "My work": what a co-lead or member has to do and what changed in their groups.

One page gathers, for the person signed in: their open action items; the deliverables and
milestones of their groups (and of those groups' subgroups) due within ``DUE_SOON_DAYS`` or
overdue (overdue by the one rule in ``roadmap/figures.py``); and the latest changes recorded by
the history of those groups' deliverables, milestones, meetings and action items. Admins get
the same across every group of the roadmap. Every list is capped, with the rest counted, so the
page costs a fixed number of queries however much the groups hold.
"""

import datetime
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from roadmap import figures

from .models import ActionItem, Deliverable, Meeting, Milestone, WorkingGroup
from .selectors import groups_of

DUE_SOON_DAYS = 30
SHOWN = 25  # of each list: action items, deliverables, milestones
CHANGES_SHOWN = 20

CHANGE_VERBS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class Change:
    """One recorded change to something of a group: who changed what, when, with a link."""

    when: datetime.datetime
    kind: str
    title: str
    url: str
    verb: str
    who: str
    group_id: int
    group_label: str = ""


def work_groups(user, roadmap, *, everything: bool) -> QuerySet[WorkingGroup]:
    """The groups the page covers: every open group of the roadmap for an admin, else the open
    groups the person is an active co-lead or member of, with their subgroups."""
    groups = WorkingGroup.objects.filter(is_archived=False)
    if everything:
        return groups.filter(roadmap=roadmap) if roadmap else groups.none()
    mine = groups_of(user).filter(is_archived=False).values("pk")
    return groups.filter(Q(pk__in=mine) | Q(parent__in=mine))


def _capped(queryset, shown: int) -> tuple[list, int]:
    """The first rows and how many more there are (a count query only when the cap is hit)."""
    rows = list(queryset[:shown])
    total = len(rows) if len(rows) < shown else queryset.count()
    return rows, total - len(rows)


def _changes(
    group_ids: list[int], shown: int, *, since: datetime.datetime | None = None, not_by=None
) -> list[Change]:
    """The latest history records of the groups' deliverables, milestones, meetings and action
    items, newest first: four queries, each capped, merged. ``since``: only records from then
    on; ``not_by``: leave out what that person changed themselves (the e-mail digest)."""
    sources = (
        (
            Deliverable.history.filter(working_group_id__in=group_ids),
            _("Deliverable"),
            lambda h: h.title,
            lambda h: reverse("workinggroups:deliverable", kwargs={"pk": h.id}),
            lambda h: h.working_group_id,
        ),
        (
            Milestone.history.filter(deliverable__working_group_id__in=group_ids).annotate(
                group_id=F("deliverable__working_group_id")
            ),
            _("Milestone"),
            lambda h: h.title,
            lambda h: reverse("workinggroups:deliverable", kwargs={"pk": h.deliverable_id}),
            lambda h: h.group_id,
        ),
        (
            Meeting.history.filter(working_group_id__in=group_ids),
            _("Meeting"),
            lambda h: h.title or f"{Meeting.Kind(h.kind).label} {h.date}",
            lambda h: reverse("workinggroups:meeting", kwargs={"pk": h.id}),
            lambda h: h.working_group_id,
        ),
        (
            ActionItem.history.filter(meeting__working_group_id__in=group_ids).annotate(
                group_id=F("meeting__working_group_id")
            ),
            _("Action item"),
            lambda h: h.description,
            lambda h: reverse("workinggroups:meeting", kwargs={"pk": h.meeting_id}),
            lambda h: h.group_id,
        ),
    )
    changes: list[Change] = []
    for queryset, kind, title, url, group in sources:
        if since is not None:
            queryset = queryset.filter(history_date__gte=since)
        if not_by is not None:
            queryset = queryset.exclude(history_user=not_by)
        for record in queryset.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )[:shown]:
            user = record.history_user
            changes.append(
                Change(
                    when=record.history_date,
                    kind=str(kind),
                    title=title(record),
                    url=url(record),
                    verb=str(CHANGE_VERBS.get(record.history_type, "")),
                    who=(user.get_full_name() or user.email) if user else "",
                    group_id=group(record),
                )
            )
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes[:shown]


def my_work(
    user,
    roadmap,
    as_of: datetime.date,
    *,
    everything: bool = False,
    due_days: int = DUE_SOON_DAYS,
    changes_since: datetime.datetime | None = None,
) -> dict:
    """Everything the "My work" page shows, in a fixed number of queries.

    The e-mail digest (``workinggroups/digests.py``) reads the same with its own window: due
    within ``due_days``, the person's own action items only when overdue or due by then, and
    the changes others made since ``changes_since``.
    """
    soon = as_of + datetime.timedelta(days=due_days)
    groups = {
        g.pk: g
        for g in work_groups(user, roadmap, everything=everything).select_related(
            "parent", "roadmap"
        )
    }
    group_ids = list(groups)

    actions = (
        ActionItem.objects.active()
        .filter(owner=user, is_done=False, meeting__is_archived=False)
        .select_related("meeting__working_group__parent", "meeting__working_group__roadmap")
        .order_by(F("due_date").asc(nulls_last=True), "id")
    )
    if changes_since is not None:  # the digest: what is due, not every open item
        actions = actions.filter(due_date__lte=soon)
    deliverables = (
        Deliverable.objects.active()
        .filter(working_group_id__in=group_ids)
        .with_latest_progress(as_of=as_of)
        .filter(
            figures.overdue_deliverables_filter(as_of)
            | (
                Q(due_date__gte=as_of, due_date__lte=soon)
                & (Q(latest_status__isnull=True) | ~Q(latest_status="completed"))
            )
        )
        .select_related("working_group__parent", "working_group__roadmap")
        .order_by("due_date", "id")
    )
    milestones = (
        Milestone.objects.active()
        .filter(deliverable__working_group_id__in=group_ids, deliverable__is_archived=False)
        .filter(
            figures.overdue_filter("date", as_of)
            | Q(date__gte=as_of, date__lte=soon, is_done=False)
        )
        .select_related("deliverable__working_group__parent", "deliverable__working_group__roadmap")
        .order_by("date", "id")
    )
    found: dict = {"groups": list(groups.values()), "soon": soon, "everything": everything}
    for name, queryset in (
        ("actions", actions),
        ("deliverables", deliverables),
        ("milestones", milestones),
    ):
        found[name], found[f"{name}_more"] = _capped(queryset, SHOWN)
    figures.mark_deliverables(found["deliverables"], as_of)
    changes = (
        _changes(
            group_ids,
            CHANGES_SHOWN,
            since=changes_since,
            not_by=user if changes_since is not None else None,
        )
        if group_ids
        else []
    )
    for change in changes:
        group = groups.get(change.group_id)
        change.group_label = group.label if group else ""
    found["changes"] = changes
    _name_roadmaps(found, groups)
    return found


def _name_roadmaps(found: dict, groups: dict) -> None:
    """A person in groups of two roadmaps (a group carried over stays open in the roadmap before)
    reads each group's label with its roadmap: "WG1 · Roadmap 2024–2027", not "WG1, WG1"."""
    if len({g.roadmap_id for g in groups.values()}) < 2:
        return
    found["several_roadmaps"] = True

    def name(group: WorkingGroup) -> None:
        group.shown_label = f"{group.label} · {group.roadmap.display_name}"

    for group in groups.values():
        name(group)
    for item in found["actions"]:
        name(item.meeting.working_group)
    for deliverable in found["deliverables"]:
        name(deliverable.working_group)
    for milestone in found["milestones"]:
        name(milestone.deliverable.working_group)
    for change in found["changes"]:
        group = groups.get(change.group_id)
        if group is not None:
            change.group_label = group.shown_label

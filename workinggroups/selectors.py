"""Reads about working groups that other apps and the pages need."""

import datetime

from django.db.models import Count, F, Prefetch, Q

from roadmap import figures

from .models import ActionItem, Deliverable, Meeting, Membership, Milestone, WorkingGroup


def person_works_on_area(user, area) -> bool:
    """Whether this person is an active co-lead or member of a group covering the area."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    area_id = getattr(area, "pk", area)
    return (
        Membership.objects.active()
        .filter(person=user, role__in=[Membership.Role.CO_LEAD, Membership.Role.MEMBER])
        .filter(Q(working_group__areas=area_id) | Q(working_group__parent__areas=area_id))
        .exists()
    )


def person_leads_area(user, area) -> bool:
    """Whether this person is an active co-lead of a group covering the area (or of the parent
    of a subgroup covering it: co-leads of a group also lead its subgroups)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    area_id = getattr(area, "pk", area)
    return (
        Membership.objects.active()
        .co_leads()
        .filter(person=user)
        .filter(Q(working_group__areas=area_id) | Q(working_group__subgroups__areas=area_id))
        .exists()
    )


def groups_of(user):
    """The groups where this person is an active co-lead or member, co-led first."""
    return (
        WorkingGroup.objects.filter(
            memberships__person=user,
            memberships__left_on__isnull=True,
            memberships__role__in=[Membership.Role.CO_LEAD, Membership.Role.MEMBER],
        )
        .order_by("memberships__role", "-roadmap__start_year", "number")
        .distinct()
    )


def active_members_prefetch(to_attr: str = "active_memberships"):
    return Prefetch(
        "memberships",
        queryset=Membership.objects.active().select_related("person", "organisation"),
        to_attr=to_attr,
    )


def group_list(roadmap):
    """Top-level groups with their co-leads, areas, subgroups and counts, in a bounded number
    of queries. A closed group shows the people it had when it closed (their membership ended
    that day)."""
    at_closing = Q(left_on__isnull=True) | Q(left_on=F("working_group__closed_on"))
    return (
        WorkingGroup.objects.top_level()
        .filter(roadmap=roadmap, is_archived=False)
        .annotate(
            member_count=Count(
                "memberships",
                filter=(
                    Q(memberships__left_on__isnull=True) | Q(memberships__left_on=F("closed_on"))
                )
                & ~Q(memberships__role=Membership.Role.CO_LEAD),
                distinct=True,
            ),
            deliverable_count=Count(
                "deliverables", filter=Q(deliverables__is_archived=False), distinct=True
            ),
        )
        .prefetch_related(
            "areas",
            "subgroups",
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(at_closing).select_related(
                    "person", "organisation"
                ),
                to_attr="active_memberships",
            ),
        )
        .order_by("number")
    )


def group_deliverables(group, *, with_archived: bool = False):
    """The group's deliverables, the archived ones too (marked) when asked (core.archive)."""
    return (
        Deliverable.objects.shown(with_archived)
        .filter(working_group=group)
        .with_latest_progress()
        .with_previous_progress()
        .select_related("workplan", "owner_organisation", "expected_result")
        .order_by("-workplan__year", "due_date", "id")
    )


def overdue_milestones(group, as_of: datetime.date | None = None):
    """The group's milestones overdue as of the date (roadmap.figures.is_overdue)."""
    return (
        Milestone.objects.active()
        .filter(deliverable__working_group=group, deliverable__is_archived=False)
        .filter(figures.overdue_filter("date", as_of or figures.today()))
        .select_related("deliverable")
        .order_by("date")
    )


def overdue_action_items(group, as_of: datetime.date | None = None):
    """The group's action items overdue as of the date (roadmap.figures.is_overdue)."""
    return (
        ActionItem.objects.active()
        .filter(meeting__working_group=group, meeting__is_archived=False)
        .filter(figures.overdue_filter("due_date", as_of or figures.today()))
        .select_related("meeting", "owner")
        .order_by("due_date")
    )


def group_meetings(group, *, with_archived: bool = False):
    """The group's meetings, the archived ones too (marked) when asked (core.archive)."""
    return (
        Meeting.objects.shown(with_archived)
        .filter(working_group=group)
        .annotate(
            open_actions=Count(
                "action_items",
                filter=Q(action_items__is_done=False, action_items__is_archived=False),
            ),
        )
        .order_by("-date", "-id")
    )


# An admin's page of everything overdue: capped, the rest counted, so it stays one page.
OVERDUE_EVERYWHERE_SHOWN = 200


def overdue_everywhere(roadmap, as_of: datetime.date) -> dict:
    """Overdue deliverables, milestones and action items of every group of the roadmap as of the
    date, oldest due first, each list capped with the total counted. Six queries."""
    groups = WorkingGroup.objects.filter(roadmap=roadmap, is_archived=False)
    deliverables = (
        Deliverable.objects.active()
        .filter(working_group__in=groups)
        .with_latest_progress(as_of=as_of)
        .filter(figures.overdue_deliverables_filter(as_of))
        .select_related("working_group__parent")
        .order_by("due_date", "id")
    )
    milestones = (
        Milestone.objects.active()
        .filter(deliverable__working_group__in=groups, deliverable__is_archived=False)
        .filter(figures.overdue_filter("date", as_of))
        .select_related("deliverable__working_group__parent")
        .order_by("date", "id")
    )
    actions = (
        ActionItem.objects.active()
        .filter(meeting__working_group__in=groups, meeting__is_archived=False)
        .filter(figures.overdue_filter("due_date", as_of))
        .select_related("meeting__working_group__parent", "owner")
        .order_by("due_date", "id")
    )
    found: dict = {}
    for name, queryset in (
        ("deliverables", deliverables),
        ("milestones", milestones),
        ("actions", actions),
    ):
        rows = list(queryset[:OVERDUE_EVERYWHERE_SHOWN])
        total = len(rows) if len(rows) < OVERDUE_EVERYWHERE_SHOWN else queryset.count()
        found[name] = rows
        found[f"{name}_more"] = total - len(rows)
    figures.mark_deliverables(found["deliverables"], as_of)
    return found

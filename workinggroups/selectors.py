"""Reads about working groups that other apps and the pages need."""

import datetime

from django.db.models import Count, Prefetch, Q

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


def groups_of(user):
    """The groups where this person is an active co-lead or member, co-led first."""
    return (
        WorkingGroup.objects.filter(
            memberships__person=user,
            memberships__left_on__isnull=True,
            memberships__role__in=[Membership.Role.CO_LEAD, Membership.Role.MEMBER],
        )
        .order_by("memberships__role", "number")
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
    of queries."""
    return (
        WorkingGroup.objects.top_level()
        .filter(roadmap=roadmap, is_archived=False)
        .annotate(
            member_count=Count(
                "memberships",
                filter=Q(memberships__left_on__isnull=True)
                & ~Q(memberships__role=Membership.Role.CO_LEAD),
                distinct=True,
            ),
            deliverable_count=Count(
                "deliverables", filter=Q(deliverables__is_archived=False), distinct=True
            ),
        )
        .prefetch_related("areas", "subgroups", active_members_prefetch())
        .order_by("number")
    )


def group_deliverables(group):
    return (
        Deliverable.objects.current()
        .filter(working_group=group)
        .with_latest_progress()
        .with_previous_progress()
        .select_related("workplan", "owner_organisation", "expected_result")
        .order_by("-workplan__year", "due_date", "id")
    )


def overdue_milestones(group, today: datetime.date | None = None):
    today = today or datetime.date.today()
    return (
        Milestone.objects.filter(
            deliverable__working_group=group,
            deliverable__is_archived=False,
            is_done=False,
            date__lt=today,
        )
        .select_related("deliverable")
        .order_by("date")
    )


def overdue_action_items(group, today: datetime.date | None = None):
    today = today or datetime.date.today()
    return (
        ActionItem.objects.filter(meeting__working_group=group, is_done=False, due_date__lt=today)
        .select_related("meeting", "owner")
        .order_by("due_date")
    )


def group_meetings(group):
    return (
        Meeting.objects.filter(working_group=group)
        .annotate(
            open_actions=Count("action_items", filter=Q(action_items__is_done=False)),
        )
        .order_by("-date", "-id")
    )

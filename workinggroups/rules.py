"""Who may do what in a working group: admins and active co-leads edit, members contribute.

This app also tells the roadmap who leads and who works on the subjects of progress updates
(expected results, by the areas a group covers; deliverables, by their group), so the one
update policy in ``roadmap/rules.py`` applies to both.
"""

import rules

from accounts.rules import is_reader, is_roadmap_admin, is_signed_in
from roadmap.models import ExpectedResult
from roadmap.rules import register_subject_scope

from . import selectors
from .models import Deliverable, Membership


def _group_ids(user, roles) -> set[int]:
    """Ids of the groups where this person holds one of the roles now, cached on the user."""
    cache = getattr(user, "_wg_roles_cache", None)
    if cache is None:
        cache = {}
        for group_id, role in (
            Membership.objects.active().filter(person=user).values_list("working_group_id", "role")
        ):
            cache.setdefault(role, set()).add(group_id)
        user._wg_roles_cache = cache
    found: set[int] = set()
    for role in roles:
        found |= cache.get(role, set())
    return found


def _governing_ids(group) -> set[int]:
    # Co-leads of a parent group also lead its subgroups.
    return {group.pk, group.parent_id} - {None}


@rules.predicate
def is_co_lead_of(user, group) -> bool:
    if not (user and user.is_authenticated and group is not None):
        return False
    return bool(_group_ids(user, ["co_lead"]) & {group.governing_group_id})


@rules.predicate
def is_member_of(user, group) -> bool:
    """Co-lead or member of the group (or of its parent group)."""
    if not (user and user.is_authenticated and group is not None):
        return False
    return bool(_group_ids(user, ["co_lead", "member"]) & _governing_ids(group))


can_manage = is_signed_in & ~is_reader & (is_roadmap_admin | is_co_lead_of)
can_contribute = is_signed_in & ~is_reader & (is_roadmap_admin | is_co_lead_of | is_member_of)

# Object: the group. Everybody signed in reads every group.
rules.add_perm("workinggroups.view_group", is_signed_in)
# Object: the group. Change it, its memberships, workplans, deliverables, milestones,
# meetings, action items and resources.
rules.add_perm("workinggroups.manage_group", can_manage)
# Object: the group. Write the minutes and decisions of its meetings.
rules.add_perm("workinggroups.contribute", can_contribute)
# Object: the group. Ask to join it for one's organisation (readers only read).
rules.add_perm("workinggroups.ask_to_join", is_signed_in & ~is_reader)
# No object: every pending invitation across the groups (a group's own are manage_group's).
rules.add_perm("workinggroups.view_all_invitations", is_roadmap_admin)
# No object: the page of every overdue item across the groups.
rules.add_perm("workinggroups.view_overdue_everywhere", is_roadmap_admin)
# No object: "My work" across every group of the roadmap, not only one's own groups.
rules.add_perm("workinggroups.view_all_work", is_roadmap_admin)


def manageable_groups(user, groups):
    """The groups of ``groups`` this person may manage: the same predicate, one group at a time
    (the person's memberships are read once and cached on the user)."""
    if not is_signed_in(user) or is_reader(user):
        return groups.none()  # the rule's first terms: no need to read the groups
    return groups.filter(
        pk__in=[
            g.pk
            for g in groups.only("pk", "parent_id")
            if user.has_perm("workinggroups.manage_group", g)
        ]
    )


# Progress updates: on a deliverable, its group's co-leads lead and its members work on it; on an
# expected result, the co-leads and members of a group covering the result's area.
def _on_area(selector_name: str):
    """``selectors.<selector_name>(user, area)``, remembered on the user for the request: a
    page of updates on one result asks the same question once per update."""

    def predicate(user, result) -> bool:
        cache = user.__dict__.setdefault("_wg_area_cache", {})
        key = (selector_name, result.area_id)
        if key not in cache:
            cache[key] = bool(getattr(selectors, selector_name)(user, result.area))
        return cache[key]

    return predicate


register_subject_scope(
    ExpectedResult,
    leads=_on_area("person_leads_area"),
    works_on=_on_area("person_works_on_area"),
)
register_subject_scope(
    Deliverable,
    leads=lambda user, deliverable: is_co_lead_of(user, deliverable.working_group),
    works_on=lambda user, deliverable: is_member_of(user, deliverable.working_group),
)
# No object: one's own calendar feed (it holds only what its owner reads: their groups, their
# action items), made, replaced and turned off from the profile page.
rules.add_perm("workinggroups.use_calendar_feed", is_signed_in)

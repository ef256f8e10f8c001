"""Who may do what in a working group: admins and active co-leads edit, members contribute."""

import rules

from accounts.rules import is_reader, is_roadmap_admin, is_signed_in


def _group_ids(user, roles) -> set[int]:
    """Ids of the groups where this person holds one of the roles now, cached on the user."""
    cache = getattr(user, "_wg_roles_cache", None)
    if cache is None:
        from .models import Membership

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
    """Co-lead, member or observer of the group (or of its parent group)."""
    if not (user and user.is_authenticated and group is not None):
        return False
    return bool(_group_ids(user, ["co_lead", "member"]) & _governing_ids(group))


can_manage = is_signed_in & ~is_reader & (is_roadmap_admin | is_co_lead_of)
can_contribute = is_signed_in & ~is_reader & (is_roadmap_admin | is_co_lead_of | is_member_of)

rules.add_perm("workinggroups.view_group", is_signed_in)
# Change the group, its memberships, workplans, deliverables, milestones, meetings, resources.
rules.add_perm("workinggroups.manage_group", can_manage)
# Post progress updates and evidence, write meeting notes.
rules.add_perm("workinggroups.contribute", can_contribute)
# Import resources: admins into any group, co-leads into their own.
rules.add_perm("workinggroups.import_resources", can_manage)

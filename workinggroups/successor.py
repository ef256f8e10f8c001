"""The working groups' part of a successor roadmap (registered in roadmap.services).

Each top-level group of the roadmap ending is either carried over or closed.

- Carried over: a copy in the successor, linked by ``carried_from``, with its live subgroups,
  its areas mapped to the carried areas, and its active members and co-leads as new memberships
  from the successor's first day. The old group stays as it was, people included: they still
  report against the roadmap before (its endline, its last report) while working in the new one.
- Closed: the group closes on the close date and its active memberships end that day. The rows
  stay, so who led and joined it remains in its history.
"""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from roadmap.services import CARRY, CLOSE, SuccessorHook, SuccessorPlan

from .models import Membership, WorkingGroup
from .services import _save


def _open_groups(roadmap):
    return (
        WorkingGroup.objects.top_level()
        .filter(roadmap=roadmap, is_archived=False, closed_on__isnull=True)
        .order_by("number")
    )


class GroupsHook(SuccessorHook):
    name = "groups"
    label = gettext_lazy("Working groups")

    def items(self, source) -> list:
        return list(_open_groups(source))

    def plan(self, plan: SuccessorPlan, choices) -> None:
        choices = {int(k): v for k, v in (choices or {}).items()}
        groups = list(_open_groups(plan.source))
        known = {g.pk for g in groups}
        rows = []
        if set(choices) - known:
            plan.errors.append(_("Some working groups chosen are not open groups of this roadmap."))
        for group in groups:
            choice = choices.get(group.pk)
            if choice not in (CARRY, CLOSE):
                plan.errors.append(
                    _("Say whether %(group)s carries over or closes.") % {"group": group}
                )
                continue
            rows.append((group, choice))
        plan.hooks[self.name] = rows

    def apply(self, plan: SuccessorPlan, choices, successor, mapping: dict, by) -> None:
        close_reason = _("closed with %(name)s") % {"name": plan.source.name}
        carry_reason = _("carried over from %(name)s") % {"name": plan.source.name}
        for group, choice in plan.hooks.get(self.name, []):
            family = [group, *group.subgroups.filter(is_archived=False, closed_on__isnull=True)]
            if choice == CARRY:
                copies: dict[int, WorkingGroup] = {}
                for old in family:
                    new = WorkingGroup(
                        roadmap=successor,
                        parent=copies.get(old.parent_id),
                        number=old.number,
                        carried_from=old,
                    )
                    for f in ("name", "short_name", "description"):
                        for suffix in ("", "_fr", "_es", "_ar"):
                            setattr(new, f + suffix, getattr(old, f + suffix))
                    _save(new, user=by, reason=carry_reason)
                    new.areas.set(
                        [
                            mapping["areas"][a.pk]
                            for a in old.areas.all()
                            if a.pk in mapping["areas"]
                        ]
                    )
                    copies[old.pk] = new
                    for m in old.memberships.active().order_by("id"):
                        _save(
                            Membership(
                                working_group=new,
                                organisation=m.organisation,
                                person=m.person,
                                role=m.role,
                                slot=m.slot,
                                joined_on=plan.start_date,
                            ),
                            user=by,
                            reason=carry_reason,
                        )
            else:
                for old in family:
                    _close(old, plan.close_date, by, close_reason)


def _close(group: WorkingGroup, on: datetime.date, by, reason: str) -> None:
    for m in group.memberships.active().order_by("id"):
        m.left_on = max(on, m.joined_on)
        _save(m, user=by, reason=reason)
    group.closed_on = on
    _save(group, user=by, reason=reason)

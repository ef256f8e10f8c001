"""Which working-group items the archive page handles (core.archive, roadmap.archive_views).

Deliverables, milestones, meetings, action items and resources are archived and restored by
whoever manages their group (``workinggroups.manage_group``: admins and the group's co-leads,
the same rule as editing them); progress updates and evidence follow the roadmap's update
policy (registered in ``roadmap.archive_views``).
"""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.archive import ArchiveKind, register_archivable

from .models import ActionItem, Deliverable, Meeting, Milestone, Resource

MANAGE = "workinggroups.manage_group"


def _kind(model, related: str, group_of, back, label) -> ArchiveKind:
    return ArchiveKind(
        get=lambda user, pk: get_object_or_404(model.objects.select_related(related), pk=pk),
        may=lambda user, obj: user.has_perm(MANAGE, group_of(obj)),
        back=back,
        label=label,
    )


def register() -> None:
    register_archivable(
        "deliverable",
        _kind(
            Deliverable,
            "working_group__parent",
            lambda d: d.working_group,
            lambda d: d.working_group.get_absolute_url(),
            _("deliverable"),
        ),
    )
    register_archivable(
        "milestone",
        _kind(
            Milestone,
            "deliverable__working_group__parent",
            lambda m: m.deliverable.working_group,
            lambda m: m.deliverable.get_absolute_url(),
            _("milestone"),
        ),
    )
    register_archivable(
        "meeting",
        _kind(
            Meeting,
            "working_group__parent",
            lambda m: m.working_group,
            lambda m: m.working_group.get_absolute_url(),
            _("meeting"),
        ),
    )
    register_archivable(
        "action-item",
        _kind(
            ActionItem,
            "meeting__working_group__parent",
            lambda a: a.meeting.working_group,
            lambda a: a.meeting.get_absolute_url(),
            _("action item"),
        ),
    )
    register_archivable(
        "resource",
        _kind(
            Resource,
            "working_group__parent",
            lambda r: r.working_group,
            lambda r: reverse("workinggroups:resources"),
            _("resource"),
        ),
    )

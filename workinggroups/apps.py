"""App configuration for working groups."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkinggroupsConfig(AppConfig):
    name = "workinggroups"
    verbose_name = _("Working groups")

    def ready(self) -> None:
        # The participation indicator's values come from this app's membership records.
        from core.resources import register_export
        from roadmap import figures as roadmap_figures
        from roadmap import services as roadmap_services

        from . import archiving, figures, resources, successor

        roadmap_figures.register_record_series(
            figures.PARTICIPATION_CODE, figures.participation_series
        )
        # The data export's kinds of this app (reports.exports lists them).
        register_export("working-groups", _("Working groups"), resources.WorkingGroupResource)
        register_export(
            "memberships",
            _("Working-group co-leads and members"),
            resources.MembershipResource,
            sheet=_("Co-leads and members"),
        )
        register_export("deliverables", _("Deliverables"), resources.DeliverableResource)
        register_export("milestones", _("Milestones"), resources.MilestoneResource)
        # A meetings file holds their action items too (a sheet each, in XLSX).
        register_export(
            "meetings",
            _("Meetings (with their decisions and action items)"),
            resources.MeetingResource,
            sheet=_("Meetings"),
            with_kinds=("action-items",),
        )
        register_export("action-items", _("Action items"), resources.ActionItemResource)
        register_export(
            "resources",
            _("Resources (the mapping)"),
            resources.ResourceResource,
            sheet=_("Resources"),
        )
        roadmap_services.register_successor_hook(successor.GroupsHook())
        # The items of this app the archive page handles (core.archive).
        archiving.register()

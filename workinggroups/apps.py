"""App configuration for working groups."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkinggroupsConfig(AppConfig):
    name = "workinggroups"
    verbose_name = _("Working groups")

    def ready(self) -> None:
        # The participation indicator's values come from this app's membership records.
        from roadmap import figures as roadmap_figures
        from roadmap import services as roadmap_services

        from . import figures, successor

        roadmap_figures.register_record_series(
            figures.PARTICIPATION_CODE, figures.participation_series
        )
        roadmap_services.register_successor_hook(successor.GroupsHook())
